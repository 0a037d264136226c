//! Dashboard overhead (issue 7): devbox's Stack tab vs oxker on the same 30 fixture containers.
//!
//! One run, sequential 60 s windows on one stack (30 busybox services, each printing a line a
//! second; svc01 probes health every 1 s, the others every 10 s):
//!
//! 1. idle: no dashboard — the engine's own baseline (health probes, log writing);
//! 2. devbox: the TUI in a 160x48 pty on the Stack tab, from 5 s after svc01 shows healthy;
//! 3. event-to-frame: in the same TUI process, `rm /tmp/ok` / `touch /tmp/ok` in svc01 flips
//!    its health; the delay from the engine's `health_status` event to the pty frame whose
//!    svc01 row shows the new state;
//! 4. oxker (default options) in the same pty size, from 5 s after it shows svc01;
//! 5. idle again: the baseline is the mean of the two idle windows, so a drift of the engine's
//!    idle cost over the run (growing log files, …) shows up instead of being charged to
//!    whoever ran last.
//!
//! Per window: the dashboard's own CPU (utime+stime+cutime+cstime of its process), the CPU of
//! dockerd, containerd and the shims of the 30 containers (polling stats is paid inside the
//! engine: dockerd asks containerd, which asks each container's shim to read its cgroup), and
//! the dashboard's peak RSS (VmHWM at the window's end; RssAnon/RssFile beside it tell the heap
//! from the binary's mapped code). Engine overhead = engine CPU in the window − the idle rate ×
//! the window's length. Both dashboards warm up 5 s, so neither is charged its start-up
//! (devbox fetches 1000 log lines per container on start). Draws per second are counted from
//! the pty stream (ratatui sends `ESC[?25l` once per draw when no cursor is shown), which tells
//! how much of a dashboard's own CPU is redrawing.
//!
//! Event-to-frame is given two ways: from the instant our own subscription (same daemon, same
//! filter kind as devbox's) received the event — the app's reaction time — and from the
//! event's engine timestamp (same host clock), which also counts the daemon's delivery.
//!
//! Run: `cargo build --release && DEVBOX_BIN=target/release/devbox cargo bench --profile dev
//! --bench dashboard_overhead`. Knobs: DASHBOARD_WINDOW_SECS (60), DASHBOARD_LATENCY_ROUNDS
//! (20; each round is one unhealthy and one healthy sample), OXKER_BIN (else PATH, else
//! ~/.cargo/bin/oxker), DEVBOX_REQUIRE_DOCKER=1 (fail instead of skipping without an engine).
#![allow(clippy::expect_used)]

#[path = "../tests/common/mod.rs"]
mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use bollard::Docker;
use bollard::exec::{CreateExecOptions, StartExecResults};
use bollard::query_parameters::{EventsOptions, ListContainersOptionsBuilder};
use futures_util::StreamExt;

const SERVICES: usize = 30;
const COLS: u16 = 160;
const ROWS: u16 = 48;
const WARM_UP: Duration = Duration::from_secs(5);

#[path = "dashboard/procfs.rs"]
mod procfs;
#[path = "dashboard/pty.rs"]
mod pty;

use procfs::*;
use pty::*;

// ---------------------------------------------------------------------------------------------
// Windows

struct Own {
    cpu: f64,
    /// VmHWM, KiB.
    peak_kib: u64,
    /// RssAnon and RssFile at the window's end, KiB: heap vs the binary's mapped pages.
    anon_kib: u64,
    file_kib: u64,
    /// Frames drawn and bytes written to the pty per second in the window.
    draws_per_s: f64,
    bytes_per_s: f64,
}

struct Window {
    label: String,
    wall: f64,
    /// The dashboard's own figures; none for an idle window.
    own: Option<Own>,
    /// dockerd, containerd, shims: CPU seconds in the window.
    engine: [f64; 3],
    load: (String, String),
}

/// Measures one window of `secs`, draining the dashboard's pty meanwhile (if any).
fn measure(
    label: &str,
    mut dashboard: Option<&mut Pty>,
    secs: u64,
    ids: &[String],
    tck: f64,
) -> Window {
    eprintln!("window {label}: {secs} s …");
    let load_start = loadavg();
    let pid = dashboard.as_ref().map(|d| d.pid());
    let pty_start = dashboard.as_ref().map_or((0, 0), |d| (d.draws, d.bytes));
    let own_start = pid.map(|p| cpu_ticks(p).expect("dashboard /proc/<pid>/stat"));
    let engine_start = engine_snapshot(ids);
    let t0 = Instant::now();
    let end = t0 + Duration::from_secs(secs);
    while Instant::now() < end {
        match dashboard.as_deref_mut() {
            Some(d) => {
                d.pump_for(Duration::from_millis(500), Duration::from_millis(20));
                assert!(
                    d.alive(),
                    "{} exited during its window; the screen:\n{}",
                    d.name,
                    d.contents()
                );
            }
            None => std::thread::sleep(Duration::from_millis(200)),
        }
    }
    let engine_end = engine_snapshot(ids);
    let own_end = pid.map(|p| cpu_ticks(p).expect("dashboard /proc/<pid>/stat"));
    let wall = t0.elapsed().as_secs_f64();
    let own = match (pid, own_start, own_end, dashboard) {
        (Some(p), Some(a), Some(b), Some(d)) => Some(Own {
            cpu: b.saturating_sub(a) as f64 / tck,
            peak_kib: status_kib(p, "VmHWM").expect("VmHWM"),
            anon_kib: status_kib(p, "RssAnon").unwrap_or(0),
            file_kib: status_kib(p, "RssFile").unwrap_or(0),
            draws_per_s: (d.draws - pty_start.0) as f64 / wall,
            bytes_per_s: (d.bytes - pty_start.1) as f64 / wall,
        }),
        _ => None,
    };
    Window {
        label: label.to_owned(),
        wall,
        own,
        engine: engine_delta(&engine_start, &engine_end, tck),
        load: (load_start, loadavg()),
    }
}

// ---------------------------------------------------------------------------------------------
// Event-to-frame

struct Sample {
    want: &'static str,
    /// Frame instant − our subscription's receipt of the event, in ms (negative: frame first).
    from_receipt: f64,
    /// Frame wall time − the event's engine timestamp, in ms.
    from_engine: f64,
}

async fn exec(docker: &Docker, id: &str, script: &str) {
    let options = CreateExecOptions {
        cmd: Some(vec!["sh".to_owned(), "-c".to_owned(), script.to_owned()]),
        attach_stdout: Some(true),
        attach_stderr: Some(true),
        ..CreateExecOptions::default()
    };
    let exec = docker
        .create_exec(id, options)
        .await
        .expect("create exec in svc01");
    if let StartExecResults::Attached { mut output, .. } = docker
        .start_exec(&exec.id, None)
        .await
        .expect("start exec in svc01")
    {
        while output.next().await.is_some() {}
    }
}

fn latency(
    rt: &tokio::runtime::Runtime,
    docker: &Docker,
    pty: &mut Pty,
    svc01: &str,
    rounds: usize,
) -> Vec<Sample> {
    // Our own subscription, filtered like devbox's: health events of this container.
    let (tx, rx) = mpsc::channel::<(Instant, String, i64)>();
    let filters = HashMap::from([
        ("type".to_owned(), vec!["container".to_owned()]),
        ("container".to_owned(), vec![svc01.to_owned()]),
        ("event".to_owned(), vec!["health_status".to_owned()]),
    ]);
    let options = EventsOptions {
        filters: Some(filters),
        ..EventsOptions::default()
    };
    let events_docker = docker.clone();
    let subscription = rt.spawn(async move {
        let mut events = events_docker.events(Some(options));
        while let Some(Ok(message)) = events.next().await {
            let at = Instant::now();
            let action = message.action.unwrap_or_default();
            if tx
                .send((at, action, message.time_nano.unwrap_or(0)))
                .is_err()
            {
                break;
            }
        }
    });
    // The request goes out when the task first runs; give it time to be registered.
    pty.pump_for(Duration::from_secs(1), Duration::from_millis(5));

    let mut samples = Vec::new();
    for round in 0..rounds {
        for (script, want) in [("rm -f /tmp/ok", "unhealthy"), ("touch /tmp/ok", "healthy")] {
            while rx.try_recv().is_ok() {}
            rt.block_on(exec(docker, svc01, script));
            let deadline = Instant::now() + Duration::from_secs(30);
            let mut event: Option<(Instant, i64)> = None;
            let mut frame: Option<(Instant, SystemTime)> = None;
            loop {
                while let Ok((at, action, nano)) = rx.try_recv() {
                    if event.is_none() && action == format!("health_status: {want}") {
                        event = Some((at, nano));
                    }
                }
                // 1 ms polls: the frame's instant is known to about a millisecond.
                if pty.pump() {
                    if frame.is_none()
                        && row_of(&pty.contents(), "svc01").is_some_and(|r| health_in(&r) == want)
                    {
                        frame = Some((Instant::now(), SystemTime::now()));
                    }
                } else {
                    std::thread::sleep(Duration::from_millis(1));
                }
                if let (Some((ev_at, nano)), Some((fr_at, fr_wall))) = (event, frame) {
                    let from_receipt = if fr_at >= ev_at {
                        (fr_at - ev_at).as_secs_f64() * 1e3
                    } else {
                        -((ev_at - fr_at).as_secs_f64() * 1e3)
                    };
                    let wall_ns = fr_wall
                        .duration_since(UNIX_EPOCH)
                        .map(|d| d.as_nanos() as i64)
                        .unwrap_or(0);
                    let from_engine = (wall_ns - nano) as f64 / 1e6;
                    eprintln!(
                        "round {round:2} {want:9}: {from_receipt:7.1} ms from receipt, \
                         {from_engine:7.1} ms from the engine's timestamp"
                    );
                    samples.push(Sample {
                        want,
                        from_receipt,
                        from_engine,
                    });
                    break;
                }
                assert!(
                    Instant::now() < deadline,
                    "round {round}: no {want} (event seen: {}, frame seen: {}) within 30 s; \
                     the screen:\n{}",
                    event.is_some(),
                    frame.is_some(),
                    pty.contents()
                );
            }
        }
    }
    subscription.abort();
    samples
}

/// Nearest-rank percentile of a sorted slice.
fn pct(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn summary(values: impl Iterator<Item = f64>) -> (f64, f64, f64, usize) {
    let mut v: Vec<f64> = values.collect();
    v.sort_by(|a, b| a.total_cmp(b));
    (
        pct(&v, 50.0),
        pct(&v, 90.0),
        v.last().copied().unwrap_or(f64::NAN),
        v.len(),
    )
}

// ---------------------------------------------------------------------------------------------
// Setup

fn compose_yaml(project: &str, image: &str) -> String {
    let mut y = format!("name: {project}\nservices:\n");
    for i in 1..=SERVICES {
        // svc01 flips health in the latency phase: a 1 s probe and a single failure.
        let (interval, retries) = if i == 1 { ("1s", 1) } else { ("10s", 3) };
        y.push_str(&format!(
            "  svc{i:02}:\n    image: {image}\n    pull_policy: never\n    \
             command: [\"sh\", \"-c\", \"touch /tmp/ok; while true; do date; sleep 1; done\"]\n    \
             stop_signal: SIGKILL\n    healthcheck:\n      \
             test: [\"CMD\", \"test\", \"-f\", \"/tmp/ok\"]\n      \
             interval: {interval}\n      timeout: 5s\n      retries: {retries}\n"
        ));
    }
    y
}

fn oxker_bin() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("OXKER_BIN") {
        return Some(PathBuf::from(p)).filter(|p| p.is_file());
    }
    let mut dirs: Vec<PathBuf> = std::env::var("PATH")
        .unwrap_or_default()
        .split(':')
        .map(PathBuf::from)
        .collect();
    if let Ok(home) = std::env::var("HOME") {
        dirs.push(Path::new(&home).join(".cargo/bin"));
    }
    dirs.into_iter()
        .map(|d| d.join("oxker"))
        .find(|p| p.is_file())
}

fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mem_kib = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
        })
        .unwrap_or(0);
    let date = Command::new("date")
        .args(["-u", "+%F %T UTC"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    format!(
        "{date}, {cores} cores, {:.1} GiB",
        mem_kib as f64 / 1024.0 / 1024.0
    )
}

fn main() {
    let devbox = PathBuf::from(
        std::env::var("DEVBOX_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_devbox").to_owned()),
    );
    let secs: u64 = env_or("DASHBOARD_WINDOW_SECS", 60);
    let rounds: usize = env_or("DASHBOARD_LATENCY_ROUNDS", 20);
    let tck = clk_tck();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("tokio runtime");
    let Some(docker) = rt.block_on(common::engine_or_skip()) else {
        return;
    };
    let engine_version = rt
        .block_on(docker.version())
        .ok()
        .and_then(|v| v.version)
        .unwrap_or_else(|| "?".into());
    let image = rt.block_on(common::fixture_image(&docker));
    let oxker = oxker_bin();
    println!("dashboard_overhead: {}", machine());
    println!(
        "devbox binary: {}; oxker: {}; Docker Engine {engine_version}; windows of {secs} s",
        devbox.display(),
        oxker
            .as_ref()
            .map_or("not installed".into(), |p| p.display().to_string())
    );
    if std::env::var_os("DEVBOX_BIN").is_none() {
        println!("note: DEVBOX_BIN unset: measuring the debug build of this bench's profile");
    }

    // The stack. A short project name keeps `svc01` visible in oxker's name column.
    let project = format!("dbxt-dash-{}", std::process::id());
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("compose.yaml"),
        compose_yaml(&project, &image),
    )
    .expect("write compose.yaml");
    // Declared after the folder: dropped (containers removed) first, also on a panic.
    let _guard = common::ProjectGuard::new(&project);
    eprintln!("up: {SERVICES} services in {}", dir.path().display());
    let up_start = Instant::now();
    let out = Command::new(&devbox)
        .args(["up", "-d", "--wait", "--wait-timeout", "180"])
        .current_dir(dir.path())
        .output()
        .expect("run devbox up");
    assert!(
        out.status.success(),
        "devbox up failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!("up --wait took {:.1} s", up_start.elapsed().as_secs_f64());

    let filters = HashMap::from([(
        "label".to_owned(),
        vec![format!("com.docker.compose.project={project}")],
    )]);
    let list = rt
        .block_on(
            docker.list_containers(Some(
                ListContainersOptionsBuilder::new()
                    .filters(&filters)
                    .build(),
            )),
        )
        .expect("list the stack's containers");
    assert_eq!(list.len(), SERVICES, "running containers of the stack");
    let ids: Vec<String> = list.iter().filter_map(|c| c.id.clone()).collect();
    let svc01 = list
        .iter()
        .find(|c| {
            c.labels
                .as_ref()
                .and_then(|l| l.get("com.docker.compose.service"))
                .is_some_and(|s| s == "svc01")
        })
        .and_then(|c| c.id.clone())
        .expect("svc01's container");
    let shims = engine_snapshot(&ids)
        .values()
        .filter(|(r, _)| *r == Role::Shim)
        .count();
    eprintln!("{} containers, {shims} shims found", ids.len());
    // Let the engine settle after the start burst before the baseline.
    std::thread::sleep(Duration::from_secs(10));

    let mut windows = vec![measure("idle (before)", None, secs, &ids, tck)];

    // devbox: the Stack tab, svc01 healthy on screen, a warm-up, the window, then latency.
    let mut tui = Pty::spawn("devbox", &devbox, dir.path());
    tui.wait_for("the tab bar", Duration::from_secs(30), |s| {
        s.contains("2 Stack")
    });
    tui.session.send("2").expect("press 2");
    tui.wait_for("svc01 healthy", Duration::from_secs(60), |s| {
        row_of(s, "svc01").is_some_and(|r| r.contains("running") && health_in(&r) == "healthy")
    });
    tui.pump_for(WARM_UP, Duration::from_millis(20));
    windows.push(measure("devbox", Some(&mut tui), secs, &ids, tck));
    eprintln!("devbox screen at the window's end:\n{}", tui.contents());
    let samples = latency(&rt, &docker, &mut tui, &svc01, rounds);
    tui.quit();

    match &oxker {
        Some(bin) => {
            let mut ox = Pty::spawn("oxker", bin, dir.path());
            ox.wait_for("svc01 in oxker's list", Duration::from_secs(60), |s| {
                s.contains("svc01")
            });
            ox.pump_for(WARM_UP, Duration::from_millis(20));
            windows.push(measure("oxker", Some(&mut ox), secs, &ids, tck));
            eprintln!("oxker screen at the window's end:\n{}", ox.contents());
            ox.quit();
        }
        None => println!("oxker: skipped: oxker not installed"),
    }
    // The dashboards' streams are closed; give the engine a moment before the second baseline.
    std::thread::sleep(Duration::from_secs(5));
    windows.push(measure("idle (after)", None, secs, &ids, tck));

    report(&windows, &samples);
}

fn report(windows: &[Window], samples: &[Sample]) {
    let idle: Vec<&Window> = windows.iter().filter(|w| w.own.is_none()).collect();
    let mut idle_rate = [0.0; 3];
    for (i, rate) in idle_rate.iter_mut().enumerate() {
        *rate = idle.iter().map(|w| w.engine[i] / w.wall).sum::<f64>() / idle.len() as f64;
    }
    println!();
    println!(
        "| window | wall s | own CPU s | dockerd s | containerd s | shims s | engine s | \
         engine over idle s | own + engine over idle s | peak RSS (VmHWM) | RSS at end: anon + \
         file | draws/s | pty KiB/s | load avg (start → end) |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    let mib = |kib: u64| kib as f64 / 1024.0;
    let mut totals: HashMap<&str, (f64, f64, f64)> = HashMap::new();
    for w in windows {
        let engine: f64 = w.engine.iter().sum();
        let over: Vec<f64> = (0..3)
            .map(|i| w.engine[i] - idle_rate[i] * w.wall)
            .collect();
        let over_total: f64 = over.iter().sum();
        let cols = match &w.own {
            Some(o) => {
                totals.insert(
                    &w.label,
                    (o.cpu + over_total, o.cpu + over[0], o.peak_kib as f64),
                );
                [
                    format!("{:.2}", o.cpu),
                    format!(
                        "{over_total:.2} (dockerd {:.2}, containerd {:.2}, shims {:.2})",
                        over[0], over[1], over[2]
                    ),
                    format!("**{:.2}**", o.cpu + over_total),
                    format!("{:.1} MiB", mib(o.peak_kib)),
                    format!("{:.1} + {:.1} MiB", mib(o.anon_kib), mib(o.file_kib)),
                    format!("{:.1}", o.draws_per_s),
                    format!("{:.1}", o.bytes_per_s / 1024.0),
                ]
            }
            None => std::array::from_fn(|_| "—".to_owned()),
        };
        let [own, over_s, total_s, peak, rss, draws, bytes] = cols;
        println!(
            "| {} | {:.1} | {own} | {:.2} | {:.2} | {:.2} | {engine:.2} | {over_s} | {total_s} | \
             {peak} | {rss} | {draws} | {bytes} | {} → {} |",
            w.label, w.wall, w.engine[0], w.engine[1], w.engine[2], w.load.0, w.load.1
        );
    }
    println!(
        "idle engine rate (mean of {} idle windows): dockerd {:.3}, containerd {:.3}, shims {:.3} \
         CPU s/s",
        idle.len(),
        idle_rate[0],
        idle_rate[1],
        idle_rate[2]
    );
    if let (Some(d), Some(o)) = (totals.get("devbox"), totals.get("oxker")) {
        println!(
            "ratio devbox/oxker, own + engine over idle: {:.2} (target ≤ 0.5); \
             counting dockerd only for the engine: {:.2}",
            d.0 / o.0,
            d.1 / o.1
        );
    }
    if let Some(d) = totals.get("devbox") {
        println!(
            "devbox peak RSS {:.1} MiB ({:.1} MB; target ≤ 20 MB)",
            d.2 / 1024.0,
            d.2 * 1024.0 / 1e6
        );
    }
    for (label, filter) in [
        ("both", None),
        ("→ unhealthy", Some("unhealthy")),
        ("→ healthy", Some("healthy")),
    ] {
        let chosen = || {
            samples
                .iter()
                .filter(move |s| filter.is_none_or(|f| s.want == f))
        };
        let (p50, p90, max, n) = summary(chosen().map(|s| s.from_receipt));
        let (e50, e90, emax, _) = summary(chosen().map(|s| s.from_engine));
        println!(
            "event-to-frame {label} ({n} samples): from our receipt p50 {p50:.1} / p90 {p90:.1} / \
             max {max:.1} ms; from the engine timestamp p50 {e50:.1} / p90 {e90:.1} / max \
             {emax:.1} ms (target ≤ 100 ms)"
        );
    }
}
