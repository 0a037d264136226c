//! The Docker-exact `.dockerignore` matcher: reading and cleaning lines like
//! `ignorefile.ReadAll`, last-match-wins with parent-directory matches like
//! `MatchesOrParentMatches`, and the CLI walker's rule for pruning excluded directories.

use miette::Diagnostic;
use thiserror::Error;

use super::pattern::Pattern;
pub use super::pattern::PatternSyntax;

/// A pattern that Docker would refuse, with the 1-based line (or list position) it came from.
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[error("line {line}: pattern `{text}`: {}", reason.docker_message())]
#[diagnostic(
    code(devbox::dockerignore::pattern),
    help("fix or remove this pattern; Docker refuses the whole file with the same error")
)]
pub struct PatternError {
    pub line: usize,
    pub text: String,
    pub reason: PatternSyntax,
}

/// One meaningful line of an ignore file after Docker's cleaning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IgnoreLine {
    /// 1-based line number in the file.
    pub line: usize,
    /// The line as written (without its newline).
    pub raw: String,
    /// The cleaned pattern, without `!`.
    pub pattern: String,
    /// Whether the line is a `!` exception.
    pub exclusion: bool,
}

/// Reads an ignore file like `ignorefile.ReadAll`: BOM stripped, `#` comments only in the
/// first byte, lines trimmed, `!` exceptions, `filepath.Clean`, one leading `/` dropped.
pub fn read_lines(text: &str) -> Vec<IgnoreLine> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        if raw.starts_with('#') {
            continue;
        }
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            continue;
        }
        let (exclusion, body) = match trimmed.strip_prefix('!') {
            Some(rest) => (true, rest.trim()),
            None => (false, trimmed),
        };
        let mut pattern = String::new();
        if !body.is_empty() {
            pattern = clean(body);
            if pattern.len() > 1 && pattern.starts_with('/') {
                pattern.remove(0);
            }
        }
        out.push(IgnoreLine {
            line: index + 1,
            raw: raw.to_string(),
            pattern,
            exclusion,
        });
    }
    out
}

/// Go's `path.Clean` (one implementation for the crate: compose paths use it too).
pub use crate::domain::compose::paths::clean;

/// A compiled ignore list. Paths given to it are slash-separated and relative to its root.
#[derive(Debug, Clone, Default)]
pub struct IgnoreMatcher {
    patterns: Vec<Pattern>,
    has_exclusions: bool,
}

impl IgnoreMatcher {
    /// Parses the text of a `.dockerignore` file.
    pub fn parse(text: &str) -> Result<IgnoreMatcher, PatternError> {
        let lines = read_lines(text);
        let mut patterns = Vec::with_capacity(lines.len());
        for line in lines {
            let error = |reason| PatternError {
                line: line.line,
                text: line.raw.trim().to_string(),
                reason,
            };
            if line.pattern.is_empty() {
                return Err(error(PatternSyntax::LoneExclamation));
            }
            patterns.push(Pattern::compile(&line.pattern, line.exclusion).map_err(error)?);
        }
        Ok(Self::from_compiled(patterns))
    }

    /// Builds a matcher from patterns already split into entries (compose `ignore`/`include`
    /// lists, built-ins): each is trimmed and cleaned like `NewPatternMatcher` does; `line`
    /// in errors is the 1-based position in the list. No leading `/` is dropped here.
    pub fn from_patterns<S: AsRef<str>>(
        entries: impl IntoIterator<Item = S>,
    ) -> Result<IgnoreMatcher, PatternError> {
        let mut patterns = Vec::new();
        for (index, entry) in entries.into_iter().enumerate() {
            let raw = entry.as_ref().trim();
            if raw.is_empty() {
                continue;
            }
            let cleaned = clean(raw);
            let (exclusion, body) = match cleaned.strip_prefix('!') {
                Some(rest) => (true, rest.to_string()),
                None => (false, cleaned.clone()),
            };
            let error = |reason| PatternError {
                line: index + 1,
                text: raw.to_string(),
                reason,
            };
            if body.is_empty() {
                return Err(error(PatternSyntax::LoneExclamation));
            }
            patterns.push(Pattern::compile(&body, exclusion).map_err(error)?);
        }
        Ok(Self::from_compiled(patterns))
    }

    fn from_compiled(patterns: Vec<Pattern>) -> IgnoreMatcher {
        let has_exclusions = patterns.iter().any(|p| p.exclusion);
        IgnoreMatcher {
            patterns,
            has_exclusions,
        }
    }

    /// The matcher the Docker CLI really uses for a build context: when the patterns match
    /// `.dockerignore` or the Dockerfile, `!` exceptions for them are appended, so both are
    /// always sent (the daemon deletes them after reading if they matched).
    pub fn with_build_files(&self, dockerfile: &str) -> IgnoreMatcher {
        self.with_sent(&[".dockerignore", dockerfile])
    }

    /// The matcher with `!` exceptions appended for those of `names` it excludes, so they are
    /// sent whatever the file says (BuildKit, given a tar, needs only the Dockerfile).
    pub fn with_sent(&self, names: &[&str]) -> IgnoreMatcher {
        let mut patterns = self.patterns.clone();
        for name in names {
            let name = normalize(name);
            if self.matches(&name)
                && let Ok(pattern) = Pattern::compile(&name, true)
            {
                patterns.push(pattern);
            }
        }
        Self::from_compiled(patterns)
    }

    /// True when the list has no pattern at all.
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// The cleaned patterns in order, with whether each is a `!` exception.
    pub fn patterns(&self) -> impl Iterator<Item = (&str, bool)> {
        self.patterns.iter().map(|p| (p.text.as_str(), p.exclusion))
    }

    /// Pattern semantics alone (`MatchesOrParentMatches`): the last pattern that matches the
    /// path or one of its parent directories decides.
    pub fn matches(&self, rel_path: &str) -> bool {
        let path = normalize(rel_path);
        let parents = parent_dirs(&path);
        let mut matched = false;
        for pattern in &self.patterns {
            if pattern.exclusion != matched {
                continue;
            }
            let hit = pattern.matches(&path) || parents.iter().any(|dir| pattern.matches(dir));
            if hit {
                matched = !pattern.exclusion;
            }
        }
        matched
    }

    /// The index (in file order, as `read_lines` yields them) of the pattern that excludes
    /// the path, when it is excluded: the last non-exception pattern that matched it or a
    /// parent and was not undone by a later exception. Tells a report which line saves what.
    pub fn deciding(&self, rel_path: &str) -> Option<usize> {
        let path = normalize(rel_path);
        let parents = parent_dirs(&path);
        let mut decided = None;
        for (index, pattern) in self.patterns.iter().enumerate() {
            if pattern.exclusion != decided.is_some() {
                continue;
            }
            if pattern.matches(&path) || parents.iter().any(|dir| pattern.matches(dir)) {
                decided = (!pattern.exclusion).then_some(index);
            }
        }
        decided
    }

    /// Whether Docker leaves this path out of the build context: it matches, or one of its
    /// parent directories is excluded and pruned whole by the walker (`node_modules` +
    /// `!**/keep.txt` does not bring `node_modules/pkg/keep.txt` back, as in Docker).
    pub fn is_excluded(&self, rel_path: &str) -> bool {
        let path = normalize(rel_path);
        if self.matches(&path) {
            return true;
        }
        parent_dirs(&path)
            .iter()
            .any(|dir| self.matches(dir) && self.can_skip_dir(dir))
    }

    /// For a directory that `matches`: whether the walker may skip it whole. Docker keeps
    /// walking only when some `!` exception's text starts with `<dir>/`.
    pub fn can_skip_dir(&self, rel_dir: &str) -> bool {
        if !self.has_exclusions {
            return true;
        }
        let dir_slash = format!("{}/", normalize(rel_dir));
        !self
            .patterns
            .iter()
            .filter(|p| p.exclusion)
            .any(|p| format!("{}/", p.text).starts_with(&dir_slash))
    }
}

/// `./a/b/` → `a/b`, so callers may pass paths in any of the usual spellings.
fn normalize(rel_path: &str) -> String {
    let cleaned = clean(rel_path);
    // `/` is the context root, as `.` is (found by the fuzzer: without this, normalizing twice
    // turned `/` into `` and then `.`, and `matches` and `is_excluded` disagreed).
    match cleaned.trim_start_matches('/') {
        "" => ".".to_owned(),
        rest => rest.to_owned(),
    }
}

/// `a/b/c` → [`a`, `a/b`].
fn parent_dirs(path: &str) -> Vec<&str> {
    path.match_indices('/')
        .map(|(i, _)| &path[..i])
        .filter(|dir| !dir.is_empty())
        .collect()
}

#[cfg(test)]
#[path = "matcher_tests.rs"]
mod tests;
