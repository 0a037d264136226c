//! .dockerignore rules (DBX3xx) and their context: the file read with devbox's Docker-exact
//! matcher, plus the list of files in the build context when the caller has it.

pub mod common;
pub mod dbx301;
pub mod dbx302;
pub mod dbx303;
pub mod dbx304;
pub mod dbx305;
pub mod dbx306;

use crate::domain::dockerignore::{IgnoreLine, IgnoreMatcher, PatternError};

/// One .dockerignore as the rules see it.
#[derive(Debug)]
pub struct IgnoreCtx<'a> {
    pub path: &'a str,
    pub text: &'a str,
    pub lines: Vec<IgnoreLine>,
    pub matcher: Result<IgnoreMatcher, PatternError>,
    /// Relative paths in the build context (files and dirs, `/`-separated), when listed.
    pub context_files: Option<&'a [String]>,
}

impl<'a> IgnoreCtx<'a> {
    pub fn new(path: &'a str, text: &'a str, context_files: Option<&'a [String]>) -> Self {
        IgnoreCtx {
            path,
            text,
            lines: crate::domain::dockerignore::read_lines(text),
            matcher: IgnoreMatcher::parse(text),
            context_files,
        }
    }

    /// Whether Docker leaves `path` out of the build context (false if the file does not parse).
    pub fn excludes(&self, path: &str) -> bool {
        self.matcher.as_ref().is_ok_and(|m| m.is_excluded(path))
    }

    /// Byte span of a 1-based line.
    pub fn line_span(&self, line: usize) -> std::ops::Range<usize> {
        let start: usize = self
            .text
            .split_inclusive('\n')
            .take(line.saturating_sub(1))
            .map(str::len)
            .sum();
        let len = self.text[start.min(self.text.len())..]
            .find('\n')
            .unwrap_or(self.text.len() - start.min(self.text.len()));
        start..start + len
    }
}
