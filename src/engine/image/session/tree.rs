//! The entries one BuildKit file-sync request receives: a directory walked in the order fsutil's
//! receiver checks (names sorted byte-wise in each directory, a directory before its children),
//! filtered by the request's include patterns and follow paths and by the exclude patterns
//! (`.dockerignore`), each described as fsutil's `Stat`. Symlinks are sent as links, never
//! followed; sockets, fifos and devices are left out as the tar path leaves them out.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use bollard_buildkit_proto::fsutil::types::Stat;

use crate::domain::dockerignore::IgnoreMatcher;

/// Go's `os.FileMode` bits, which fsutil puts in `Stat.mode` (not the Unix `st_mode` layout).
const GO_DIR: u32 = 1 << 31;
const GO_SYMLINK: u32 = 1 << 27;
const GO_SETUID: u32 = 1 << 23;
const GO_SETGID: u32 = 1 << 22;
const GO_STICKY: u32 = 1 << 20;

/// One entry to send; `file` marks a regular file, whose content the receiver may request by
/// the entry's index in the list.
#[derive(Debug, Clone)]
pub struct Node {
    pub stat: Stat,
    pub file: bool,
}

/// What a request asks for, besides its directory.
#[derive(Debug, Default)]
pub struct Filter {
    /// Each excludes what it matches (the request's patterns, and devbox's own `.dockerignore`
    /// for the build context, so the engine never decides alone what leaves the machine).
    pub excludes: Vec<IgnoreMatcher>,
    /// When set, only what these match (and the directories above it) is sent.
    pub includes: Option<IncludeSet>,
}

/// Include patterns with their texts, which tell which directories can hold a match.
#[derive(Debug)]
pub struct IncludeSet {
    matcher: IgnoreMatcher,
    texts: Vec<String>,
}

impl IncludeSet {
    /// `followpaths` are included too, with the targets of those that are symlinks (fsutil
    /// resolves them the same way, so a symlinked Dockerfile arrives with what it points to).
    pub fn new(root: &Path, patterns: &[String], follow: &[String]) -> Option<IncludeSet> {
        let mut texts: Vec<String> = patterns.to_vec();
        for path in follow {
            texts.push(path.clone());
            if let Some(target) = resolve_link(root, path) {
                texts.push(target);
            }
        }
        texts.retain(|t| !t.trim().is_empty());
        texts.sort();
        texts.dedup();
        let matcher = IgnoreMatcher::from_patterns(&texts).ok()?;
        Some(IncludeSet { matcher, texts })
    }

    fn includes(&self, rel: &str) -> bool {
        self.matcher.matches(rel)
    }

    /// Whether some pattern can match below `rel_dir`: its literal leading segments agree
    /// with the directory's (a segment with a glob agrees with anything).
    fn may_hold(&self, rel_dir: &str) -> bool {
        let dir: Vec<&str> = rel_dir.split('/').collect();
        self.texts.iter().any(|text| {
            let pattern: Vec<&str> = text.trim_start_matches("./").split('/').collect();
            for (index, segment) in dir.iter().enumerate() {
                let Some(part) = pattern.get(index) else {
                    return false;
                };
                if part.contains(['*', '?', '[', '\\']) {
                    return true;
                }
                if part != segment {
                    return false;
                }
            }
            pattern.len() > dir.len()
        })
    }
}

/// Where a symlink named by a follow path points, relative to `root`, when it stays inside.
fn resolve_link(root: &Path, rel: &str) -> Option<String> {
    let path = root.join(rel);
    let target = fs::read_link(&path).ok()?;
    let joined = path.parent()?.join(target);
    let mut parts: Vec<String> = Vec::new();
    for component in joined.strip_prefix(root).ok()?.components() {
        match component {
            std::path::Component::Normal(name) => parts.push(name.to_str()?.to_owned()),
            std::path::Component::ParentDir => {
                parts.pop()?;
            }
            _ => {}
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

impl Filter {
    fn excluded(&self, rel: &str) -> bool {
        self.excludes.iter().any(|m| m.matches(rel))
    }

    /// An excluded directory is skipped whole when a matcher that excludes it has no exception
    /// that could bring something inside back.
    fn skips_dir(&self, rel: &str) -> bool {
        self.excludes
            .iter()
            .any(|m| m.matches(rel) && m.can_skip_dir(rel))
    }
}

/// Why a walk failed: the path and the error.
#[derive(Debug)]
pub struct WalkError {
    pub path: PathBuf,
    pub error: io::Error,
}

/// Lists what `filter` lets through under `root`.
pub fn list(root: &Path, filter: &Filter) -> Result<Vec<Node>, WalkError> {
    let mut out = Vec::new();
    let mut pending = Vec::new();
    walk(root, "", filter, &mut pending, &mut out)?;
    Ok(out)
}

/// `pending` holds the directories above the current one that were not sent yet (excluded or
/// not included themselves): they are sent just before the first entry inside them.
fn walk(
    dir: &Path,
    rel_dir: &str,
    filter: &Filter,
    pending: &mut Vec<Node>,
    out: &mut Vec<Node>,
) -> Result<(), WalkError> {
    let err = |path: &Path| {
        let path = path.to_path_buf();
        move |error| WalkError { path, error }
    };
    let mut names: Vec<_> = fs::read_dir(dir)
        .map_err(err(dir))?
        .map(|entry| entry.map(|e| e.file_name()))
        .collect::<Result<_, _>>()
        .map_err(err(dir))?;
    names.sort();
    for name in names {
        // Patterns are strings; the tar path leaves such names out as well.
        let Some(name) = name.to_str() else { continue };
        let rel = if rel_dir.is_empty() {
            name.to_owned()
        } else {
            format!("{rel_dir}/{name}")
        };
        let path = dir.join(name);
        let meta = match fs::symlink_metadata(&path) {
            Ok(meta) => meta,
            // Deleted between the listing and now: it is not part of this build.
            Err(error) if error.kind() == io::ErrorKind::NotFound => continue,
            Err(error) => return Err(WalkError { path, error }),
        };
        let kind = meta.file_type();
        if !(kind.is_dir() || kind.is_file() || kind.is_symlink()) {
            continue;
        }
        let excluded = filter.excluded(&rel);
        let included = filter.includes.as_ref().is_none_or(|i| i.includes(&rel));
        let node = || -> Result<Node, WalkError> { describe(&path, &rel, &meta) };
        if kind.is_dir() {
            if excluded && filter.skips_dir(&rel) {
                continue;
            }
            let may_hold = filter.includes.as_ref().is_none_or(|i| i.may_hold(&rel));
            if !included && !may_hold {
                continue;
            }
            let depth = pending.len();
            if included && !excluded {
                out.append(pending);
                out.push(node()?);
            } else {
                pending.push(node()?);
            }
            walk(&path, &rel, filter, pending, out)?;
            pending.truncate(depth);
        } else if included && !excluded {
            out.append(pending);
            out.push(node()?);
        }
    }
    Ok(())
}

fn describe(path: &Path, rel: &str, meta: &fs::Metadata) -> Result<Node, WalkError> {
    use std::os::unix::fs::MetadataExt as _;
    let kind = meta.file_type();
    let unix = meta.mode();
    let mut mode = unix & 0o777;
    if unix & 0o4000 != 0 {
        mode |= GO_SETUID;
    }
    if unix & 0o2000 != 0 {
        mode |= GO_SETGID;
    }
    if unix & 0o1000 != 0 {
        mode |= GO_STICKY;
    }
    let mut linkname = String::new();
    if kind.is_dir() {
        mode |= GO_DIR;
    } else if kind.is_symlink() {
        mode |= GO_SYMLINK;
        let target = fs::read_link(path).map_err(|error| WalkError {
            path: path.to_path_buf(),
            error,
        })?;
        linkname = target.to_string_lossy().into_owned();
    }
    Ok(Node {
        file: kind.is_file(),
        stat: Stat {
            path: rel.to_owned(),
            mode,
            // The Docker CLI resets owners to 0:0 (its `resetUIDAndGID`), as the tar path does.
            uid: 0,
            gid: 0,
            size: i64::try_from(meta.len()).unwrap_or(i64::MAX),
            mod_time: meta.mtime() * 1_000_000_000 + meta.mtime_nsec(),
            linkname,
            ..Stat::default()
        },
    })
}

/// A regular file's node for content held in memory (an inline Dockerfile).
pub fn memory_file(name: &str, len: usize) -> Node {
    Node {
        file: true,
        stat: Stat {
            path: name.to_owned(),
            mode: 0o644,
            size: i64::try_from(len).unwrap_or(i64::MAX),
            ..Stat::default()
        },
    }
}

#[cfg(test)]
#[path = "tree_tests.rs"]
mod tests;
