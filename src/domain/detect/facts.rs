//! Detected values with their reasons (file + line), and manifest problems that make the wizard ask.

use std::fmt;

/// Why a value was detected: the file (and line) it came from and a short note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    /// Path relative to the project root; `None` for a built-in default.
    pub file: Option<String>,
    /// 1-based line in `file`, when one line says it.
    pub line: Option<usize>,
    pub note: String,
}

impl Reason {
    pub fn at(file: &str, line: Option<usize>, note: impl Into<String>) -> Self {
        Reason {
            file: Some(file.to_string()),
            line,
            note: note.into(),
        }
    }

    pub fn default_for(note: impl Into<String>) -> Self {
        Reason {
            file: None,
            line: None,
            note: note.into(),
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.file, self.line) {
            (Some(file), Some(line)) => write!(f, "{file}:{line}: {}", self.note),
            (Some(file), None) => write!(f, "{file}: {}", self.note),
            _ => write!(f, "{}", self.note),
        }
    }
}

/// A detected value and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact<T> {
    pub value: T,
    pub reason: Reason,
}

impl<T> Fact<T> {
    pub fn new(value: T, reason: Reason) -> Self {
        Fact { value, reason }
    }
}

/// A manifest that could not be read: named by file, line and column, with what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestProblem {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for ManifestProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {} (devbox will ask instead of guessing; fix the file to get detected defaults)",
            self.file, self.line, self.column, self.message
        )
    }
}

/// The 1-based line of the first line containing `needle`.
pub fn line_of(text: &str, needle: &str) -> Option<usize> {
    text.lines()
        .position(|line| line.contains(needle))
        .map(|index| index + 1)
}

/// The 1-based line of the first line containing `needle` at or after line `from` (1-based).
pub fn line_of_after(text: &str, from: usize, needle: &str) -> Option<usize> {
    text.lines()
        .enumerate()
        .skip(from.saturating_sub(1))
        .find(|(_, line)| line.contains(needle))
        .map(|(index, _)| index + 1)
}

/// Line and column (1-based) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before
        .rfind('\n')
        .map_or(before.len(), |nl| before.len() - nl - 1)
        + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reason_display_names_file_and_line() {
        let reason = Reason::at("package.json", Some(7), "scripts.build is \"tsc\"");
        assert_eq!(
            reason.to_string(),
            "package.json:7: scripts.build is \"tsc\""
        );
        assert_eq!(
            Reason::default_for("Node default").to_string(),
            "Node default"
        );
    }

    #[test]
    fn line_col_counts_from_one() {
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
        assert_eq!(line_col("ab", 0), (1, 1));
        assert_eq!(line_of("a\nb\nc", "c"), Some(3));
        assert_eq!(line_of_after("x\ny\nx", 2, "x"), Some(3));
    }
}
