//! The build-context report: what a build sends (entries, bytes, the tar on the wire, the
//! largest parts), what each `.dockerignore` line saves, what it should add, and the
//! `COPY`/`ADD` sources it keeps from the builder. Fed entry by entry by the context walk.

pub mod advice;

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};

use serde::Serialize;

use crate::domain::dockerfile::sources::ContextSource;
use crate::domain::dockerignore::{IgnoreLine, IgnoreMatcher};
pub use advice::{Advisor, Suggestion, Why};

/// What kind of entry a context path is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    File,
    Dir,
    Link,
}

/// Counts of entries and the bytes of their files.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub files: u64,
    pub dirs: u64,
    pub links: u64,
    pub bytes: u64,
}

impl Tally {
    pub fn add(&mut self, class: Class, size: u64) {
        match class {
            Class::File => {
                self.files += 1;
                self.bytes += size;
            }
            Class::Dir => self.dirs += 1,
            Class::Link => self.links += 1,
        }
    }

    pub fn merge(&mut self, other: Tally) {
        self.files += other.files;
        self.dirs += other.dirs;
        self.links += other.links;
        self.bytes += other.bytes;
    }

    pub fn entries(&self) -> u64 {
        self.files + self.dirs + self.links
    }
}

const BLOCK: u64 = 512;
/// GNU tar's name and link-name fields; longer ones take an extension entry before.
const NAME_FIELD: usize = 100;

fn padded(bytes: u64) -> u64 {
    bytes.div_ceil(BLOCK) * BLOCK
}

/// The bytes one entry takes in the context tar devbox streams (`tar::Builder`, GNU
/// headers): a header block, the file's data padded to blocks, and a `././@LongLink`
/// entry before it for a name (directories carry a trailing `/`) or link target over 100 bytes.
pub fn tar_entry_bytes(rel: &str, class: Class, size: u64, link_target_len: usize) -> u64 {
    let name_len = rel.len() + usize::from(class == Class::Dir);
    let long = |len: usize| {
        if len > NAME_FIELD {
            BLOCK + padded(len as u64 + 1)
        } else {
            0
        }
    };
    let data = if class == Class::File {
        padded(size)
    } else {
        0
    };
    let link = if class == Class::Link {
        long(link_target_len)
    } else {
        0
    };
    BLOCK + long(name_len) + link + data
}

/// The two zero blocks that end a tar.
pub const TAR_END: u64 = 2 * BLOCK;

/// A path and what is under it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sized {
    pub path: String,
    pub tally: Tally,
}

/// One `.dockerignore` line and what it keeps out of the context.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Saving {
    pub line: usize,
    pub pattern: String,
    pub saves: Tally,
}

/// Why a `COPY`/`ADD` source will not be found by the builder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "kebab-case")]
pub enum MissingReason {
    /// The path exists, and this `.dockerignore` line excludes it.
    Excluded { ignore_line: Option<usize> },
    /// A glob that matches only excluded entries.
    OnlyExcludedMatch,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Missing {
    /// 1-based line in the Dockerfile.
    pub line: usize,
    pub source: String,
    #[serde(flatten)]
    pub reason: MissingReason,
}

/// Everything `devbox context` prints for one build context.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContextReport {
    pub sent: Tally,
    /// The exact length of the context tar as the Docker CLI's classic build sends it (devbox's
    /// tar for BuildKit is the same, less a `.dockerignore` that excludes itself).
    pub tar_bytes: u64,
    /// What the `.dockerignore` keeps out (excluded directories skipped by the walk counted
    /// whole, as the walk that measures them reads them only for this report).
    pub excluded: Tally,
    pub savings: Vec<Saving>,
    /// The context root's entries, largest first.
    pub largest_entries: Vec<Sized>,
    pub largest_files: Vec<Sized>,
    pub suggestions: Vec<Suggestion>,
    pub missing: Vec<Missing>,
}

/// A `COPY`/`ADD` glob and whether the walk met a sent, or an excluded, path it matches.
struct GlobSeen {
    source: ContextSource,
    glob: IgnoreMatcher,
    sent: bool,
    excluded: bool,
}

/// Builds a `ContextReport` from the walk's entries.
pub struct ReportBuilder {
    matcher: IgnoreMatcher,
    lines: Vec<IgnoreLine>,
    sources: Vec<ContextSource>,
    globs: Vec<GlobSeen>,
    top: usize,
    sent: Tally,
    tar_bytes: u64,
    excluded: Tally,
    savings: BTreeMap<usize, Tally>,
    root: BTreeMap<String, Tally>,
    files: BinaryHeap<Reverse<(u64, String)>>,
    advisor: Advisor,
}

impl ReportBuilder {
    /// `matcher` is the one the build uses (Dockerfile and `.dockerignore` forced in),
    /// `lines` the ignore file's lines in order, `sources` the Dockerfile's context
    /// sources, `top` how many of the largest entries and files to keep.
    pub fn new(
        matcher: IgnoreMatcher,
        lines: Vec<IgnoreLine>,
        sources: Vec<ContextSource>,
        top: usize,
    ) -> Self {
        let globs = sources
            .iter()
            .filter(|s| s.is_glob())
            .filter_map(|s| {
                Some(GlobSeen {
                    source: s.clone(),
                    glob: IgnoreMatcher::from_patterns([s.path.as_str()]).ok()?,
                    sent: false,
                    excluded: false,
                })
            })
            .collect();
        ReportBuilder {
            matcher,
            lines,
            sources,
            globs,
            top,
            sent: Tally::default(),
            tar_bytes: TAR_END,
            excluded: Tally::default(),
            savings: BTreeMap::new(),
            root: BTreeMap::new(),
            files: BinaryHeap::new(),
            advisor: Advisor::default(),
        }
    }

    /// An entry the builder receives.
    pub fn sent(&mut self, rel: &str, class: Class, size: u64, link_target_len: usize) {
        self.sent.add(class, size);
        self.tar_bytes += tar_entry_bytes(rel, class, size, link_target_len);
        let first = rel.split('/').next().unwrap_or(rel);
        self.root
            .entry(first.to_owned())
            .or_default()
            .add(class, size);
        if class == Class::File {
            self.files.push(Reverse((size, rel.to_owned())));
            if self.files.len() > self.top {
                self.files.pop();
            }
        }
        self.advisor.sent(rel, class, size);
        for seen in &mut self.globs {
            seen.sent = seen.sent || seen.glob.matches(rel);
        }
    }

    /// An entry (or, for a directory skipped whole, everything under it: `tally`) left out.
    pub fn excluded(&mut self, rel: &str, tally: Tally) {
        self.excluded.merge(tally);
        if let Some(index) = self.matcher.deciding(rel) {
            self.savings.entry(index).or_default().merge(tally);
        }
        for seen in &mut self.globs {
            seen.excluded = seen.excluded || seen.glob.matches(rel);
        }
    }

    /// The report. `exists` says whether a literal source path is in the context directory;
    /// `line_of` turns a Dockerfile byte offset into its 1-based line.
    pub fn finish(
        self,
        exists: impl Fn(&str) -> bool,
        line_of: impl Fn(usize) -> usize,
    ) -> ContextReport {
        let literal = self
            .sources
            .iter()
            .filter(|s| !s.is_glob() && s.path != ".");
        let mut missing: Vec<(usize, Missing)> = literal
            .clone()
            .filter(|s| exists(&s.path) && self.matcher.is_excluded(&s.path))
            .map(|s| {
                let reason = MissingReason::Excluded {
                    ignore_line: self.deciding_line(&s.path),
                };
                (s.span.start, self.missing(s, reason, &line_of))
            })
            .chain(
                self.globs
                    .iter()
                    .filter(|g| !g.sent && g.excluded)
                    .map(|g| {
                        let reason = MissingReason::OnlyExcludedMatch;
                        (
                            g.source.span.start,
                            self.missing(&g.source, reason, &line_of),
                        )
                    }),
            )
            .collect();
        missing.sort_by_key(|(offset, _)| *offset);
        let needed: Vec<String> = literal.map(|s| s.path.clone()).collect();
        let savings = {
            let mut v: Vec<Saving> = self
                .savings
                .iter()
                .filter_map(|(index, tally)| {
                    let line = self.lines.get(*index)?;
                    Some(Saving {
                        line: line.line,
                        pattern: line.raw.trim().to_owned(),
                        saves: *tally,
                    })
                })
                .collect();
            v.sort_by(|a, b| b.saves.bytes.cmp(&a.saves.bytes).then(a.line.cmp(&b.line)));
            v
        };
        let mut largest_entries: Vec<Sized> = self
            .root
            .into_iter()
            .map(|(path, tally)| Sized { path, tally })
            .collect();
        largest_entries.sort_by(|a, b| b.tally.bytes.cmp(&a.tally.bytes).then(a.path.cmp(&b.path)));
        largest_entries.truncate(self.top);
        let mut largest_files: Vec<Sized> = self
            .files
            .into_iter()
            .map(|Reverse((bytes, path))| Sized {
                path,
                tally: Tally {
                    files: 1,
                    bytes,
                    ..Tally::default()
                },
            })
            .collect();
        largest_files.sort_by(|a, b| b.tally.bytes.cmp(&a.tally.bytes).then(a.path.cmp(&b.path)));
        ContextReport {
            sent: self.sent,
            tar_bytes: self.tar_bytes,
            excluded: self.excluded,
            savings,
            largest_entries,
            largest_files,
            suggestions: self.advisor.finish(&needed),
            missing: missing.into_iter().map(|(_, m)| m).collect(),
        }
    }

    fn missing(
        &self,
        source: &ContextSource,
        reason: MissingReason,
        line_of: &impl Fn(usize) -> usize,
    ) -> Missing {
        Missing {
            line: line_of(source.span.start),
            source: source.raw.clone(),
            reason,
        }
    }

    /// The ignore file's line that excludes `path` itself or, when an exception brought it
    /// back inside a directory the walk skips whole, that directory.
    fn deciding_line(&self, path: &str) -> Option<usize> {
        let mut candidates = vec![path.to_owned()];
        let mut at = path;
        while let Some((parent, _)) = at.rsplit_once('/') {
            candidates.push(parent.to_owned());
            at = parent;
        }
        candidates
            .iter()
            .find_map(|p| self.matcher.deciding(p))
            .and_then(|index| self.lines.get(index))
            .map(|l| l.line)
    }
}

#[cfg(test)]
mod tests;
