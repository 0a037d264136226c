//! `up` after a network's or volume's configuration changed: the network is removed and
//! created again and the containers on it (running or exited) are recreated onto it, as
//! Compose does; a changed volume is kept with its data and the user is told how to recreate it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "engine_up_support.rs"]
mod support;

use devbox::engine::down::DownOptions;
use devbox::engine::up::UpOptions;
use support::{Stack, warnings};

const STACK: &str = r#"
services:
  app:
    image: devbox-fixture/busybox:1
    command: ["sleep", "3600"]
    networks: [front]
    volumes: ["data:/data"]
  once:
    image: devbox-fixture/busybox:1
    command: ["true"]
    networks: [front]
networks:
  front:
    labels: {tier: one}
volumes:
  data:
    labels: {kind: one}
"#;

async fn network_id(docker: &bollard::Docker, name: &str) -> String {
    docker
        .inspect_network(
            name,
            None::<bollard::query_parameters::InspectNetworkOptions>,
        )
        .await
        .unwrap()
        .id
        .unwrap()
}

#[tokio::test]
async fn a_changed_network_is_recreated_with_its_containers_and_a_changed_volume_is_kept() {
    let Some(docker) = common::engine_or_skip().await else {
        return;
    };
    common::fixture_image(&docker).await;
    let name = common::unique_project("netdiv");
    let _guard = common::ProjectGuard::new(&name);
    let network = format!("{name}_front");
    let stack = Stack::new(&name, STACK);
    stack.up(&docker, &UpOptions::default()).await.0.unwrap();
    let first_network = network_id(&docker, &network).await;
    let before = stack.ids(&docker).await;

    let stack = stack.rewrite(
        &STACK
            .replace("tier: one", "tier: two")
            .replace("kind: one", "kind: two"),
    );
    let (result, progress) = stack.up(&docker, &UpOptions::default()).await;
    let outcome = result.unwrap();
    let second_network = network_id(&docker, &network).await;
    assert_ne!(first_network, second_network, "the network was recreated");
    let mut recreated = outcome.recreated.clone();
    recreated.sort();
    assert_eq!(
        recreated,
        vec![format!("{name}-app-1"), format!("{name}-once-1")],
        "both the running and the exited container moved to the new network"
    );
    let warned = warnings(&progress);
    assert!(
        warned
            .iter()
            .any(|w| w.contains(&format!("network {network} changed"))),
        "{warned:?}"
    );
    assert!(
        warned.iter().any(|w| w
            .contains(&format!("volume \"{name}_data\" exists but doesn't match"))
            && w.contains("devbox down -v")),
        "{warned:?}"
    );
    let app = docker
        .inspect_container(&format!("{name}-app-1"), None)
        .await
        .unwrap();
    assert_eq!(app.state.and_then(|s| s.running), Some(true));
    let attached = app.network_settings.unwrap().networks.unwrap();
    assert_eq!(
        attached[&network].network_id.as_deref(),
        Some(second_network.as_str())
    );
    assert_ne!(
        stack.ids(&docker).await[&format!("{name}-app-1")],
        before[&format!("{name}-app-1")]
    );

    // Nothing changed since: nothing is recreated, no warning about the network.
    let (again, progress) = stack.up(&docker, &UpOptions::default()).await;
    assert!(again.unwrap().recreated.is_empty());
    assert!(!warnings(&progress).iter().any(|w| w.contains("network")));
    assert_eq!(network_id(&docker, &network).await, second_network);
    stack
        .down(
            &docker,
            &DownOptions {
                volumes: true,
                ..DownOptions::default()
            },
        )
        .await;
}
