//! `up` after a network's or volume's configuration changed: the network is removed and
//! created again and the containers on it (running or exited) are recreated onto it, as
//! Compose does; a changed volume is kept with its data and the user is told how to recreate it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "engine_up_support.rs"]
mod support;

use devbox::engine::stack::down::DownOptions;
use devbox::engine::stack::up::UpOptions;
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

/// Networks of the project named `name` (the engine's `name` filter matches substrings).
async fn copies(docker: &bollard::Docker, project: &str, name: &str) -> usize {
    let mut filters = std::collections::HashMap::new();
    filters.insert(
        "label".to_owned(),
        vec![format!("com.docker.compose.project={project}")],
    );
    docker
        .list_networks(Some(bollard::query_parameters::ListNetworksOptions {
            filters: Some(filters),
        }))
        .await
        .unwrap()
        .into_iter()
        .filter(|n| n.name.as_deref() == Some(name))
        .count()
}

const ONE: &str = r#"
services:
  app:
    image: devbox-fixture/busybox:1
    command: ["sleep", "3600"]
"#;

/// Two `up`s at once on a fresh project (issue 19 item 6): Engines before API 1.44 let both
/// create the default network, after which every lookup by name is "ambiguous". Both settle on
/// one copy; each `up` succeeds or fails cleanly, and the next `up` works.
#[tokio::test]
async fn concurrent_ups_leave_one_network() {
    let Some(docker) = common::engine_or_skip().await else {
        return;
    };
    common::fixture_image(&docker).await;
    let name = common::unique_project("netrace");
    let _guard = common::ProjectGuard::new(&name);
    let network = format!("{name}_default");
    let stack = Stack::new(&name, ONE);
    let options = UpOptions::default();
    let ((first, _), (second, _)) =
        tokio::join!(stack.up(&docker, &options), stack.up(&docker, &options));
    for result in [&first, &second] {
        if let Err(e) = result {
            let text = format!("{e:?}");
            assert!(!text.contains("ambiguous"), "{text}");
        }
    }
    assert!(first.is_ok() || second.is_ok(), "{first:?} {second:?}");
    assert_eq!(copies(&docker, &name, &network).await, 1);
    let (again, _) = stack.up(&docker, &UpOptions::default()).await;
    again.unwrap();
    stack.down(&docker, &DownOptions::default()).await;
    assert_eq!(copies(&docker, &name, &network).await, 0);
}

/// A project left with two copies of its network (by a racing `up` of an older devbox or of
/// Compose) comes up again: the extra copy is removed and the user told.
#[tokio::test]
async fn an_up_after_a_race_removes_the_extra_copy() {
    let Some(docker) = common::engine_or_skip().await else {
        return;
    };
    common::fixture_image(&docker).await;
    let name = common::unique_project("netdup");
    let _guard = common::ProjectGuard::new(&name);
    let network = format!("{name}_default");
    let labels = devbox::engine::stack::labels::network_labels(
        &name,
        "default",
        "",
        &std::collections::BTreeMap::new(),
    );
    for _ in 0..2 {
        let request = bollard::models::NetworkCreateRequest {
            name: network.clone(),
            labels: Some(labels.clone()),
            ..Default::default()
        };
        docker.create_network(request).await.unwrap();
    }
    if copies(&docker, &name, &network).await == 1 {
        // Engine 25+ refuses the second copy itself: nothing to settle.
        stack_down(&docker, &name).await;
        return;
    }
    let stack = Stack::new(&name, ONE);
    let (result, progress) = stack.up(&docker, &UpOptions::default()).await;
    result.unwrap();
    assert_eq!(copies(&docker, &name, &network).await, 1);
    let warned = warnings(&progress);
    assert!(
        warned
            .iter()
            .any(|w| w.contains(&format!("network {network} was created twice"))),
        "{warned:?}"
    );
    stack.down(&docker, &DownOptions::default()).await;
}

async fn stack_down(docker: &bollard::Docker, name: &str) {
    Stack::new(name, ONE)
        .down(docker, &DownOptions::default())
        .await;
}
