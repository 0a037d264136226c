//! The doctor's checklist as data: facts gathered at the edges go in, a list of checks with a
//! verdict and one fix line each comes out. Thresholds live here so they are tested without I/O.

use serde::Serialize;

pub mod features;
pub mod project;

pub use features::{EngineKind, judge_engine_features};

/// A check's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Pass,
    Warn,
    Fail,
}

/// One line of the checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    /// Stable identifier for scripts (`engine`, `disk`, `inotify-watches`, ...).
    pub id: &'static str,
    pub title: String,
    pub verdict: Verdict,
    /// What was found, for a person.
    pub detail: String,
    /// What to do, present on every `Warn` and `Fail`.
    pub fix: Option<String>,
    /// A failed blocking check means a stack cannot run: the doctor exits 1.
    pub blocking: bool,
}

impl Check {
    pub fn pass(id: &'static str, title: impl Into<String>, detail: impl Into<String>) -> Self {
        Self {
            id,
            title: title.into(),
            verdict: Verdict::Pass,
            detail: detail.into(),
            fix: None,
            blocking: false,
        }
    }

    pub fn warn(
        id: &'static str,
        title: impl Into<String>,
        detail: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Self {
            verdict: Verdict::Warn,
            fix: Some(fix.into()),
            ..Self::pass(id, title, detail)
        }
    }

    pub fn fail(
        id: &'static str,
        title: impl Into<String>,
        detail: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Self {
            verdict: Verdict::Fail,
            fix: Some(fix.into()),
            blocking: true,
            ..Self::pass(id, title, detail)
        }
    }
}

/// Whether any check blocks running a stack.
pub fn blocks_stack(checks: &[Check]) -> bool {
    checks
        .iter()
        .any(|c| c.blocking && c.verdict == Verdict::Fail)
}

/// Below this a build or a pull of a typical development image fails half-way.
pub const MIN_FREE_DISK: u64 = 2 * 1024 * 1024 * 1024;
/// Comfortable room for images, build cache and volumes.
pub const LOW_FREE_DISK: u64 = 10 * 1024 * 1024 * 1024;
/// Below this a watched project with a large `node_modules` or `target` runs out of watches.
pub const MIN_INOTIFY_WATCHES: u64 = 65_536;
/// Each watching program (IDE, devbox, another watcher) takes an instance.
pub const MIN_INOTIFY_INSTANCES: u64 = 128;

/// Judges the free space in the engine's data root.
pub fn judge_disk(root: &str, free: Option<u64>) -> Check {
    let title = "free disk in the engine's data root";
    match free {
        None => Check::warn(
            "disk",
            title,
            format!(
                "{root}: unknown (the engine is not on this machine, or the path is not readable)"
            ),
            "check free space on the engine's host with `docker system df` and `df -h`",
        ),
        Some(bytes) if bytes < MIN_FREE_DISK => Check::fail(
            "disk",
            title,
            format!("{} free in {root}", human_bytes(bytes)),
            "free space: `docker system prune` removes stopped containers, dangling images and build cache",
        ),
        Some(bytes) if bytes < LOW_FREE_DISK => Check::warn(
            "disk",
            title,
            format!("{} free in {root}", human_bytes(bytes)),
            "builds may run out of space; `docker system prune` frees unused data",
        ),
        Some(bytes) => Check::pass(
            "disk",
            title,
            format!("{} free in {root}", human_bytes(bytes)),
        ),
    }
}

/// Judges one inotify limit read from `/proc/sys/fs/inotify/<name>`.
pub fn judge_inotify(name: &'static str, value: Option<u64>, minimum: u64) -> Check {
    let id = if name == "max_user_watches" {
        "inotify-watches"
    } else {
        "inotify-instances"
    };
    let title = format!("inotify {name}");
    let raise = format!(
        "raise it: `sudo sysctl fs.inotify.{name}={minimum}` (persist in /etc/sysctl.d/90-devbox.conf)"
    );
    match value {
        None => Check::warn(
            id,
            title,
            format!("/proc/sys/fs/inotify/{name} could not be read; watch falls back to polling"),
            "on Linux, check that /proc is mounted; elsewhere watch uses the platform's own API",
        ),
        Some(v) if v < minimum => Check::warn(
            id,
            title,
            format!("{v} (devbox watch wants at least {minimum})"),
            raise,
        ),
        Some(v) => Check::pass(id, title, v.to_string()),
    }
}

pub use super::format::human_bytes;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn low_disk_blocks_and_says_how_to_free_it() {
        let check = judge_disk("/var/lib/docker", Some(500 * 1024 * 1024));
        assert_eq!(check.verdict, Verdict::Fail);
        assert!(check.detail.contains("500.0 MiB"), "{}", check.detail);
        assert!(check.fix.unwrap().contains("prune"));
        assert!(blocks_stack(&[judge_disk("/x", Some(1))]));
    }

    #[test]
    fn plenty_of_disk_passes() {
        let check = judge_disk("/var/lib/docker", Some(50 * 1024 * 1024 * 1024));
        assert_eq!(check.verdict, Verdict::Pass);
        assert!(!blocks_stack(&[check]));
    }

    #[test]
    fn low_inotify_watches_warn_with_sysctl() {
        let check = judge_inotify("max_user_watches", Some(8192), MIN_INOTIFY_WATCHES);
        assert_eq!(check.verdict, Verdict::Warn);
        assert!(
            check
                .fix
                .unwrap()
                .contains("fs.inotify.max_user_watches=65536")
        );
        assert!(!check.blocking);
    }

    #[test]
    fn human_bytes_picks_a_unit() {
        assert_eq!(human_bytes(512), "512 B");
        assert_eq!(human_bytes(1536), "1.5 KiB");
        assert_eq!(human_bytes(3 * 1024 * 1024 * 1024), "3.0 GiB");
    }
}
