//! `devbox up/ps/logs/down` as a user runs them: attached mode prints each container's output
//! with its prefix and returns when the one-shots are done; the first Ctrl-C stops the stack
//! gracefully (containers exited, not removed); `restart: true` dependents are restarted when
//! their dependency is recreated; scale and `--no-deps` selection.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "engine_up_support.rs"]
mod support;

use std::process::{Command, Stdio};
use std::time::Duration;

use devbox::engine::stack::down::DownOptions;
use devbox::engine::stack::up::UpOptions;
use support::Stack;

fn devbox(stack: &Stack, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_devbox"));
    cmd.current_dir(stack.dir.path())
        .arg(args[0])
        .args(["-p", &stack.name])
        .args(&args[1..]);
    cmd
}

#[tokio::test]
async fn attached_up_prints_prefixed_output_and_ps_shows_completed() {
    let Some(docker) = common::engine_or_skip().await else {
        return;
    };
    common::fixture_image(&docker).await;
    let name = common::unique_project("attach");
    let _guard = common::ProjectGuard::new(&name);
    let stack = Stack::new(
        &name,
        r#"
services:
  seed:
    image: devbox-fixture/busybox:1
    command: ["sh", "-c", "echo seeding done"]
  app:
    image: devbox-fixture/busybox:1
    command: ["sh", "-c", "echo app ran"]
    depends_on:
      seed: {condition: service_completed_successfully}
"#,
    );
    let out = devbox(&stack, &["up", "--no-color"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stdout.contains(&format!("{name}-seed-1 | seeding done")),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("{name}-app-1  | app ran")),
        "{stdout}"
    );
    assert!(
        stderr.contains(&format!("Container {name}-seed-1  Completed")),
        "{stderr}"
    );

    let ps = devbox(&stack, &["ps", "-a"]).output().unwrap();
    let table = String::from_utf8_lossy(&ps.stdout);
    assert!(
        table.lines().any(
            |l| l.starts_with(&format!("{name}-seed-1")) && l.contains("Completed (Exited (0)")
        ),
        "{table}"
    );
    let logs = devbox(&stack, &["logs", "--no-color", "seed"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&logs.stdout).trim(),
        format!("{name}-seed-1 | seeding done")
    );

    let down = devbox(&stack, &["down"]).output().unwrap();
    assert!(down.status.success());
    assert!(stack.containers(&docker).await.is_empty());
}

#[tokio::test]
async fn first_ctrl_c_stops_gracefully() {
    let Some(docker) = common::engine_or_skip().await else {
        return;
    };
    common::fixture_image(&docker).await;
    let name = common::unique_project("ctrlc");
    let _guard = common::ProjectGuard::new(&name);
    let stack = Stack::new(
        &name,
        r#"
services:
  srv:
    image: devbox-fixture/busybox:1
    command: ["sh", "-c", "trap 'exit 0' TERM; echo ready; while true; do sleep 0.2; done"]
"#,
    );
    let child = devbox(&stack, &["up", "--no-color"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut running = false;
    for _ in 0..100 {
        tokio::time::sleep(Duration::from_millis(200)).await;
        if stack
            .containers(&docker)
            .await
            .iter()
            .any(|c| c.is_running())
        {
            running = true;
            break;
        }
    }
    assert!(running, "the container never ran");
    tokio::time::sleep(Duration::from_millis(500)).await;
    Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    let out = tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .unwrap()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("Gracefully stopping"), "{stderr}");
    let left = stack.containers(&docker).await;
    assert_eq!(left.len(), 1, "stopped, not removed");
    assert_eq!(left[0].state, "exited");
    assert!(
        left[0].status.starts_with("Exited (0)"),
        "graceful stop: {}",
        left[0].status
    );
    stack.down(&docker, &DownOptions::default()).await;
}

#[tokio::test]
async fn restart_dependents_scale_and_no_deps() {
    let Some(docker) = common::engine_or_skip().await else {
        return;
    };
    common::fixture_image(&docker).await;
    let name = common::unique_project("restart");
    let _guard = common::ProjectGuard::new(&name);
    let yaml = r#"
services:
  db:
    image: devbox-fixture/busybox:1
    command: ["sleep", "3600"]
    init: true
    environment: {V: "1"}
  app:
    image: devbox-fixture/busybox:1
    command: ["sleep", "3600"]
    init: true
    scale: 2
    depends_on:
      db: {condition: service_started, restart: true}
"#;
    let stack = Stack::new(&name, yaml);
    // --no-deps with a named service starts only it.
    let only = stack
        .up(
            &docker,
            &UpOptions {
                services: vec!["app".into()],
                no_deps: true,
                ..UpOptions::default()
            },
        )
        .await
        .0
        .unwrap();
    assert_eq!(
        only.containers
            .iter()
            .map(|c| c.service.as_str())
            .collect::<Vec<_>>(),
        ["app", "app"]
    );
    let outcome = stack.up(&docker, &UpOptions::default()).await.0.unwrap();
    let mut names: Vec<String> = outcome.containers.iter().map(|c| c.name.clone()).collect();
    names.sort();
    assert_eq!(
        names,
        vec![
            format!("{name}-app-1"),
            format!("{name}-app-2"),
            format!("{name}-db-1")
        ]
    );
    let started_at = |c: &str| {
        let out = Command::new("docker")
            .args(["inspect", "-f", "{{.State.StartedAt}}", c])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    };
    let app_before = started_at(&format!("{name}-app-1"));
    // db changes: db is recreated and app (restart: true) is restarted, not recreated.
    let ids_before = stack.ids(&docker).await;
    let stack = stack.rewrite(&yaml.replace("V: \"1\"", "V: \"2\""));
    let outcome = stack.up(&docker, &UpOptions::default()).await.0.unwrap();
    assert_eq!(outcome.recreated, vec![format!("{name}-db-1")]);
    let ids_after = stack.ids(&docker).await;
    assert_eq!(
        ids_after[&format!("{name}-app-1")],
        ids_before[&format!("{name}-app-1")]
    );
    assert_ne!(
        started_at(&format!("{name}-app-1")),
        app_before,
        "app was not restarted"
    );
    assert!(
        stack
            .containers(&docker)
            .await
            .iter()
            .all(|c| c.is_running())
    );
    stack.down(&docker, &DownOptions::default()).await;
}

#[tokio::test]
async fn scale_and_pull_flags_override_the_file() {
    let Some(docker) = common::engine_or_skip().await else {
        return;
    };
    common::fixture_image(&docker).await;
    let name = common::unique_project("scaleflag");
    let _guard = common::ProjectGuard::new(&name);
    let stack = Stack::new(
        &name,
        r#"
services:
  web:
    image: devbox-fixture/busybox:1
    command: ["sleep", "3600"]
  missing:
    image: devbox-fixture/not-here:1
    profiles: [broken]
"#,
    );
    let out = devbox(&stack, &["up", "-d", "--scale", "web=3"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(stack.containers(&docker).await.len(), 3);
    let out = devbox(&stack, &["up", "-d", "--scale", "web=1"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let names: Vec<String> = stack
        .containers(&docker)
        .await
        .into_iter()
        .map(|c| c.name)
        .collect();
    assert_eq!(names, vec![format!("{name}-web-1")]);

    // --pull never: a missing image is an error naming the policy, not a pull attempt.
    let out = devbox(&stack, &["up", "-d", "--pull", "never", "missing"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("pull_policy: never"), "{stderr}");
    stack.down(&docker, &DownOptions::default()).await;
}
