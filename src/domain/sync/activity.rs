//! What `devbox watch` reports, one value per line of its activity log (and one `Msg` each for
//! the TUI's feed): `synced 3 files → web (41 ms)`, `rebuilding api`, errors.

use std::fmt;

/// One thing the watch loop did or noticed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Activity {
    /// Watching started.
    Watching {
        services: Vec<String>,
        watched_dirs: usize,
        skipped_dirs: usize,
    },
    /// Files copied (and paths deleted) in a service's containers.
    Synced {
        service: String,
        files: usize,
        /// The first few files synced, relative to the project directory.
        shown: Vec<String>,
        deleted: usize,
        containers: usize,
        millis: u128,
    },
    /// Deletions kept until a stopped container runs again.
    Deferred {
        service: String,
        paths: usize,
    },
    /// The service has no running container: the changes are kept and applied when it starts.
    Kept {
        service: String,
        changes: usize,
    },
    /// The service's image must be rebuilt and its containers recreated.
    Rebuilding {
        service: String,
    },
    /// The rebuilt image runs in fresh containers.
    Rebuilt {
        service: String,
        millis: u128,
    },
    Restarted {
        service: String,
        containers: usize,
    },
    /// A `sync+exec` hook ran.
    Executed {
        service: String,
        command: String,
    },
    /// A batch bigger than Compose's warning threshold (a branch switch).
    LargeBatch {
        changes: usize,
    },
    /// An OS or channel limit, with what to do.
    Notice {
        message: String,
    },
    /// A step failed; watching continues.
    Failed {
        service: String,
        message: String,
    },
}

impl Activity {
    /// The service it is about (`None` for watch-wide facts).
    pub fn service(&self) -> Option<&str> {
        match self {
            Activity::Synced { service, .. }
            | Activity::Deferred { service, .. }
            | Activity::Kept { service, .. }
            | Activity::Rebuilding { service }
            | Activity::Rebuilt { service, .. }
            | Activity::Restarted { service, .. }
            | Activity::Executed { service, .. }
            | Activity::Failed { service, .. } => Some(service),
            Activity::Watching { .. } | Activity::LargeBatch { .. } | Activity::Notice { .. } => {
                None
            }
        }
    }

    /// Whether it reports a failure.
    pub fn failed(&self) -> bool {
        matches!(self, Activity::Failed { .. })
    }
}

/// Compose warns above this many paths in one batch.
pub const LARGE_BATCH: usize = 1000;

impl fmt::Display for Activity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Activity::Watching {
                services,
                watched_dirs,
                skipped_dirs,
            } => write!(
                f,
                "watching {} ({watched_dirs} {}, {skipped_dirs} ignored {} not watched)",
                services.join(", "),
                plural(*watched_dirs, "directory", "directories"),
                plural(*skipped_dirs, "tree", "trees")
            ),
            Activity::Synced {
                service,
                files,
                shown,
                deleted,
                containers,
                millis,
            } => {
                let mut parts = Vec::new();
                if *files > 0 || *deleted == 0 {
                    let names = match (shown.as_slice(), *files > shown.len()) {
                        ([], _) => String::new(),
                        (names, false) => format!(" ({})", names.join(", ")),
                        (names, true) => format!(" ({}, …)", names.join(", ")),
                    };
                    parts.push(format!(
                        "synced {files} {}{names}",
                        plural(*files, "file", "files")
                    ));
                }
                if *deleted > 0 {
                    parts.push(format!(
                        "deleted {deleted} {}",
                        plural(*deleted, "path", "paths")
                    ));
                }
                let fanout = if *containers > 1 {
                    format!(" ({containers} containers)")
                } else {
                    String::new()
                };
                write!(f, "{} → {service}{fanout} ({millis} ms)", parts.join(", "))
            }
            Activity::Deferred { service, paths } => write!(
                f,
                "{paths} {} will be deleted in {service}'s stopped containers when they start",
                plural(*paths, "path", "paths")
            ),
            Activity::Kept { service, changes } => write!(
                f,
                "{service} is not running: {changes} {} kept, applied when it starts",
                plural(*changes, "change", "changes")
            ),
            Activity::Rebuilding { service } => write!(f, "rebuilding {service}"),
            Activity::Rebuilt { service, millis } => {
                write!(
                    f,
                    "rebuilt {service} and recreated its containers ({millis} ms)"
                )
            }
            Activity::Restarted {
                service,
                containers,
            } => {
                write!(
                    f,
                    "restarted {service} ({containers} {})",
                    plural(*containers, "container", "containers")
                )
            }
            Activity::Executed { service, command } => write!(f, "ran `{command}` in {service}"),
            Activity::LargeBatch { changes } => {
                write!(
                    f,
                    "large batch: {changes} changes (a branch switch?) sent as one tar per container"
                )
            }
            Activity::Notice { message } => write!(f, "{message}"),
            Activity::Failed { service, message } => write!(f, "error in {service}: {message}"),
        }
    }
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_read_like_a_log() {
        let lines: Vec<String> = [
            Activity::Watching {
                services: vec!["api".into(), "web".into()],
                watched_dirs: 12,
                skipped_dirs: 3,
            },
            Activity::Synced {
                service: "web".into(),
                files: 3,
                shown: vec!["src/a.js".into(), "src/b.js".into()],
                deleted: 0,
                containers: 1,
                millis: 41,
            },
            Activity::Synced {
                service: "web".into(),
                files: 1,
                shown: vec!["src/a.js".into()],
                deleted: 2,
                containers: 2,
                millis: 7,
            },
            Activity::Synced {
                service: "web".into(),
                files: 0,
                shown: Vec::new(),
                deleted: 1,
                containers: 1,
                millis: 5,
            },
            Activity::Deferred {
                service: "web".into(),
                paths: 1,
            },
            Activity::Kept {
                service: "web".into(),
                changes: 1,
            },
            Activity::Rebuilding {
                service: "api".into(),
            },
            Activity::Rebuilt {
                service: "api".into(),
                millis: 5200,
            },
            Activity::Restarted {
                service: "api".into(),
                containers: 1,
            },
            Activity::Executed {
                service: "web".into(),
                command: "kill -HUP 1".into(),
            },
            Activity::LargeBatch { changes: 2400 },
            Activity::Failed {
                service: "web".into(),
                message: "copying files to web-1: read-only".into(),
            },
        ]
        .iter()
        .map(ToString::to_string)
        .collect();
        assert_eq!(
            lines,
            [
                "watching api, web (12 directories, 3 ignored trees not watched)",
                "synced 3 files (src/a.js, src/b.js, …) → web (41 ms)",
                "synced 1 file (src/a.js), deleted 2 paths → web (2 containers) (7 ms)",
                "deleted 1 path → web (5 ms)",
                "1 path will be deleted in web's stopped containers when they start",
                "web is not running: 1 change kept, applied when it starts",
                "rebuilding api",
                "rebuilt api and recreated its containers (5200 ms)",
                "restarted api (1 container)",
                "ran `kill -HUP 1` in web",
                "large batch: 2400 changes (a branch switch?) sent as one tar per container",
                "error in web: copying files to web-1: read-only",
            ]
        );
    }
}
