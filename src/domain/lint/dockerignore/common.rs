//! Shared helpers of the .dockerignore rules: which line excluded a path.

use super::IgnoreCtx;
use crate::domain::dockerignore::IgnoreMatcher;

/// The last non-exception line whose pattern matches `path` (or a parent of it).
pub fn excluding_line(cx: &IgnoreCtx<'_>, path: &str) -> Option<usize> {
    cx.lines
        .iter()
        .rev()
        .filter(|l| !l.exclusion)
        .find_map(|l| {
            let m = IgnoreMatcher::from_patterns([l.pattern.as_str()]).ok()?;
            m.matches(path).then_some(l.line)
        })
}

/// Whether the context holds `name` (when the context was listed; `None` = unknown).
pub fn present(cx: &IgnoreCtx<'_>, name: &str) -> Option<bool> {
    cx.context_files
        .map(|files| files.iter().any(|f| f == name))
}
