//! The watcher thread: turns notify events into changed paths, registers directories as
//! they appear, and falls back to polling when inotify runs out.

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::mpsc as std_mpsc;
use std::time::Instant;

use notify::event::{AccessKind, AccessMode, Flag, ModifyKind, RenameMode};
use notify::{Config, ErrorKind, Event, EventKind, PollWatcher, RecursiveMode, Watcher};
use tokio::sync::mpsc::error::TrySendError;

use super::{LimitHit, RawMsg, Registrar};

impl Registrar {
    pub(super) fn run(mut self, raw_rx: std_mpsc::Receiver<RawMsg>) {
        while let Ok(msg) = raw_rx.recv() {
            match msg {
                RawMsg::Stop => return,
                RawMsg::Event(Ok(event)) => self.on_event(event),
                // An error event (e.g. a watch lost with its directory) changes nothing we
                // can act on; the next events still arrive.
                RawMsg::Event(Err(_)) => {}
            }
        }
    }

    pub(super) fn limit(&mut self, hit: LimitHit) {
        if let Ok(mut stats) = self.shared.stats.lock()
            && stats.limit.is_none()
        {
            stats.limit = Some(hit);
        }
    }

    fn count(&self, f: impl FnOnce(&mut super::WatchStats)) {
        if let Ok(mut stats) = self.shared.stats.lock() {
            f(&mut stats);
        }
    }

    /// Watches a rule root, or the nearest existing ancestor of a missing one.
    pub(super) fn register_root(&mut self, root: &Path) {
        if root.is_dir() {
            self.register(root, false);
            return;
        }
        if root.exists() {
            // A rule path that is a file: watch its directory; events are filtered by rules.
            if let Some(parent) = root.parent() {
                self.add_watch(parent);
            }
            return;
        }
        let mut ancestor = root.parent();
        while let Some(dir) = ancestor {
            if dir.is_dir() {
                self.add_watch(dir);
                return;
            }
            ancestor = dir.parent();
        }
    }

    /// Watches `dir` and every directory below that some rule can use. With `report`, every
    /// entry found is sent as a change (it may have been written before the watch existed).
    fn register(&mut self, dir: &Path, report: bool) {
        let Some(text) = dir.to_str() else {
            self.not_utf8(dir);
            return;
        };
        if self.set.can_skip_dir(text) {
            self.count(|s| s.skipped_dirs += 1);
            return;
        }
        if self.watched.contains(dir) || !self.add_watch(dir) {
            return;
        }
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let mut children: Vec<(PathBuf, bool)> = entries
            .filter_map(Result::ok)
            .map(|e| {
                let is_dir = e.file_type().is_ok_and(|t| t.is_dir());
                (e.path(), is_dir)
            })
            .collect();
        children.sort();
        for (child, is_dir) in children {
            if report || child.to_str().is_none() {
                self.forward(&child);
            }
            if is_dir {
                self.register(&child, report);
            }
        }
    }

    /// One non-recursive watch; inotify first, polling once the OS (or the budget) says no.
    fn add_watch(&mut self, dir: &Path) -> bool {
        let budget_left = self
            .options
            .max_inotify_dirs
            .is_none_or(|max| self.watched.len() < max);
        if budget_left && let Some(inotify) = self.inotify.as_mut() {
            match inotify.watch(dir, RecursiveMode::NonRecursive) {
                Ok(()) => {
                    self.watched.insert(dir.to_path_buf());
                    self.count(|s| s.watched_dirs += 1);
                    return true;
                }
                Err(err) if matches!(err.kind, ErrorKind::MaxFilesWatch) => {
                    self.limit(LimitHit::read("fs.inotify.max_user_watches"));
                }
                Err(err) if is_too_many_files(&err) => {
                    self.limit(LimitHit::read("fs.inotify.max_user_instances"));
                }
                // Unreadable or vanished directory: nothing to watch.
                Err(_) => return false,
            }
        } else if !budget_left {
            self.limit(LimitHit::read("fs.inotify.max_user_watches"));
        }
        self.poll(dir)
    }

    fn poll(&mut self, dir: &Path) -> bool {
        if self.poller.is_none() {
            let tx = self.raw_tx.clone();
            let config = Config::default().with_poll_interval(self.options.poll_interval);
            match PollWatcher::new(
                move |res| {
                    let _ = tx.send(RawMsg::Event(res));
                },
                config,
            ) {
                Ok(p) => self.poller = Some(p),
                Err(_) => return false,
            }
        }
        let Some(poller) = self.poller.as_mut() else {
            return false;
        };
        if poller.watch(dir, RecursiveMode::NonRecursive).is_err() {
            return false;
        }
        self.watched.insert(dir.to_path_buf());
        self.count(|s| s.polled_dirs += 1);
        true
    }

    fn on_event(&mut self, event: Event) {
        // inotify reports opens, and devbox itself opens files to send them: only a close
        // after writing is a change.
        if let EventKind::Access(kind) = event.kind
            && kind != AccessKind::Close(AccessMode::Write)
        {
            return;
        }
        if event.flag() == Some(Flag::Rescan) {
            // The kernel queue overflowed: resend every root (copied whole, filtered).
            for root in self.roots.clone() {
                self.forward(&root);
            }
            return;
        }
        let gone = matches!(
            event.kind,
            EventKind::Remove(_) | EventKind::Modify(ModifyKind::Name(RenameMode::From))
        );
        for path in &event.paths {
            if gone {
                self.watched.retain(|w| !w.starts_with(path));
                // A rule root (or a directory above it) went away: watch the nearest ancestor
                // that is left, so the root is seen, and watched again, when it comes back.
                for root in self.roots.clone() {
                    if root.starts_with(path) && !root.exists() {
                        self.register_root(&root);
                    }
                }
            } else if path.is_dir() && !path.is_symlink() && !self.watched.contains(path) {
                self.on_new_dir(path);
            }
            self.forward(path);
        }
    }

    /// A directory appeared: inside a root it is registered with its contents reported; on
    /// the way to a missing root it is watched so the root is seen when it appears.
    fn on_new_dir(&mut self, dir: &Path) {
        if self.roots.iter().any(|r| dir.starts_with(r)) {
            self.register(dir, true);
            return;
        }
        for root in self.roots.clone() {
            if root.starts_with(dir) {
                self.register_root(&root);
            }
        }
    }

    /// Sends a path some rule accepts; a full channel puts it in the overflow set instead.
    fn forward(&mut self, path: &Path) {
        let Some(text) = path.to_str() else {
            self.not_utf8(path);
            return;
        };
        if !self.set.rules.iter().any(|r| r.accepts(text)) {
            return;
        }
        match self.tx.try_send((text.to_string(), Instant::now())) {
            Ok(()) | Err(TrySendError::Closed(_)) => {}
            Err(TrySendError::Full((text, at))) => {
                self.shared.overflowed.fetch_add(1, Ordering::Relaxed);
                if let Ok(mut overflow) = self.shared.overflow.lock() {
                    overflow.entry(text).or_insert(at);
                }
            }
        }
    }
}

impl Registrar {
    /// Counts a path whose name is not UTF-8 that some rule would take (its invalid bytes
    /// escaped for the check), once, and wakes whoever reports notices.
    fn not_utf8(&mut self, path: &Path) {
        let shown = path.to_string_lossy();
        if !self.set.rules.iter().any(|r| r.accepts(&shown)) || self.non_utf8.contains(path) {
            return;
        }
        self.non_utf8.insert(path.to_path_buf());
        let example = escaped(path);
        self.count(|s| {
            s.non_utf8 += 1;
            s.non_utf8_example = Some(example);
        });
        self.shared.notice.notify_one();
    }
}

/// The path with each byte that is not UTF-8 written as `\xNN`.
fn escaped(path: &Path) -> String {
    use std::os::unix::ffi::OsStrExt;
    let mut out = String::new();
    for chunk in path.as_os_str().as_bytes().utf8_chunks() {
        out.push_str(chunk.valid());
        for byte in chunk.invalid() {
            out.push_str(&format!("\\x{byte:02X}"));
        }
    }
    out
}

fn is_too_many_files(err: &notify::Error) -> bool {
    matches!(&err.kind, ErrorKind::Io(io) if io.raw_os_error() == Some(24))
}
