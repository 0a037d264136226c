//! Watch tells the truth about a service that is not running: the changes are kept (never
//! reported as synced), and applied when its container starts.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "engine_up_support.rs"]
mod support;

use std::sync::Arc;
use std::time::Duration;

use devbox::domain::sync::Activity;
use devbox::engine::stack::up::UpOptions;
use devbox::ops::Event;
use devbox::ops::watch::{WatchRequest, prepare, watch};
use support::Stack;
use tokio::sync::mpsc;

const YAML: &str = r#"
services:
  web:
    image: devbox-fixture/busybox:1
    command: ["sleep", "3600"]
    develop:
      watch:
        - path: ./src
          action: sync
          target: /srv/src
"#;

async fn next_activity(rx: &mut mpsc::UnboundedReceiver<Activity>, what: &str) -> Activity {
    tokio::time::timeout(Duration::from_secs(30), rx.recv())
        .await
        .unwrap_or_else(|_| panic!("no activity while waiting for {what}"))
        .unwrap()
}

#[tokio::test]
async fn changes_for_a_service_that_is_down_are_kept_and_applied_when_it_starts() {
    let Some(docker) = common::engine_or_skip().await else {
        return;
    };
    common::fixture_image(&docker).await;
    let name = common::unique_project("wkept");
    let _guard = common::ProjectGuard::new(&name);
    let stack = Stack::new(&name, YAML);
    std::fs::create_dir_all(stack.dir.path().join("src")).unwrap();

    let (tx, mut rx) = mpsc::unbounded_channel();
    let sink = Arc::new(move |event: Event| {
        if let Event::Watch(activity) = event {
            let _ = tx.send(activity);
        }
    });
    let prepared = prepare(
        &stack.project,
        &WatchRequest {
            services: Vec::new(),
            initial_sync: false,
        },
    )
    .unwrap();
    let project = stack.project.clone();
    let watching = {
        let docker = docker.clone();
        tokio::spawn(async move { watch(&docker, &project, prepared, sink).await })
    };
    assert!(matches!(
        next_activity(&mut rx, "watching").await,
        Activity::Watching { .. }
    ));

    std::fs::write(stack.dir.path().join("src/a.txt"), "first").unwrap();
    let kept = next_activity(&mut rx, "the first change").await;
    assert_eq!(
        kept.to_string(),
        "web is not running: 1 change kept, applied when it starts"
    );
    std::fs::write(stack.dir.path().join("src/b.txt"), "second").unwrap();
    let kept = next_activity(&mut rx, "the second change").await;
    assert_eq!(
        kept.to_string(),
        "web is not running: 2 changes kept, applied when it starts"
    );

    stack.up(&docker, &UpOptions::default()).await.0.unwrap();
    let synced = next_activity(&mut rx, "the kept changes applied at start").await;
    assert!(
        matches!(
            synced,
            Activity::Synced {
                files: 2,
                containers: 1,
                ..
            }
        ),
        "{synced:?}"
    );
    let id = stack.containers(&docker).await[0].id.clone();
    assert_eq!(
        common::exec_output(&docker, &id, &["cat", "/srv/src/a.txt", "/srv/src/b.txt"]).await,
        "firstsecond"
    );
    watching.abort();
}
