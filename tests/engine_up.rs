//! Stack engine on the real engine: dependency conditions (started, healthy, completed
//! successfully, required: false), an unhealthy dependency, a one-shot init service, recreate
//! on change and not without, orphans, `down -v`, a taken port, a missing image and an
//! interrupted `up`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "engine_up_support.rs"]
mod support;

use std::time::Duration;

use devbox::engine::error::StackError;
use devbox::engine::stack::down::DownOptions;
use devbox::engine::stack::up::{RecreatePolicy, UpOptions};
use support::{IMAGE, Stack, steps_of, warnings};

const CHAIN: &str = r#"
services:
  init:
    image: devbox-fixture/busybox:1
    command: ["sh", "-c", "echo seeded > /data/seed"]
    volumes: ["data:/data"]
  db:
    image: devbox-fixture/busybox:1
    command: ["sh", "-c", "sleep 1; touch /tmp/ready; exec sleep 3600"]
    healthcheck:
      test: ["CMD", "test", "-f", "/tmp/ready"]
      interval: 1s
      retries: 30
  api:
    image: devbox-fixture/busybox:1
    command: ["sh", "-c", "cat /data/seed && exec sleep 3600"]
    volumes: ["data:/data"]
    depends_on:
      init: {condition: service_completed_successfully}
      db: {condition: service_healthy}
  web:
    image: devbox-fixture/busybox:1
    command: ["sleep", "3600"]
    depends_on: [api]
  extra:
    image: devbox-fixture/busybox:1
    command: ["sleep", "3600"]
    depends_on:
      missing_ok: {condition: service_healthy, required: false}
  missing_ok:
    image: devbox-fixture/busybox:1
    command: ["sh", "-c", "exit 3"]
    healthcheck:
      test: ["CMD", "true"]
      interval: 1s
volumes:
  data: {}
"#;

#[tokio::test]
async fn dependency_conditions_one_shot_and_optional_dependency() {
    let Some(docker) = common::engine_or_skip().await else {
        return;
    };
    common::fixture_image(&docker).await;
    let name = common::unique_project("conds");
    let _guard = common::ProjectGuard::new(&name);
    let stack = Stack::new(&name, CHAIN);

    let (result, progress) = stack
        .up(
            &docker,
            &UpOptions {
                wait_timeout: Some(Duration::from_secs(60)),
                ..UpOptions::default()
            },
        )
        .await;
    let outcome = result.unwrap();
    assert_eq!(outcome.containers.len(), 6);

    let init = format!("{name}-init-1");
    let db = format!("{name}-db-1");
    // The one-shot is completed: never a failure, never "Healthy".
    let init_steps = steps_of(&progress, &init);
    assert!(
        init_steps.contains(&"Completed".to_owned()),
        "{init_steps:?}"
    );
    assert!(
        !init_steps.contains(&"Healthy".to_owned()),
        "{init_steps:?}"
    );
    assert!(steps_of(&progress, &db).contains(&"Healthy".to_owned()));
    // The optional dependency failed (exit 3) and was only a warning.
    let warns = warnings(&progress);
    assert!(
        warns
            .iter()
            .any(|w| w.contains("optional dependency \"missing_ok\"")),
        "{warns:?}"
    );

    // api started after init completed and db became healthy: it read the seed.
    let mut api_ok = false;
    for _ in 0..20 {
        let logs = std::process::Command::new("docker")
            .args(["logs", &format!("{name}-api-1")])
            .output()
            .unwrap();
        if String::from_utf8_lossy(&logs.stdout).contains("seeded") {
            api_ok = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(api_ok, "api did not see init's output");
    let started = |n: &str| {
        let out = std::process::Command::new("docker")
            .args(["inspect", "-f", "{{.State.StartedAt}}", n])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    };
    let db_health_done = std::process::Command::new("docker")
        .args(["inspect", "-f", "{{(index .State.Health.Log 0).End}}", &db])
        .output()
        .unwrap();
    let db_healthy_at = String::from_utf8_lossy(&db_health_done.stdout)
        .trim()
        .to_owned();
    assert!(
        started(&format!("{name}-api-1")) > started(&db),
        "api must start after db"
    );
    assert!(!db_healthy_at.is_empty());
    assert!(started(&format!("{name}-web-1")) >= started(&format!("{name}-api-1")));

    stack
        .down(
            &docker,
            &DownOptions {
                volumes: true,
                ..DownOptions::default()
            },
        )
        .await;
    assert!(stack.containers(&docker).await.is_empty());
    assert!(
        docker
            .inspect_volume(&format!("{name}_data"))
            .await
            .is_err(),
        "down -v removes the named volume"
    );
}

#[tokio::test]
async fn unhealthy_dependency_names_it_and_its_last_probe() {
    let Some(docker) = common::engine_or_skip().await else {
        return;
    };
    common::fixture_image(&docker).await;
    let name = common::unique_project("sick");
    let _guard = common::ProjectGuard::new(&name);
    let stack = Stack::new(
        &name,
        r#"
services:
  db:
    image: devbox-fixture/busybox:1
    command: ["sleep", "3600"]
    healthcheck:
      test: ["CMD-SHELL", "echo db refuses connections; exit 1"]
      interval: 1s
      retries: 2
  app:
    image: devbox-fixture/busybox:1
    command: ["sleep", "3600"]
    depends_on:
      db: {condition: service_healthy}
"#,
    );
    let (result, _) = stack.up(&docker, &UpOptions::default()).await;
    let err = result.unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, StackError::Dependency { .. }), "{text}");
    assert!(
        text.contains("\"db\"") && text.contains("is unhealthy"),
        "{text}"
    );
    assert!(text.contains("db refuses connections"), "{text}");
    // What was created is labelled, so down removes it all.
    stack.down(&docker, &DownOptions::default()).await;
    assert!(stack.containers(&docker).await.is_empty());
}

#[tokio::test]
async fn recreate_only_on_change_and_orphans() {
    let Some(docker) = common::engine_or_skip().await else {
        return;
    };
    common::fixture_image(&docker).await;
    let name = common::unique_project("recreate");
    let _guard = common::ProjectGuard::new(&name);
    let two = r#"
services:
  a:
    image: devbox-fixture/busybox:1
    command: ["sleep", "3600"]
    environment: {MODE: one}
  b:
    image: devbox-fixture/busybox:1
    command: ["sleep", "3600"]
"#;
    let stack = Stack::new(&name, two);
    stack.up(&docker, &UpOptions::default()).await.0.unwrap();
    let before = stack.ids(&docker).await;

    // Unchanged: nothing recreated.
    let (again, progress) = stack.up(&docker, &UpOptions::default()).await;
    assert!(again.unwrap().recreated.is_empty());
    assert_eq!(stack.ids(&docker).await, before);
    assert!(steps_of(&progress, &format!("{name}-a-1")).contains(&"Running".to_owned()));

    // Changed environment on a: only a is recreated, under the same name.
    let stack = stack.rewrite(&two.replace("MODE: one", "MODE: two"));
    let (changed, _) = stack.up(&docker, &UpOptions::default()).await;
    assert_eq!(changed.unwrap().recreated, vec![format!("{name}-a-1")]);
    let after = stack.ids(&docker).await;
    assert_ne!(
        after[&format!("{name}-a-1")],
        before[&format!("{name}-a-1")]
    );
    assert_eq!(
        after[&format!("{name}-b-1")],
        before[&format!("{name}-b-1")]
    );

    // --force-recreate recreates b too.
    let forced = stack
        .up(
            &docker,
            &UpOptions {
                recreate: RecreatePolicy::Force,
                ..UpOptions::default()
            },
        )
        .await
        .0
        .unwrap();
    assert_eq!(forced.recreated.len(), 2);

    // b removed from the file: an orphan, warned about, then removed with --remove-orphans.
    let only_a = two.replace("MODE: one", "MODE: two");
    let only_a = &only_a[..only_a.find("  b:").unwrap()];
    let stack = stack.rewrite(only_a);
    let (_, progress) = stack.up(&docker, &UpOptions::default()).await;
    assert!(
        warnings(&progress)
            .iter()
            .any(|w| w.contains("Found orphan containers") && w.contains(&format!("{name}-b-1")))
    );
    stack
        .up(
            &docker,
            &UpOptions {
                remove_orphans: true,
                ..UpOptions::default()
            },
        )
        .await
        .0
        .unwrap();
    let left: Vec<String> = stack
        .containers(&docker)
        .await
        .into_iter()
        .map(|c| c.name)
        .collect();
    assert_eq!(left, vec![format!("{name}-a-1")]);
    stack.down(&docker, &DownOptions::default()).await;
}

#[tokio::test]
async fn taken_port_and_missing_image_are_named() {
    let Some(docker) = common::engine_or_skip().await else {
        return;
    };
    common::fixture_image(&docker).await;
    let name = common::unique_project("fail");
    let _guard = common::ProjectGuard::new(&name);
    let port = 20000 + (std::process::id() % 20000);
    let stack = Stack::new(
        &name,
        &format!(
            r#"
services:
  first:
    image: devbox-fixture/busybox:1
    command: ["sleep", "3600"]
    ports: ["{port}:80"]
  second:
    image: devbox-fixture/busybox:1
    command: ["sleep", "3600"]
    ports: ["{port}:81"]
    depends_on: [first]
"#
        ),
    );
    let err = stack
        .up(&docker, &UpOptions::default())
        .await
        .0
        .unwrap_err();
    match &err {
        StackError::PortTaken {
            service, port: p, ..
        } => {
            assert_eq!(service, "second");
            assert_eq!(p, &port.to_string());
        }
        other => panic!("expected a taken port, got {other}"),
    }
    stack.down(&docker, &DownOptions::default()).await;

    let typo = Stack::new(
        &format!("{name}-img"),
        "services:\n  web:\n    image: devbox-fixture/busyboxx:1\n",
    );
    let _guard2 = common::ProjectGuard::new(&typo.name);
    let err = typo.up(&docker, &UpOptions::default()).await.0.unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, StackError::ImageUnavailable { .. }), "{text}");
    assert!(
        text.contains("\"web\"") && text.contains("devbox-fixture/busyboxx:1"),
        "{text}"
    );
}

#[tokio::test]
async fn interrupted_up_leaves_only_labelled_resources() {
    let Some(docker) = common::engine_or_skip().await else {
        return;
    };
    common::fixture_image(&docker).await;
    let name = common::unique_project("intr");
    let _guard = common::ProjectGuard::new(&name);
    let stack = Stack::new(
        &name,
        r#"
services:
  slow:
    image: devbox-fixture/busybox:1
    command: ["sleep", "3600"]
    healthcheck:
      test: ["CMD", "false"]
      interval: 1s
      retries: 1000
  after:
    image: devbox-fixture/busybox:1
    command: ["sleep", "3600"]
    depends_on:
      slow: {condition: service_healthy}
"#,
    );
    // Interrupt while `after` waits for `slow`, as a Ctrl-C would.
    let interrupted = tokio::time::timeout(
        Duration::from_secs(3),
        stack.up(&docker, &UpOptions::default()),
    )
    .await;
    assert!(interrupted.is_err(), "up should still be waiting");
    let out = std::process::Command::new("docker")
        .args([
            "ps",
            "-a",
            "--filter",
            &format!("name={name}"),
            "--format",
            "{{.Names}} {{.Label \"com.docker.compose.project\"}}",
        ])
        .output()
        .unwrap();
    let listing = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(!listing.trim().is_empty());
    for line in listing.lines() {
        assert!(line.ends_with(&name), "unlabelled container: {line}");
    }
    let nets = std::process::Command::new("docker")
        .args([
            "network",
            "ls",
            "--filter",
            &format!("name={name}"),
            "--format",
            "{{.Name}} {{.Label \"com.docker.compose.project\"}}",
        ])
        .output()
        .unwrap();
    for line in String::from_utf8_lossy(&nets.stdout).lines() {
        assert!(line.ends_with(&name), "unlabelled network: {line}");
    }
    stack.down(&docker, &DownOptions::default()).await;
    assert!(stack.containers(&docker).await.is_empty());
    let _ = IMAGE;
}
