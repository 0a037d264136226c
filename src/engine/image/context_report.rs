//! `devbox context`'s walk: the build context read exactly as the tar writer reads it, with
//! the excluded directories it skips measured on the side, into a `ContextReport`. Sends nothing.

use std::fs;
use std::path::{Path, PathBuf};

use super::build_context::{ContextError, EntryKind, Visit, ignore_file_for, walk};
use crate::domain::build_context::{Class, ContextReport, ReportBuilder, Tally};
use crate::domain::compose::model::BuildConfig;
use crate::domain::dockerfile::Dockerfile;
use crate::domain::dockerignore::{IgnoreLine, IgnoreMatcher, read_lines};
use crate::domain::lint::text::LineIndex;

/// The report for one context, with what it was made from.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ContextSummary {
    pub context: PathBuf,
    pub dockerfile: String,
    /// The ignore file the build uses, if any.
    pub ignore_file: Option<PathBuf>,
    /// Why the Dockerfile's `COPY`/`ADD` sources were not checked, when they were not.
    pub dockerfile_problem: Option<String>,
    /// Entries under skipped directories that could not be read to measure them.
    pub unmeasured: u64,
    #[serde(flatten)]
    pub report: ContextReport,
}

/// A service build's context directory and Dockerfile name (relative to the context; empty
/// for `dockerfile_inline`, whose sources are in the compose file).
pub fn build_target(build: &BuildConfig) -> (PathBuf, String) {
    let dockerfile = if !build.dockerfile_inline.is_empty() {
        String::new()
    } else if build.dockerfile.is_empty() {
        "Dockerfile".to_owned()
    } else {
        build.dockerfile.clone()
    };
    (PathBuf::from(&build.context), dockerfile)
}

/// Walks `context` as a build of `dockerfile` would send it and reports; keeps the `top`
/// largest entries and files.
pub fn report(
    context: &Path,
    dockerfile: &str,
    top: usize,
) -> Result<ContextSummary, ContextError> {
    let ignore_file = ignore_file_for(context, dockerfile);
    let (lines, matcher) = match &ignore_file {
        Some(path) => {
            let text = fs::read_to_string(path).map_err(|error| ContextError::Io {
                path: path.clone(),
                error,
            })?;
            let matcher =
                IgnoreMatcher::parse(&text).map_err(|error| ContextError::IgnoreFile {
                    path: path.clone(),
                    error,
                })?;
            (read_lines(&text), matcher)
        }
        None => (Vec::<IgnoreLine>::new(), IgnoreMatcher::default()),
    };
    let matcher = matcher.with_build_files(dockerfile);
    let dockerfile_path = context.join(dockerfile);
    let read = if dockerfile.is_empty() {
        Err(None)
    } else {
        fs::read_to_string(&dockerfile_path).map_err(Some)
    };
    let (parsed, dockerfile_problem) = match read {
        Ok(text) => match Dockerfile::parse(&text) {
            Ok(df) => (Some((df, text)), None),
            Err(err) => (
                None,
                Some(format!(
                    "{}:{}: {}",
                    dockerfile_path.display(),
                    err.line,
                    err.message
                )),
            ),
        },
        Err(Some(err)) => (None, Some(format!("{}: {err}", dockerfile_path.display()))),
        Err(None) => (
            None,
            Some(
                "the Dockerfile is inline (`dockerfile_inline`); read it in the compose file"
                    .to_owned(),
            ),
        ),
    };
    let sources = parsed
        .as_ref()
        .map(|(df, _)| df.context_sources())
        .unwrap_or_default();
    let mut builder = ReportBuilder::new(matcher.clone(), lines, sources, top);
    let mut unmeasured = 0;
    walk(context, &matcher, &mut |visit| {
        match visit {
            Visit::Sent { entry, size } => {
                let (class, link_len) = match &entry.kind {
                    EntryKind::File => (Class::File, 0),
                    EntryKind::Dir => (Class::Dir, 0),
                    EntryKind::Symlink(target) => (Class::Link, target.as_os_str().len()),
                };
                builder.sent(&entry.rel, class, size, link_len);
            }
            Visit::Excluded { rel, size, dir } => {
                let mut tally = Tally::default();
                tally.add(if dir { Class::Dir } else { Class::File }, size);
                builder.excluded(rel, tally);
            }
            Visit::Pruned { rel, path } => {
                let mut tally = Tally::default();
                tally.add(Class::Dir, 0);
                measure(path, &mut tally, &mut unmeasured);
                builder.excluded(rel, tally);
            }
        }
        Ok(())
    })?;
    let dockerfile_lines = LineIndex::new(parsed.as_ref().map_or("", |(_, text)| text.as_str()));
    let report = builder.finish(
        |rel| fs::symlink_metadata(context.join(rel)).is_ok(),
        |offset| dockerfile_lines.line_of(offset),
    );
    Ok(ContextSummary {
        context: context.to_path_buf(),
        dockerfile: dockerfile.to_owned(),
        ignore_file,
        dockerfile_problem,
        unmeasured,
        report,
    })
}

/// Adds everything under `dir` (not following links) to `tally`; what cannot be read is
/// counted in `unmeasured` and left out, since the build never reads it either.
fn measure(dir: &Path, tally: &mut Tally, unmeasured: &mut u64) {
    let Ok(entries) = fs::read_dir(dir) else {
        *unmeasured += 1;
        return;
    };
    for entry in entries {
        let Ok(entry) = entry else {
            *unmeasured += 1;
            continue;
        };
        let Ok(kind) = entry.file_type() else {
            *unmeasured += 1;
            continue;
        };
        if kind.is_dir() {
            tally.add(Class::Dir, 0);
            measure(&entry.path(), tally, unmeasured);
        } else if kind.is_symlink() {
            tally.add(Class::Link, 0);
        } else if kind.is_file() {
            match entry.metadata() {
                Ok(meta) => tally.add(Class::File, meta.len()),
                Err(_) => *unmeasured += 1,
            }
        }
    }
}
