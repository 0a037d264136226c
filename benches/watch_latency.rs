//! Watch benchmarks against a running fixture container (`cargo bench --bench watch_latency`):
//! save → content in the container (200 edits, p50/p99), a 5,000-file burst of creates, edits
//! and deletes → container tree equal to the host's, each through the receiver and through the
//! archive API only; Compose's watch on the same rule; start-up on a 100,000-file tree with
//! 95% under an ignored node_modules (watches registered, time, peak RSS).
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/common/mod.rs"]
mod common;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bollard::Docker;
use bollard::query_parameters::RemoveContainerOptionsBuilder;
use devbox::domain::sync::{BuildIgnore, RuleSpec, ServiceWatchSpec, WatchSet, compile, plan};
use devbox::engine::sync::{SyncSession, apply};
use devbox::watch::{FileWatcher, WatchOptions};
use futures_util::StreamExt;
use sha2::{Digest, Sha256};

const IMAGE: &str = "devbox-fixture/busybox:1";

fn set_for(root: &str) -> Arc<WatchSet> {
    Arc::new(
        compile(&[ServiceWatchSpec {
            service: "web".into(),
            rules: vec![RuleSpec {
                path: format!("{root}/src"),
                action: "sync".into(),
                target: "/app/src".into(),
                ..RuleSpec::default()
            }],
            has_build: true,
            build_ignore: Some(BuildIgnore {
                context: root.to_string(),
                file: format!("{root}/.dockerignore"),
                text: "node_modules\n".into(),
            }),
            bind_sources: vec![],
        }])
        .unwrap(),
    )
}

async fn sh(docker: &Docker, id: &str, script: &str) -> String {
    common::exec_output(docker, id, &["sh", "-c", script]).await
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn host_sums(root: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(root).unwrap().display().to_string();
                out.insert(
                    rel,
                    hex::encode(Sha256::digest(std::fs::read(&path).unwrap())),
                );
            }
        }
    }
    out
}

async fn container_sums(docker: &Docker, id: &str) -> BTreeMap<String, String> {
    sh(
        docker,
        id,
        "cd /app/src && find . -type f | xargs -r sha256sum",
    )
    .await
    .lines()
    .filter_map(|l| l.split_once("  "))
    .map(|(sum, path)| (path.trim_start_matches("./").to_string(), sum.to_string()))
    .collect()
}

/// A `/proc/self/status` memory line (`VmRSS:`, `VmHWM:`) in KiB.
fn rss_kib(key: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with(key)).map(str::to_string))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        .unwrap_or(0)
}

/// How the batches reach the container: the receiver (default) or the archive API only.
#[derive(Clone, Copy)]
enum Via {
    Receiver,
    Archive,
}

impl Via {
    fn session(self) -> SyncSession {
        match self {
            Via::Receiver => SyncSession::default(),
            Via::Archive => SyncSession::archive_only(),
        }
    }

    fn label(self) -> &'static str {
        match self {
            Via::Receiver => "receiver",
            Via::Archive => "archive API",
        }
    }
}

async fn save_latency(docker: &Docker, project: &str, id: &str, root: &str, via: Via) {
    let set = set_for(root);
    let mut watcher = FileWatcher::start(Arc::clone(&set), WatchOptions::default()).unwrap();
    let mut pending = via.session();
    let file = format!("{root}/src/app.js");
    let mut latencies = Vec::new();
    for i in 0..200 {
        std::fs::write(&file, format!("console.log({i});\n")).unwrap();
        let saved = Instant::now();
        loop {
            let batch = watcher.next_batch().await.unwrap();
            let hit = batch.iter().any(|c| c.path == file);
            for p in plan(&set, &batch) {
                apply(docker, project, &set, &p, &mut pending)
                    .await
                    .unwrap();
            }
            if hit {
                break;
            }
        }
        latencies.push(saved.elapsed());
        if i % 50 == 49 {
            let content = sh(docker, id, "cat /app/src/app.js").await;
            assert_eq!(content, format!("console.log({i});\n"));
        }
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
    latencies.sort();
    println!(
        "[{}] save → in container, 200 edits: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        via.label(),
        percentile(&latencies, 0.5).as_secs_f64() * 1e3,
        percentile(&latencies, 0.99).as_secs_f64() * 1e3,
        latencies[latencies.len() - 1].as_secs_f64() * 1e3
    );
}

async fn burst(docker: &Docker, project: &str, id: &str, root: &str, via: Via) {
    let set = set_for(root);
    let mut watcher = FileWatcher::start(Arc::clone(&set), WatchOptions::default()).unwrap();
    let mut pending = via.session();
    let base = Path::new(root).join(format!("src/burst-{}", via.label().replace(' ', "-")));
    let started = Instant::now();
    let writer = {
        let base = base.clone();
        std::thread::spawn(move || {
            for i in 0..5000 {
                let path = base.join(format!("d{}/f{i}.js", i % 50));
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, format!("first {i}\n")).unwrap();
            }
            for i in (0..5000).step_by(3) {
                std::fs::write(
                    base.join(format!("d{}/f{i}.js", i % 50)),
                    format!("edited {i}\n"),
                )
                .unwrap();
            }
            for i in (1..5000).step_by(7) {
                std::fs::remove_file(base.join(format!("d{}/f{i}.js", i % 50))).unwrap();
            }
        })
    };
    let mut batches = 0;
    let mut last_applied = started;
    loop {
        let next = tokio::time::timeout(Duration::from_millis(1500), watcher.next_batch()).await;
        let Ok(Some(batch)) = next else { break };
        batches += 1;
        for p in plan(&set, &batch) {
            apply(docker, project, &set, &p, &mut pending)
                .await
                .unwrap();
        }
        last_applied = Instant::now();
    }
    writer.join().unwrap();
    let host = host_sums(&Path::new(root).join("src"));
    let container = container_sums(docker, id).await;
    println!(
        "[{}] 5,000-file burst (creates, 1,667 edits, 715 deletes): container equal to host in {:.2} s \
         ({batches} batches, {} files, equal: {})",
        via.label(),
        (last_applied - started).as_secs_f64(),
        host.len(),
        host == container
    );
}

fn big_tree(root: &Path) -> usize {
    let mut dirs = 0;
    for d in 0..250 {
        let dir = root.join(format!("src/m{d}"));
        std::fs::create_dir_all(&dir).unwrap();
        dirs += 1;
        for f in 0..20 {
            std::fs::write(dir.join(format!("f{f}.js")), "x").unwrap();
        }
    }
    for d in 0..4750 {
        let dir = root.join(format!("node_modules/p{}/lib{}", d / 10, d % 10));
        std::fs::create_dir_all(&dir).unwrap();
        dirs += 1 + usize::from(d % 10 == 0);
        for f in 0..20 {
            std::fs::write(dir.join(format!("f{f}.js")), "x").unwrap();
        }
    }
    dirs + 3
}

fn startup(root: &Path) {
    let dirs = big_tree(root);
    let text = root.display().to_string();
    // The whole project watched, as a `path: .` rule does.
    let set = compile(&[ServiceWatchSpec {
        service: "web".into(),
        rules: vec![RuleSpec {
            path: text.clone(),
            action: "sync".into(),
            target: "/app".into(),
            ..RuleSpec::default()
        }],
        has_build: true,
        build_ignore: Some(BuildIgnore {
            context: text.clone(),
            file: format!("{text}/.dockerignore"),
            text: "node_modules\n".into(),
        }),
        bind_sources: vec![],
    }])
    .unwrap();
    let rss_before = rss_kib("VmRSS:");
    let started = Instant::now();
    let watcher = FileWatcher::start(Arc::new(set), WatchOptions::default()).unwrap();
    let elapsed = started.elapsed();
    let stats = watcher.stats();
    let rss_after = rss_kib("VmRSS:");
    println!(
        "100,000 files (95% under ignored node_modules, {dirs} dirs): {} inotify watches \
         (Compose registers one per directory: {dirs}), start-up {:.1} ms, resident memory \
         +{:.1} MiB for the watcher (VmRSS {:.1} → {:.1} MiB)",
        stats.watched_dirs,
        elapsed.as_secs_f64() * 1e3,
        rss_after.saturating_sub(rss_before) as f64 / 1024.0,
        rss_before as f64 / 1024.0,
        rss_after as f64 / 1024.0
    );
}

/// The Docker Compose binary from the tools venv (or PATH), if installed.
fn compose_binary() -> Option<std::path::PathBuf> {
    let mut dirs: Vec<std::path::PathBuf> = Vec::new();
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

/// `docker compose watch` on the same kind of rule: save → the engine's `extract-to-dir`
/// event for the container (30 edits; Compose waits for 500 ms of quiet each time).
async fn compose_latency(docker: &Docker) {
    let Some(compose) = compose_binary() else {
        println!("compose: skipped (docker-compose not installed)");
        return;
    };
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
    let mut child = tokio::process::Command::new(&compose)
        .current_dir(&root)
        .args(["-p", &project, "watch"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let filters = HashMap::from([
        ("event".to_string(), vec!["extract-to-dir".to_string()]),
        (
            "label".to_string(),
            vec![format!("com.docker.compose.project={project}")],
        ),
    ]);
    let options = bollard::query_parameters::EventsOptionsBuilder::new()
        .filters(&filters)
        .build();
    let mut events = docker.events(Some(options));
    // Let Compose start the container and its watcher.
    tokio::time::sleep(Duration::from_secs(8)).await;
    let mut latencies = Vec::new();
    for i in 0..30 {
        std::fs::write(root.join("src/app.js"), format!("edit {i}\n")).unwrap();
        let saved = Instant::now();
        match tokio::time::timeout(Duration::from_secs(10), events.next()).await {
            Ok(Some(Ok(_))) => latencies.push(saved.elapsed()),
            _ => break,
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let _ = child.kill().await;
    let _ = tokio::process::Command::new(&compose)
        .current_dir(&root)
        .args(["-p", &project, "down", "-t", "0"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .await;
    if latencies.is_empty() {
        println!("compose: no sync observed");
        return;
    }
    latencies.sort();
    println!(
        "compose watch, save → in container, {} edits: p50 {:.1} ms, p99 {:.1} ms",
        latencies.len(),
        percentile(&latencies, 0.5).as_secs_f64() * 1e3,
        percentile(&latencies, 0.99).as_secs_f64() * 1e3
    );
}

#[tokio::main]
async fn main() {
    let Ok(engine) = devbox::engine::client::connect().await else {
        println!("skipped: no Docker engine");
        return;
    };
    let docker = engine.docker;
    if docker.inspect_image(IMAGE).await.is_err() {
        println!(
            "skipped: {IMAGE} missing (run `cargo test --test engine_watch` once to import it)"
        );
        return;
    }
    let project = format!("dbxbench-{}", std::process::id());
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap().display().to_string();
    std::fs::create_dir_all(format!("{root}/src")).unwrap();
    let body = bollard::models::ContainerCreateBody {
        image: Some(IMAGE.to_string()),
        cmd: Some(vec!["sleep".into(), "3600".into()]),
        ..Default::default()
    };
    let id = common::compose_container(&docker, &project, "web", 1, body).await;

    // Both paths in the same run, alternating, so load on the machine hits both alike.
    for via in [Via::Receiver, Via::Archive] {
        save_latency(&docker, &project, &id, &root, via).await;
    }
    for via in [Via::Receiver, Via::Archive] {
        burst(&docker, &project, &id, &root, via).await;
    }
    let remove = RemoveContainerOptionsBuilder::new().force(true).build();
    docker.remove_container(&id, Some(remove)).await.unwrap();

    compose_latency(&docker).await;

    // Last: writing (and later deleting) 100,000 files keeps the disk busy for a while, which
    // would slow the bursts above.
    let big = tempfile::tempdir().unwrap();
    startup(&big.path().canonicalize().unwrap());
}
