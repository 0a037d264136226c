//! Anonymous volumes outlive a recreate, as in Docker Compose: `--force-recreate`, a config
//! change and a watch rebuild hand the old container's anonymous volumes (the service's
//! `- /path` ones and the image's VOLUMEs) to the replacement; `down -v` removes them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "engine_up_support.rs"]
mod support;

use std::sync::Arc;

use bollard::Docker;
use devbox::engine::image::images::BuildPolicy;
use devbox::engine::stack::down::DownOptions;
use devbox::engine::stack::up::{RecreatePolicy, UpOptions};
use devbox::ops::Event;
use support::Stack;

fn yaml(greeting: &str) -> String {
    format!(
        r#"
services:
  app:
    build: .
    command: ["sleep", "3600"]
    environment:
      GREETING: "{greeting}"
    volumes:
      - /app/node_modules
      - cache:/cache
volumes:
  cache: {{}}
"#
    )
}

/// Volume name per mount path of the service's only container.
async fn volume_names(docker: &Docker, stack: &Stack) -> Vec<(String, String)> {
    let containers = stack.containers(docker).await;
    assert_eq!(containers.len(), 1, "one container: {containers:?}");
    let inspected = docker
        .inspect_container(&containers[0].id, None)
        .await
        .unwrap();
    let mut names: Vec<(String, String)> = inspected
        .mounts
        .unwrap_or_default()
        .into_iter()
        .filter(|m| m.typ.as_deref() == Some("volume"))
        .map(|m| (m.destination.unwrap(), m.name.unwrap()))
        .collect();
    names.sort();
    names
}

async fn read_back(docker: &Docker, stack: &Stack) -> String {
    let id = stack.containers(docker).await[0].id.clone();
    common::exec_output(
        docker,
        &id,
        &[
            "cat",
            "/app/node_modules/kept",
            "/store/kept",
            "/cache/kept",
        ],
    )
    .await
}

#[tokio::test]
async fn anonymous_volumes_survive_every_kind_of_recreate_and_down_v_removes_them() {
    let Some(docker) = common::engine_or_skip().await else {
        return;
    };
    let base = common::fixture_image(&docker).await;
    let name = common::unique_project("anonvol");
    let _guard = common::ProjectGuard::new(&name);
    let stack = Stack::new(&name, &yaml("one"));
    std::fs::write(
        stack.dir.path().join("Dockerfile"),
        format!("FROM {base}\nVOLUME /store\n"),
    )
    .unwrap();
    let up = |recreate: RecreatePolicy| UpOptions {
        build: BuildPolicy::IfMissing,
        recreate,
        ..UpOptions::default()
    };

    stack
        .up(&docker, &up(RecreatePolicy::Diverged))
        .await
        .0
        .unwrap();
    let before = volume_names(&docker, &stack).await;
    assert_eq!(
        before.len(),
        3,
        "node_modules, cache and the image's /store: {before:?}"
    );
    let id = stack.containers(&docker).await[0].id.clone();
    common::exec_output(
        &docker,
        &id,
        &[
            "sh",
            "-c",
            "echo modules > /app/node_modules/kept; echo store > /store/kept; echo cache > /cache/kept",
        ],
    )
    .await;

    // --force-recreate
    stack
        .up(&docker, &up(RecreatePolicy::Force))
        .await
        .0
        .unwrap();
    assert_ne!(stack.containers(&docker).await[0].id, id, "recreated");
    assert_eq!(read_back(&docker, &stack).await, "modules\nstore\ncache\n");
    assert_eq!(
        volume_names(&docker, &stack).await,
        before,
        "the same volumes"
    );

    // A config change.
    let stack = stack.rewrite(&yaml("two"));
    let id = stack.containers(&docker).await[0].id.clone();
    stack
        .up(&docker, &up(RecreatePolicy::Diverged))
        .await
        .0
        .unwrap();
    assert_ne!(
        stack.containers(&docker).await[0].id,
        id,
        "recreated on change"
    );
    assert_eq!(read_back(&docker, &stack).await, "modules\nstore\ncache\n");

    // A watch rebuild (the same operation the dashboard's `b` and `rebuild` rules call).
    std::fs::write(
        stack.dir.path().join("Dockerfile"),
        format!("FROM {base}\nVOLUME /store\nENV REBUILT=1\n"),
    )
    .unwrap();
    devbox::ops::stack::rebuild(&docker, &stack.project, "app", Arc::new(|_: Event| {}))
        .await
        .unwrap();
    assert_eq!(read_back(&docker, &stack).await, "modules\nstore\ncache\n");
    assert_eq!(
        volume_names(&docker, &stack).await,
        before,
        "no volume orphaned"
    );

    stack
        .down(
            &docker,
            &DownOptions {
                volumes: true,
                ..DownOptions::default()
            },
        )
        .await;
    for (_, volume) in &before {
        assert!(
            docker.inspect_volume(volume).await.is_err(),
            "{volume} removed by down -v"
        );
    }
}
