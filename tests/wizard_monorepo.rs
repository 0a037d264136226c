//! A monorepo root proved by outcome: `devbox init --yes` at a root holding a Node API
//! (services/api), a Python worker (services/worker) and a static front end (web/) writes a
//! Dockerfile and .dockerignore in each app and one compose.yaml; `devbox up --wait` brings the
//! three up healthy together, the worker reaches the API through the URL the compose file gives
//! it, an edit in the API is synced by watch, and the production profile runs all three healthy,
//! non-root and read-only. The files also pass hadolint and Docker Compose's `config` where
//! those oracles are installed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod e2e;

use std::process::Command;
use std::time::Duration;

const APPS: [&str; 3] = ["api", "worker", "web"];

#[tokio::test(flavor = "multi_thread")]
async fn a_node_api_a_python_worker_and_a_static_site_come_up_together() {
    let Some(docker) = common::engine_or_skip().await else {
        return;
    };
    let _serial = e2e::SERIAL.lock().await;
    if !e2e::stand_ins() {
        return;
    }
    let dir = e2e::fixture_copy("monorepo");
    let project = e2e::Project {
        dir: dir.path().to_path_buf(),
        name: common::unique_project("e2e-monorepo"),
        port: e2e::free_port(),
        production_port: e2e::free_port(),
    };
    let _guard = common::ProjectGuard::new(&project.name);
    let init = project.run(&["init", "--yes"]);
    let said = String::from_utf8_lossy(&init.stderr);
    for file in [
        "services/api/Dockerfile",
        "services/api/.dockerignore",
        "services/worker/Dockerfile",
        "services/worker/.dockerignore",
        "web/Dockerfile",
        "web/.dockerignore",
        "compose.yaml",
    ] {
        assert!(dir.path().join(file).is_file(), "{file} missing:\n{said}");
    }
    oracles(dir.path());

    // Host ports through .env, as a user would move them.
    let ports: Vec<(String, u16)> = [
        "API_PORT",
        "WEB_PORT",
        "API_PRODUCTION_PORT",
        "WEB_PRODUCTION_PORT",
    ]
    .into_iter()
    .map(|var| (var.to_string(), e2e::free_port()))
    .collect();
    let env: String = ports.iter().map(|(k, v)| format!("{k}={v}\n")).collect();
    std::fs::write(dir.path().join(".env"), env).unwrap();
    let port = |var: &str| ports.iter().find(|(k, _)| k == var).unwrap().1;

    project.run(&["up", "--wait", "--wait-timeout", "900"]);
    for app in APPS {
        let state = e2e::wait_healthy(
            &docker,
            &project.container(app),
            None,
            Duration::from_secs(60),
        )
        .await
        .unwrap_or_else(|e| panic!("{app}: {e}"));
        assert!(state.health.is_some());
    }
    e2e::wait_for_body(
        port("API_PORT"),
        "/",
        "hello from the monorepo api",
        Duration::from_secs(60),
    )
    .unwrap();
    e2e::wait_for_body(
        port("WEB_PORT"),
        "/",
        "hello from the monorepo front end",
        Duration::from_secs(60),
    )
    .unwrap();
    // The worker pings the API every 2 s through API_URL=http://api:3000.
    let pinged = (0..30).any(|_| {
        std::thread::sleep(Duration::from_secs(1));
        e2e::http_get(port("API_PORT"), "/pings")
            .is_some_and(|(_, body)| body.trim().parse::<u32>().is_ok_and(|n| n > 0))
    });
    assert!(pinged, "the worker never reached the API");

    let watch = project.watch();
    std::thread::sleep(Duration::from_secs(3));
    project.edit(
        "services/api/lib/message.js",
        "hello from the monorepo api",
        "edited monorepo api",
    );
    if let Err(err) = e2e::wait_for_body(
        port("API_PORT"),
        "/",
        "edited monorepo api",
        Duration::from_secs(120),
    ) {
        panic!(
            "the edit never reached the api: {err}\nwatch said:\n{}",
            watch.stop()
        );
    }
    watch.stop();

    project.run(&[
        "up",
        "--profile",
        "production",
        "--wait",
        "--wait-timeout",
        "900",
    ]);
    for app in APPS {
        let name = project.container(&format!("{app}-production"));
        let state = e2e::wait_healthy(&docker, &name, None, Duration::from_secs(120))
            .await
            .unwrap_or_else(|e| panic!("{app}-production: {e}"));
        let uid = state.user.split(':').next().unwrap_or_default();
        assert!(
            !uid.is_empty() && uid != "0" && uid != "root",
            "{app}-production runs as {:?}",
            state.user
        );
        assert!(
            state.read_only,
            "{app}-production has a writable root file system"
        );
    }
    e2e::wait_for_body(
        port("API_PRODUCTION_PORT"),
        "/",
        "edited monorepo api",
        Duration::from_secs(30),
    )
    .unwrap();
    e2e::wait_for_body(
        port("WEB_PRODUCTION_PORT"),
        "/",
        "hello from the monorepo front end",
        Duration::from_secs(30),
    )
    .unwrap();

    project.run(&["down", "-v", "--profile", "production"]);
    let left = docker
        .list_containers(Some(
            bollard::query_parameters::ListContainersOptionsBuilder::new()
                .all(true)
                .filters(&std::collections::HashMap::from([(
                    "label".to_string(),
                    vec![format!("com.docker.compose.project={}", project.name)],
                )]))
                .build(),
        ))
        .await
        .unwrap();
    assert!(left.is_empty(), "down -v left containers: {left:?}");
}

/// hadolint on each Dockerfile and `docker-compose config` on the root file, when installed.
fn oracles(dir: &std::path::Path) {
    for app in ["services/api", "services/worker", "web"] {
        let dockerfile = dir.join(app).join("Dockerfile");
        if let Ok(out) = Command::new("hadolint").arg(&dockerfile).output() {
            assert!(
                out.status.success(),
                "hadolint {app}/Dockerfile:\n{}",
                String::from_utf8_lossy(&out.stdout)
            );
        }
    }
    if let Ok(out) = Command::new("docker-compose")
        .args(["config", "--quiet"])
        .current_dir(dir)
        .output()
    {
        assert!(
            out.status.success(),
            "docker-compose config:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
