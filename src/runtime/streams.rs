//! The engine-facing tasks of the TUI: connect, watch the project (events, then list), follow
//! stats and logs of one container, inspect. Each sends owned facts back as `Msg`s.

use std::time::Duration;

use bollard::Docker;
use futures_util::StreamExt;
use tokio::sync::mpsc;

use super::Incoming;
use crate::app::{EngineState, LogChunk, Msg};
use crate::engine::{connect::client, observe::cgroup, observe::feed, observe::stats};

/// Log lines sent in one message at most; a burst becomes a few messages, not thousands.
const LOG_BATCH: usize = 512;

async fn send(tx: &mpsc::Sender<Incoming>, msg: Msg) -> bool {
    tx.send(Incoming::Msg(msg)).await.is_ok()
}

/// Connects (after `after_ms`), then hands the client to the runtime and the state to `update`.
pub async fn connect(tx: mpsc::Sender<Incoming>, after_ms: u64) {
    if after_ms > 0 {
        tokio::time::sleep(Duration::from_millis(after_ms)).await;
    }
    let (state, docker) = match client::connect().await {
        Ok(engine) => {
            let server_version = match engine.docker.version().await {
                Ok(v) => v.version.unwrap_or_else(|| "?".into()),
                Err(_) => "?".into(),
            };
            let state = EngineState::Connected {
                endpoint: engine.endpoint.host.clone(),
                server_version,
                api_version: engine.api_version.clone(),
            };
            (state, Some(engine.docker))
        }
        Err(client::ConnectError::Unreachable { host, reason, .. }) => (
            EngineState::Unreachable {
                endpoint: host,
                reason: reason.to_string(),
            },
            None,
        ),
        Err(client::ConnectError::Endpoint(err)) => (
            EngineState::Unreachable {
                endpoint: "(unresolved)".into(),
                reason: err.to_string(),
            },
            None,
        ),
    };
    if let Some(docker) = docker {
        let _ = tx.send(Incoming::Docker(docker)).await;
    }
    send(&tx, Msg::EngineChanged(state)).await;
}

/// How often the connected engine is pinged, and how long a ping may take: a hang shows within
/// two periods.
const PING_EVERY: Duration = Duration::from_secs(1);

/// Pings the engine every second. Nothing else can tell a stopped or wedged engine (SIGSTOP, a
/// full disk, a remote link that dropped without a reset) from a quiet one: its sockets stay
/// open and its streams just stop. Reports `EngineSilent` each second while pings go
/// unanswered and `EngineAnswered` when one comes back; an engine that is gone ends the event
/// stream, which reconnects.
pub async fn heartbeat(tx: mpsc::Sender<Incoming>, docker: Docker) {
    let mut ticks = tokio::time::interval(PING_EVERY);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut silent_since: Option<tokio::time::Instant> = None;
    loop {
        ticks.tick().await;
        let asked = tokio::time::Instant::now();
        let answered = matches!(
            tokio::time::timeout(PING_EVERY, docker.ping()).await,
            Ok(Ok(_))
        );
        let msg = match (answered, silent_since) {
            (true, None) => continue,
            (true, Some(_)) => {
                silent_since = None;
                Msg::EngineAnswered
            }
            (false, since) => {
                let since = *silent_since.get_or_insert(since.unwrap_or(asked));
                Msg::EngineSilent {
                    seconds: since.elapsed().as_secs().max(1),
                }
            }
        };
        if !send(&tx, msg).await {
            break;
        }
    }
}

/// Subscribes to the project's events, lists its containers, then forwards events until the
/// engine goes away, which it reports as `EngineLost` at once (the stream ends on EOF).
pub async fn watch(tx: mpsc::Sender<Incoming>, docker: Docker, project: String) {
    let mut events = Box::pin(feed::events(&docker, &project));
    // Poll the events stream while listing, so the subscription is open before the list is
    // taken and nothing falls in between; events seen meanwhile are applied after the list.
    let listing = feed::list(&docker, &project);
    tokio::pin!(listing);
    let mut early = Vec::new();
    let listed = loop {
        tokio::select! {
            listed = &mut listing => break listed,
            Some(item) = events.next() => early.push(item),
        }
    };
    match listed {
        Ok(list) => {
            if !send(&tx, Msg::ContainersListed(list)).await {
                return;
            }
        }
        Err(err) => {
            send(&tx, Msg::EngineLost { reason: err.0 }).await;
            return;
        }
    }
    let mut early = early.into_iter();
    loop {
        let item = match early.next() {
            Some(item) => item,
            None => match events.next().await {
                Some(item) => item,
                None => break,
            },
        };
        let msg = match item {
            Ok(event) => Msg::ContainerEvent(event),
            Err(ended) => Msg::EngineLost { reason: ended.0 },
        };
        let lost = matches!(msg, Msg::EngineLost { .. });
        if !send(&tx, msg).await || lost {
            break;
        }
    }
}

/// Stats frames of one container until it stops or the engine goes (the event stream says so).
pub async fn follow_stats(tx: mpsc::Sender<Incoming>, docker: Docker, id: String, every: Duration) {
    if let Some(files) = local_cgroup(&docker, &id).await {
        return sample_cgroup(tx, id, files, every).await;
    }
    let mut frames = Box::pin(stats::stats(&docker, &id));
    while let Some(Ok(sample)) = frames.next().await {
        let msg = Msg::Stats {
            id: id.clone(),
            sample,
        };
        if !send(&tx, msg).await {
            break;
        }
    }
}

/// The container's cgroup files when the engine runs on this machine (see `engine::cgroup`).
async fn local_cgroup(docker: &Docker, id: &str) -> Option<cgroup::CgroupFiles> {
    let pid = docker.inspect_container(id, None).await.ok()?.state?.pid?;
    // Two small procfs reads: inline, since 30 containers starting at once would otherwise grow
    // the blocking pool (and its per-thread memory) to 30 threads for a moment.
    cgroup::locate(id, pid)
}

/// A sample every `every` (a second by default, as the engine's collector does) from the cgroup
/// files, until they are gone (the container stopped; its `die` event stops this task anyway).
async fn sample_cgroup(
    tx: mpsc::Sender<Incoming>,
    id: String,
    files: cgroup::CgroupFiles,
    every: Duration,
) {
    let mut ticks = tokio::time::interval(every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut previous: Option<crate::domain::stack::StatsSample> = None;
    loop {
        ticks.tick().await;
        // A handful of small reads from procfs/cgroupfs: not worth a blocking-pool hop.
        let Some(sample) = cgroup::sample(&files, previous.as_ref()) else {
            break;
        };
        previous = Some(sample.clone());
        if !send(
            &tx,
            Msg::Stats {
                id: id.clone(),
                sample,
            },
        )
        .await
        {
            break;
        }
    }
}

/// Log lines of one container, batched, until it stops.
pub async fn follow_logs(
    tx: mpsc::Sender<Incoming>,
    docker: Docker,
    id: String,
    service: String,
    since: Option<String>,
) {
    let mut lines = Box::pin(stats::logs(&docker, &id, since).ready_chunks(LOG_BATCH));
    while let Some(batch) = lines.next().await {
        let ended = batch.iter().any(Result::is_err);
        let lines: Vec<_> = batch.into_iter().filter_map(Result::ok).collect();
        if !lines.is_empty() {
            let chunk = LogChunk {
                container: id.clone(),
                service: service.clone(),
                lines,
            };
            if !send(&tx, Msg::Logs(chunk)).await {
                break;
            }
        }
        if ended {
            break;
        }
    }
}

/// One inspect; a container removed meanwhile is skipped (its destroy event follows).
pub async fn inspect(tx: mpsc::Sender<Incoming>, docker: Docker, id: String, sizes: bool) {
    if let Ok(info) = feed::inspect(&docker, &id, sizes).await {
        send(&tx, Msg::ContainerInspected(info)).await;
    }
}

/// Every compose project on the engine: listed now, then again after each change (the events
/// that came in while a list was taken are covered by the next one). Runs while the Projects
/// tab is shown.
pub async fn watch_projects(tx: mpsc::Sender<Incoming>, docker: Docker) {
    use crate::engine::observe::projects;
    let mut changes = Box::pin(projects::changes(&docker));
    loop {
        let listed = projects::list(&docker).await.map_err(|e| {
            format!(
                "listing the engine's compose projects (GET /containers/json) failed: {}",
                e.0
            )
        });
        if !send(&tx, Msg::ProjectsListed(listed)).await {
            return;
        }
        match changes.next().await {
            Some(Ok(())) => {}
            Some(Err(ended)) => {
                send(&tx, Msg::EngineLost { reason: ended.0 }).await;
                return;
            }
            None => return,
        }
        // A burst (a whole stack going up) is one list, not one per container.
        while let Some(Some(item)) = futures_util::FutureExt::now_or_never(changes.next()) {
            if let Err(ended) = item {
                send(&tx, Msg::EngineLost { reason: ended.0 }).await;
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    use super::*;

    /// An engine that accepts connections and answers pings only while `answer` is set, like a
    /// dockerd under SIGSTOP (the kernel still accepts; nothing replies).
    async fn fake_engine(path: std::path::PathBuf, answer: Arc<AtomicBool>) {
        let listener = tokio::net::UnixListener::bind(&path).expect("bind");
        loop {
            let Ok((mut conn, _)) = listener.accept().await else {
                return;
            };
            let answer = answer.clone();
            tokio::spawn(async move {
                let mut buf = [0u8; 4096];
                loop {
                    match conn.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(_) => {}
                    }
                    while !answer.load(Ordering::SeqCst) {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                    let reply = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nOK";
                    if conn.write_all(reply.as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    }

    async fn next_msg(rx: &mut mpsc::Receiver<Incoming>) -> Msg {
        match rx.recv().await {
            Some(Incoming::Msg(msg)) => msg,
            _ => panic!("the heartbeat stopped"),
        }
    }

    /// On tokio's paused clock, which advances only while every task waits: the bound is the
    /// heartbeat's own (a tick, then a ping's timeout), not the test machine's speed.
    #[tokio::test(start_paused = true)]
    async fn a_hung_engine_is_reported_within_three_seconds_and_its_return_too() {
        let dir = tempfile::tempdir().expect("tempdir");
        let socket = dir.path().join("engine.sock");
        let answer = Arc::new(AtomicBool::new(false));
        tokio::spawn(fake_engine(socket.clone(), answer.clone()));
        tokio::time::sleep(Duration::from_millis(50)).await;
        let docker = Docker::connect_with_unix(
            socket.to_str().expect("utf-8 path"),
            30,
            bollard::API_DEFAULT_VERSION,
        )
        .expect("client");
        let (tx, mut rx) = mpsc::channel(16);
        let started = tokio::time::Instant::now();
        let beat = tokio::spawn(heartbeat(tx, docker));
        let first = next_msg(&mut rx).await;
        assert!(matches!(first, Msg::EngineSilent { .. }), "{first:?}");
        let waited = started.elapsed();
        assert!(waited < Duration::from_secs(3), "{waited:?}");
        answer.store(true, Ordering::SeqCst);
        loop {
            match next_msg(&mut rx).await {
                Msg::EngineSilent { .. } => continue,
                Msg::EngineAnswered => break,
                other => panic!("{other:?}"),
            }
        }
        beat.abort();
    }
}
