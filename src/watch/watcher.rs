//! The notify edge: one non-recursive watch per directory that some rule can use (ignored
//! trees such as `node_modules` are never watched), new directories registered as they
//! appear (their contents reported), OS limits named with the sysctl that raises them and
//! polling for what could not be watched, and a bounded channel whose overflow is counted
//! and kept (never lost) for the next batch.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, mpsc as std_mpsc};
use std::time::{Duration, Instant};

use indexmap::IndexMap;
use miette::Diagnostic;
use notify::{Event, PollWatcher, RecommendedWatcher};
use thiserror::Error;
use tokio::sync::mpsc;

use super::batch::{BatchTiming, Batcher};
use crate::domain::sync::{FsChange, WatchSet};

/// Knobs of the watcher.
#[derive(Debug, Clone, Copy)]
pub struct WatchOptions {
    pub timing: BatchTiming,
    /// Paths buffered between the notify thread and the batcher before overflow kicks in.
    pub channel_capacity: usize,
    /// How often polled directories are scanned.
    pub poll_interval: Duration,
    /// Stop adding inotify watches after this many (leave headroom for other programs);
    /// the rest is polled. `None` = until the OS says no.
    pub max_inotify_dirs: Option<usize>,
}

impl Default for WatchOptions {
    fn default() -> Self {
        WatchOptions {
            timing: BatchTiming::default(),
            channel_capacity: 8192,
            poll_interval: Duration::from_secs(1),
            max_inotify_dirs: None,
        }
    }
}

/// An OS limit that stopped inotify, with the sysctl that raises it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitHit {
    pub sysctl: &'static str,
    pub value: Option<u64>,
}

impl LimitHit {
    fn read(sysctl: &'static str) -> LimitHit {
        let file = format!("/proc/sys/{}", sysctl.replace('.', "/"));
        let value = std::fs::read_to_string(file)
            .ok()
            .and_then(|v| v.trim().parse().ok());
        LimitHit { sysctl, value }
    }

    /// The user-facing explanation.
    pub fn message(&self, polled_dirs: usize) -> String {
        let value = self
            .value
            .map_or_else(|| "unknown".to_string(), |v| v.to_string());
        let raise = if self.sysctl.ends_with("instances") {
            1024
        } else {
            524_288
        };
        format!(
            "inotify limit reached: {} = {value}; polling {polled_dirs} directories instead \
             (slower). Raise it with `sudo sysctl {}={raise}`",
            self.sysctl, self.sysctl
        )
    }
}

/// Counters for the activity log and the benchmarks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WatchStats {
    pub watched_dirs: usize,
    pub polled_dirs: usize,
    /// Directories left unwatched because every rule ignores them.
    pub skipped_dirs: usize,
    /// Paths that found the channel full (kept in the overflow set, not lost).
    pub overflowed: u64,
    pub limit: Option<LimitHit>,
    /// Files and directories a rule would take whose names are not UTF-8: rules match text
    /// names, so they are not synced. Counted once per path.
    pub non_utf8: u64,
    /// The newest such path, as shown (invalid bytes escaped).
    pub non_utf8_example: Option<String>,
}

/// Why watching could not start.
#[derive(Debug, Error, Diagnostic)]
pub enum WatchError {
    #[error("cannot watch the root directory /")]
    #[diagnostic(help("point develop.watch path at the project, not at /"))]
    Root,
    #[error("file watching could not start: {reason}")]
    #[diagnostic(help("check that the watched paths exist and are readable"))]
    Start { reason: String },
}

enum RawMsg {
    Event(notify::Result<Event>),
    Stop,
}

struct Shared {
    stats: Mutex<WatchStats>,
    overflow: Mutex<IndexMap<String, Instant>>,
    overflowed: AtomicU64,
    /// Woken when something the user must hear about happened (a name that cannot be synced).
    notice: Arc<tokio::sync::Notify>,
}

/// A running watcher; `next_batch` yields stat'ed changes.
pub struct FileWatcher {
    rx: mpsc::Receiver<(String, Instant)>,
    shared: Arc<Shared>,
    batcher: Batcher,
    raw_tx: std_mpsc::Sender<RawMsg>,
}

impl Drop for FileWatcher {
    fn drop(&mut self) {
        let _ = self.raw_tx.send(RawMsg::Stop);
    }
}

impl FileWatcher {
    /// Registers the watches (synchronously, so nothing after `start` returns is missed).
    pub fn start(set: Arc<WatchSet>, options: WatchOptions) -> Result<FileWatcher, WatchError> {
        let roots: Vec<PathBuf> = set.roots().into_iter().map(PathBuf::from).collect();
        if roots.iter().any(|r| r == Path::new("/")) {
            return Err(WatchError::Root);
        }
        let (tx, rx) = mpsc::channel(options.channel_capacity.max(1));
        let (raw_tx, raw_rx) = std_mpsc::channel();
        let shared = Arc::new(Shared {
            stats: Mutex::new(WatchStats::default()),
            overflow: Mutex::new(IndexMap::new()),
            overflowed: AtomicU64::new(0),
            notice: Arc::new(tokio::sync::Notify::new()),
        });
        let handler_tx = raw_tx.clone();
        let mut registrar = Registrar {
            set,
            roots,
            options,
            inotify: None,
            poller: None,
            raw_tx: raw_tx.clone(),
            watched: HashSet::new(),
            non_utf8: HashSet::new(),
            tx,
            shared: Arc::clone(&shared),
        };
        match notify::recommended_watcher(move |res| {
            let _ = handler_tx.send(RawMsg::Event(res));
        }) {
            Ok(w) => registrar.inotify = Some(w),
            Err(_) => registrar.limit(LimitHit::read("fs.inotify.max_user_instances")),
        }
        for root in registrar.roots.clone() {
            registrar.register_root(&root);
        }
        std::thread::Builder::new()
            .name("devbox-watch".into())
            .spawn(move || registrar.run(raw_rx))
            .map_err(|e| WatchError::Start {
                reason: e.to_string(),
            })?;
        Ok(FileWatcher {
            rx,
            shared,
            batcher: Batcher::new(options.timing),
            raw_tx,
        })
    }

    pub fn stats(&self) -> WatchStats {
        let mut stats = self
            .shared
            .stats
            .lock()
            .map(|s| s.clone())
            .unwrap_or_default();
        stats.overflowed = self.shared.overflowed.load(Ordering::Relaxed);
        stats
    }

    /// Woken when a new notice is in the stats (see `WatchStats::non_utf8`); a notice raised
    /// while nobody waits is kept for the next `notified()`.
    pub fn notices(&self) -> Arc<tokio::sync::Notify> {
        Arc::clone(&self.shared.notice)
    }

    /// Waits for the next batch (`None` once the watcher thread is gone).
    pub async fn next_batch(&mut self) -> Option<Vec<FsChange>> {
        loop {
            let deadline = self.batcher.deadline();
            tokio::select! {
                item = self.rx.recv() => match item {
                    Some((path, at)) => self.batcher.push(path, at),
                    None if self.batcher.is_empty() => return None,
                    None => {}
                },
                () = sleep_until(deadline), if deadline.is_some() => {}
            }
            while let Ok((path, at)) = self.rx.try_recv() {
                self.batcher.push(path, at);
            }
            if let Ok(mut overflow) = self.shared.overflow.lock() {
                for (path, at) in overflow.drain(..) {
                    self.batcher.push(path, at);
                }
            }
            if let Some(paths) = self.batcher.take_due(Instant::now()) {
                return Some(paths.into_iter().map(|p| stat_change(&p)).collect());
            }
        }
    }
}

async fn sleep_until(deadline: Option<Instant>) {
    if let Some(deadline) = deadline {
        tokio::time::sleep_until(deadline.into()).await;
    }
}

/// Whether the path still exists, and as what (links are not followed).
pub fn stat_change(path: &str) -> FsChange {
    match std::fs::symlink_metadata(path) {
        Ok(meta) => FsChange::exists(path, meta.is_dir()),
        Err(_) => FsChange::removed(path),
    }
}

struct Registrar {
    set: Arc<WatchSet>,
    roots: Vec<PathBuf>,
    options: WatchOptions,
    inotify: Option<RecommendedWatcher>,
    poller: Option<PollWatcher>,
    raw_tx: std_mpsc::Sender<RawMsg>,
    watched: HashSet<PathBuf>,
    /// Non-UTF-8 paths already counted.
    non_utf8: HashSet<PathBuf>,
    tx: mpsc::Sender<(String, Instant)>,
    shared: Arc<Shared>,
}

#[path = "registrar.rs"]
mod registrar;
