//! `post_start` and `pre_stop` hooks run as Docker Compose runs them, checked on the same file
//! with both: the hook's user, working_dir and environment reach the command, its output is
//! shown, `pre_stop` runs before the stop signal, and a failing `post_start` fails `up`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "engine_up_support.rs"]
mod support;

use std::process::Command;

use bollard::Docker;
use support::{Stack, compose, compose_binary};

const YAML: &str = r#"
services:
  app:
    image: devbox-fixture/busybox:1
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
    user: "1000"
    volumes: ["shared:/shared"]
    post_start:
      - command: ["sh", "-c", "id -u > /tmp/post_user; pwd > /tmp/post_dir; echo $$HOOK_VAR > /tmp/post_env; echo hook says hi"]
        user: root
        working_dir: /etc
        environment:
          HOOK_VAR: from-hook
    pre_stop:
      - command: ["sh", "-c", "echo stopping > /shared/pre_stop"]
        user: root
  reader:
    image: devbox-fixture/busybox:1
    command: ["sleep", "3600"]
    volumes: ["shared:/shared"]
volumes:
  shared: {}
"#;

const FAILING: &str = r#"
services:
  bad:
    image: devbox-fixture/busybox:1
    command: ["sleep", "3600"]
    post_start:
      - command: ["sh", "-c", "echo about to fail; exit 3"]
"#;

/// What one tool did with the hooks: (post_start files, output seen, pre_stop file, failing
/// up's status and output).
#[derive(Debug, PartialEq)]
struct Observed {
    post: String,
    said_hi: bool,
    pre_stop: String,
    failing_up_ok: bool,
    failing_said: bool,
}

/// Runs one tool's subcommand on a stack: (succeeded, stdout and stderr).
type Runner<'a> = dyn Fn(&Stack, &[&str]) -> (bool, String) + 'a;

async fn container_id(docker: &Docker, project: &str, service: &str) -> String {
    devbox::engine::stack::state::project_containers(docker, project)
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.service == service)
        .unwrap()
        .id
}

async fn observe(
    docker: &Docker,
    stack: &Stack,
    failing: &Stack,
    run: &Runner<'_>,
) -> (Observed, String) {
    let (ok, output) = run(stack, &["up", "-d"]);
    assert!(ok, "{output}");
    let app = container_id(docker, &stack.name, "app").await;
    let post = common::exec_output(
        docker,
        &app,
        &["cat", "/tmp/post_user", "/tmp/post_dir", "/tmp/post_env"],
    )
    .await;
    let (ok, stop_output) = run(stack, &["stop", "app"]);
    assert!(ok, "{stop_output}");
    let reader = container_id(docker, &stack.name, "reader").await;
    let pre_stop = common::exec_output(docker, &reader, &["cat", "/shared/pre_stop"]).await;
    let (failing_up_ok, failing_output) = run(failing, &["up", "-d"]);
    let observed = Observed {
        post,
        said_hi: output.contains("hook says hi"),
        pre_stop,
        failing_up_ok,
        failing_said: failing_output.contains("about to fail"),
    };
    (observed, failing_output)
}

#[tokio::test]
async fn hooks_behave_as_in_docker_compose() {
    let Some(docker) = common::engine_or_skip().await else {
        return;
    };
    common::fixture_image(&docker).await;
    let mine = Stack::new(&common::unique_project("hooks"), YAML);
    let mine_failing = Stack::new(&common::unique_project("hooksf"), FAILING);
    let _guards = [
        common::ProjectGuard::new(&mine.name),
        common::ProjectGuard::new(&mine_failing.name),
    ];
    let devbox = |stack: &Stack, args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_devbox"))
            .current_dir(stack.dir.path())
            .env("COMPOSE_PROJECT_NAME", &stack.name)
            .args(args)
            .output()
            .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.success(), text)
    };
    let (observed, failure) = observe(&docker, &mine, &mine_failing, &devbox).await;
    assert_eq!(
        observed,
        Observed {
            post: "0\n/etc\nfrom-hook\n".into(),
            said_hi: true,
            pre_stop: "stopping\n".into(),
            failing_up_ok: false,
            failing_said: true,
        }
    );
    assert!(
        failure.contains("post_start hook of service \"bad\" exited with status 3"),
        "{failure}"
    );

    let Some(bin) = compose_binary() else {
        return;
    };
    let theirs = Stack::new(&common::unique_project("hooksc"), YAML);
    let theirs_failing = Stack::new(&common::unique_project("hookscf"), FAILING);
    let _more = [
        common::ProjectGuard::new(&theirs.name),
        common::ProjectGuard::new(&theirs_failing.name),
    ];
    let oracle = |stack: &Stack, args: &[&str]| {
        let (ok, stdout, stderr) = compose(&bin, stack, args);
        (ok, format!("{stdout}{stderr}"))
    };
    let (expected, _) = observe(&docker, &theirs, &theirs_failing, &oracle).await;
    // Compose prints a hook's output only when attached; devbox shows it with `-d` too.
    let expected = Observed {
        said_hi: true,
        ..expected
    };
    assert_eq!(observed, expected, "devbox and docker compose differ");
}
