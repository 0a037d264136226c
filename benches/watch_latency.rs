//! Watch benchmarks against a running fixture container (`cargo bench --bench watch_latency`):
//! save → content in the container (200 edits, p50/p99), a 5,000-file burst of creates, edits
//! and deletes → container tree equal to the host's, each through the receiver and through the
//! archive API only; Compose's watch on the same rule; start-up on a 100,000-file tree with
//! 95% under an ignored node_modules (watches registered, time, peak RSS).
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/common/mod.rs"]
mod common;
#[path = "watch/compose.rs"]
mod compose;
#[path = "watch/tree.rs"]
mod tree;

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bollard::Docker;
use bollard::query_parameters::RemoveContainerOptionsBuilder;
use devbox::domain::sync::{BuildIgnore, RuleSpec, ServiceWatchSpec, WatchSet, compile, plan};
use devbox::engine::sync::{SyncSession, apply};
use devbox::watch::{FileWatcher, WatchOptions};

use common::trees::{compare, container_sums, host_sums};
use compose::ComposeWatch;
use tree::{big_tree, write_burst};

pub const IMAGE: &str = "devbox-fixture/busybox:1";

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

pub(crate) async fn sh(docker: &Docker, id: &str, script: &str) -> String {
    common::exec_output(docker, id, &["sh", "-c", script]).await
}

pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
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

/// One burst: first write → container tree equal to the host's.
pub struct BurstRun {
    total: Duration,
    /// When the writer finished (the host's own file system sets this floor).
    written: Duration,
    batches: usize,
    /// `equal`, or how the trees differ.
    equal: String,
}

impl BurstRun {
    fn line(&self, who: &str, round: usize) -> String {
        format!(
            "[{who}] burst {round}: {:.2} s ({} batches; {}; writer done at {:.2} s, {:.2} s \
             after the last write)",
            self.total.as_secs_f64(),
            self.batches,
            self.equal,
            self.written.as_secs_f64(),
            self.total.saturating_sub(self.written).as_secs_f64()
        )
    }
}

async fn burst(
    docker: &Docker,
    project: &str,
    id: &str,
    root: &str,
    via: Via,
    round: usize,
) -> BurstRun {
    let set = set_for(root);
    let mut watcher = FileWatcher::start(Arc::clone(&set), WatchOptions::default()).unwrap();
    let mut pending = via.session();
    let label = via.label().replace(' ', "-");
    let base = Path::new(root).join(format!("src/burst-{label}-{round}"));
    let started = Instant::now();
    let writer = write_burst(base, started);
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
    let written = writer.join().unwrap();
    let equal = compare(
        &host_sums(&Path::new(root).join("src")),
        &container_sums(docker, id, "/app/src").await,
    );
    BurstRun {
        total: last_applied - started,
        written,
        batches,
        equal,
    }
}

fn median(runs: &[BurstRun], of: impl Fn(&BurstRun) -> Duration) -> f64 {
    let mut values: Vec<Duration> = runs.iter().map(of).collect();
    values.sort();
    values[values.len() / 2].as_secs_f64()
}

fn summary(who: &str, runs: &[BurstRun]) {
    if runs.is_empty() {
        return;
    }
    println!(
        "[{who}] 5,000-file burst (creates, 1,667 edits, 715 deletes), median of {}: {:.2} s \
         (writer {:.2} s, {:.2} s after the last write), all equal: {}",
        runs.len(),
        median(runs, |r| r.total),
        median(runs, |r| r.written),
        median(runs, |r| r.total.saturating_sub(r.written)),
        runs.iter().all(|r| r.equal == "equal")
    );
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

#[tokio::main]
async fn main() {
    let Ok(engine) = devbox::engine::connect::client::connect().await else {
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

    // `DEVBOX_BENCH_ONLY=burst` (or `save`, `compose`, `startup`) runs one part.
    let only = std::env::var("DEVBOX_BENCH_ONLY").ok();
    let runs = |part: &str| only.as_deref().is_none_or(|o| o == part);
    // Both paths in the same run, alternating, so load on the machine hits both alike.
    if runs("save") {
        for via in [Via::Receiver, Via::Archive] {
            save_latency(&docker, &project, &id, &root, via).await;
        }
    }
    let compose = if runs("burst") || runs("compose") {
        ComposeWatch::start().await
    } else {
        None
    };
    if compose.is_none() {
        println!("[compose watch] skipped (docker-compose not installed)");
    }
    if runs("burst") {
        // This machine's disk varies several-fold from minute to minute (the writer alone takes
        // 0.4–5 s), so the three ways take turns, three rounds, and medians are reported.
        let (mut mine, mut archive, mut theirs) = (Vec::new(), Vec::new(), Vec::new());
        for round in 0..3 {
            let run = burst(&docker, &project, &id, &root, Via::Receiver, round).await;
            println!("{}", run.line("receiver", round));
            mine.push(run);
            let run = burst(&docker, &project, &id, &root, Via::Archive, round).await;
            println!("{}", run.line("archive API", round));
            archive.push(run);
            if let Some(run) = match &compose {
                Some(c) => c.burst(&docker, round).await,
                None => None,
            } {
                println!("{}", run.line("compose watch", round));
                theirs.push(run);
            }
        }
        summary("receiver", &mine);
        summary("archive API", &archive);
        summary("compose watch", &theirs);
    }
    let remove = RemoveContainerOptionsBuilder::new().force(true).build();
    docker.remove_container(&id, Some(remove)).await.unwrap();
    if let Some(compose) = compose {
        if runs("compose") {
            compose.latency(&docker).await;
        }
        compose.stop().await;
    }

    // Last: writing (and later deleting) 100,000 files keeps the disk busy for a while, which
    // would slow the bursts above.
    if runs("startup") {
        let big = tempfile::tempdir().unwrap();
        startup(&big.path().canonicalize().unwrap());
    }
}
