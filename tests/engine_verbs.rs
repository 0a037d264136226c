//! Compose's daily verbs on the real engine: exec (exit status, user, dir, env), run (one-off
//! name and labels, --rm, --no-deps, --service-ports, --entrypoint), stop/start/restart/kill/rm,
//! port, ls, images, top, version, up --no-start; a stop that outlives SIGTERM explains itself;
//! and docker-compose and devbox managing one project in turn.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "engine_up_support.rs"]
mod support;

use std::process::{Command, Output};

use support::{Stack, compose, compose_binary};

const YAML: &str = r#"
services:
  db:
    image: devbox-fixture/busybox:1
    command: ["sleep", "3600"]
    stop_grace_period: 3s
  web:
    image: devbox-fixture/busybox:1
    command: ["httpd", "-f", "-p", "8080"]
    ports: ["8080"]
    depends_on: [db]
"#;

fn devbox(stack: &Stack, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_devbox"))
        .current_dir(stack.dir.path())
        .env("COMPOSE_PROJECT_NAME", &stack.name)
        .args(args)
        .output()
        .unwrap()
}

fn ok(stack: &Stack, args: &[&str]) -> String {
    let out = devbox(stack, args);
    assert!(
        out.status.success(),
        "devbox {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `service=state` of the service containers (one-offs left out).
fn states(stack: &Stack) -> String {
    let json = ok(stack, &["ps", "-a", "--format", "json"]);
    let rows: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
    let mut states: Vec<String> = rows
        .iter()
        .filter(|r| !r["Name"].as_str().unwrap().contains("-run-"))
        .map(|r| {
            format!(
                "{}={}",
                r["Service"].as_str().unwrap(),
                r["State"].as_str().unwrap()
            )
        })
        .collect();
    states.sort();
    states.join(" ")
}

#[tokio::test]
async fn exec_run_and_the_lifecycle_verbs() {
    let Some(docker) = common::engine_or_skip().await else {
        return;
    };
    common::fixture_image(&docker).await;
    let name = common::unique_project("verbs");
    let _guard = common::ProjectGuard::new(&name);
    let stack = Stack::new(&name, YAML);

    // up --no-start creates and starts nothing.
    ok(&stack, &["up", "--no-start"]);
    assert_eq!(states(&stack), "db=created web=created");
    ok(&stack, &["start"]);
    assert_eq!(states(&stack), "db=running web=running");

    // exec: the command's status is devbox's; -u -w -e reach the process.
    let out = devbox(
        &stack,
        &["exec", "-T", "web", "sh", "-c", "echo hi; exit 3"],
    );
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "hi\n");
    let out = ok(
        &stack,
        &[
            "exec",
            "-T",
            "-u",
            "1000",
            "-w",
            "/tmp",
            "-e",
            "A=b",
            "web",
            "sh",
            "-c",
            "id -u; pwd; echo $A",
        ],
    );
    assert_eq!(out, "1000\n/tmp\nb\n");

    // run: one-off named and labelled as Compose's, removed with --rm, status passed on.
    let out = devbox(
        &stack,
        &[
            "run",
            "--rm",
            "-T",
            "--entrypoint",
            "sh -c",
            "web",
            "echo once; exit 7",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(7),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), "once\n");
    let detached = ok(&stack, &["run", "-d", "web", "sleep", "60"]);
    let inspected = docker
        .inspect_container(detached.trim(), None)
        .await
        .unwrap();
    let oneoff = inspected.name.clone().unwrap();
    let oneoff = oneoff.trim_start_matches('/');
    assert!(oneoff.starts_with(&format!("{name}-web-run-")), "{oneoff}");
    let labels = inspected.config.unwrap().labels.unwrap();
    assert_eq!(labels["com.docker.compose.oneoff"], "True");
    assert_eq!(labels["com.docker.compose.slug"].len(), 64);
    let bindings = inspected
        .host_config
        .unwrap()
        .port_bindings
        .unwrap_or_default();
    assert!(
        bindings.is_empty(),
        "no ports without --service-ports: {bindings:?}"
    );
    assert!(
        !ok(&stack, &["ps"]).contains(oneoff),
        "one-offs are not in ps"
    );
    assert!(
        ok(&stack, &["ps", "-a"]).contains(oneoff),
        "one-offs are in ps -a"
    );
    let published = ok(
        &stack,
        &[
            "run",
            "-d",
            "--service-ports",
            "--no-deps",
            "web",
            "sleep",
            "60",
        ],
    );
    let inspected = docker
        .inspect_container(published.trim(), None)
        .await
        .unwrap();
    assert!(
        !inspected
            .host_config
            .unwrap()
            .port_bindings
            .unwrap()
            .is_empty()
    );
    let before = ok(&stack, &["ps", "-a", "-q"]).lines().count();
    let gone = devbox(&stack, &["run", "--rm", "-T", "web", "true"]);
    assert!(gone.status.success());
    assert_eq!(
        ok(&stack, &["ps", "-a", "-q"]).lines().count(),
        before,
        "--rm removed it"
    );

    // port, ls, images, top, version.
    let port = ok(&stack, &["port", "web", "8080"]);
    assert!(port.trim().starts_with("0.0.0.0:"), "{port}");
    let ls: Vec<serde_json::Value> =
        serde_json::from_str(&ok(&stack, &["ls", "--format", "json"])).unwrap();
    let row = ls.iter().find(|r| r["Name"] == name.as_str()).unwrap();
    assert!(
        row["Status"].as_str().unwrap().starts_with("running("),
        "{row}"
    );
    assert!(
        row["ConfigFiles"]
            .as_str()
            .unwrap()
            .ends_with("compose.yaml")
    );
    let images: Vec<serde_json::Value> =
        serde_json::from_str(&ok(&stack, &["images", "--format", "json"])).unwrap();
    assert!(
        images
            .iter()
            .any(|i| i["Repository"] == "devbox-fixture/busybox" && i["Tag"] == "1")
    );
    assert!(ok(&stack, &["top", "web"]).contains("httpd -f -p 8080"));
    assert!(ok(&stack, &["version", "--short"]).trim() == env!("CARGO_PKG_VERSION"));

    // stop explains a PID 1 that ignores SIGTERM (busybox sleep), with its grace period.
    let out = devbox(&stack, &["stop", "db"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "waiting for {name}-db-1 to stop: SIGTERM sent, killed in 2 s"
        )),
        "{stderr}"
    );
    assert_eq!(states(&stack), "db=exited web=running");
    ok(&stack, &["restart", "-t", "1"]);
    assert_eq!(states(&stack), "db=running web=running");
    ok(&stack, &["kill", "web"]);
    assert_eq!(states(&stack), "db=running web=exited");
    ok(&stack, &["rm", "-f"]);
    assert_eq!(states(&stack), "db=running");
    let unknown = devbox(&stack, &["stop", "nope"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("services in this project: db, web"));
    ok(&stack, &["down", "-t", "0", "--remove-orphans"]);
    assert_eq!(states(&stack), "");
}

#[tokio::test]
async fn docker_compose_and_devbox_manage_one_project_in_turn() {
    let Some(docker) = common::engine_or_skip().await else {
        return;
    };
    let Some(bin) = compose_binary() else {
        return;
    };
    common::fixture_image(&docker).await;
    let name = common::unique_project("verbsx");
    let _guard = common::ProjectGuard::new(&name);
    let stack = Stack::new(&name, YAML);
    let oracle = |args: &[&str]| {
        let (success, stdout, stderr) = compose(&bin, &stack, args);
        assert!(success, "docker compose {args:?}: {stderr}");
        stdout
    };

    oracle(&["up", "-d"]);
    assert_eq!(
        ok(&stack, &["exec", "-T", "web", "echo", "from devbox"]),
        "from devbox\n"
    );
    ok(&stack, &["stop", "-t", "0"]);
    let ps = oracle(&["ps", "-a", "--format", "{{.Service}}={{.State}}"]);
    assert!(
        ps.contains("db=exited") && ps.contains("web=exited"),
        "{ps}"
    );
    oracle(&["start"]);
    assert_eq!(states(&stack), "db=running web=running");
    assert_eq!(
        oracle(&["exec", "-T", "db", "echo", "from compose"]),
        "from compose\n"
    );

    // One-offs made by either are one-offs to the other: in `ps -a`, not in `ps`.
    let mine = ok(&stack, &["run", "-d", "--no-deps", "web", "sleep", "60"]);
    let theirs = oracle(&["ps", "-a", "--format", "{{.ID}}"]);
    assert!(
        mine.starts_with(
            theirs
                .lines()
                .find(|id| mine.starts_with(id))
                .unwrap_or("none")
        ),
        "compose ps -a lists devbox's one-off: {theirs}"
    );
    assert_eq!(oracle(&["ps", "-q"]).lines().count(), 2);
    oracle(&["run", "-d", "--no-deps", "web", "sleep", "60"]);
    assert_eq!(ok(&stack, &["ps", "-q"]).lines().count(), 2);
    assert_eq!(ok(&stack, &["ps", "-a", "-q"]).lines().count(), 4);

    ok(&stack, &["restart", "-t", "0", "web"]);
    oracle(&["kill", "db"]);
    assert_eq!(states(&stack), "db=exited web=running");
    ok(&stack, &["rm", "-f", "db"]);
    let ps = oracle(&["ps", "--format", "{{.Service}}"]);
    assert_eq!(ps.trim(), "web");
    oracle(&["down", "-t", "0", "--remove-orphans"]);
    assert_eq!(states(&stack), "");
}

const BUILT: &str = r#"
services:
  web:
    build: .
    image: 127.0.0.1:5999/devbox-verbs-web:1
    command: ["sleep", "3600"]
  other:
    image: 127.0.0.1:5999/devbox-verbs-missing:1
    command: ["sleep", "3600"]
    profiles: [never]
"#;

#[tokio::test]
async fn build_cp_events_pull_and_push() {
    let Some(docker) = common::engine_or_skip().await else {
        return;
    };
    let base = common::fixture_image(&docker).await;
    let name = common::unique_project("verbsb");
    let _guard = common::ProjectGuard::new(&name);
    let stack = Stack::new(&name, BUILT);
    std::fs::write(
        stack.dir.path().join("Dockerfile"),
        format!("FROM {base}\nRUN echo built > /built\n"),
    )
    .unwrap();
    let _image = ImageGuard(docker.clone(), "127.0.0.1:5999/devbox-verbs-web:1");

    ok(&stack, &["build"]);
    assert!(
        docker
            .inspect_image("127.0.0.1:5999/devbox-verbs-web:1")
            .await
            .is_ok()
    );
    ok(&stack, &["up", "-d"]);

    // events: a restart shows as JSON lines with the service.
    let mut follower = Command::new(env!("CARGO_BIN_EXE_devbox"))
        .current_dir(stack.dir.path())
        .env("COMPOSE_PROJECT_NAME", &stack.name)
        .args(["events", "--json"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    ok(&stack, &["restart", "-t", "0"]);
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    follower.kill().unwrap();
    let events = String::from_utf8_lossy(&follower.wait_with_output().unwrap().stdout).into_owned();
    let start = events
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|e| e["action"] == "start")
        .unwrap_or_else(|| panic!("no start event: {events}"));
    assert_eq!(start["service"], "web");
    assert_eq!(start["type"], "container");

    // cp both ways, into a directory and to a new name.
    let out = stack.dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    ok(&stack, &["cp", "web:/built", "out"]);
    ok(&stack, &["cp", "web:/built", "out/renamed"]);
    assert_eq!(
        std::fs::read_to_string(out.join("built")).unwrap(),
        "built\n"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("renamed")).unwrap(),
        "built\n"
    );
    std::fs::write(stack.dir.path().join("in.txt"), "hello\n").unwrap();
    ok(&stack, &["cp", "in.txt", "web:/tmp/"]);
    ok(&stack, &["cp", "in.txt", "web:/tmp/other.txt"]);
    assert_eq!(
        ok(
            &stack,
            &["exec", "-T", "web", "cat", "/tmp/in.txt", "/tmp/other.txt"]
        ),
        "hello\nhello\n"
    );
    let missing = devbox(&stack, &["cp", "web:/nope", "out"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("copying /nope from"));
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 2, "nothing half-written: {leftovers:?}");

    // No registry answers on 127.0.0.1:5999: pull and push fail naming image and service.
    let pull = devbox(&stack, &["pull", "--profile", "never", "other"]);
    let stderr = String::from_utf8_lossy(&pull.stderr);
    assert_eq!(pull.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("could not pull 127.0.0.1:5999/devbox-verbs-missing:1 (other)"),
        "{stderr}"
    );
    let push = devbox(&stack, &["push"]);
    let stderr = String::from_utf8_lossy(&push.stderr);
    assert_eq!(push.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("could not push 127.0.0.1:5999/devbox-verbs-web:1 (web)"),
        "{stderr}"
    );
    assert!(
        devbox(&stack, &["push", "--ignore-push-failures"])
            .status
            .success()
    );
    ok(&stack, &["down", "-t", "0"]);
}

/// Removes a tagged image when dropped.
struct ImageGuard(bollard::Docker, &'static str);

impl Drop for ImageGuard {
    fn drop(&mut self) {
        let (docker, image) = (self.0.clone(), self.1);
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            let options = bollard::query_parameters::RemoveImageOptionsBuilder::new()
                .force(true)
                .build();
            let _ = rt.block_on(docker.remove_image(image, Some(options), None));
        })
        .join();
    }
}
