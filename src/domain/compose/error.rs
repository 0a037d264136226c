//! Loader errors and warnings: every error carries the file, line and column, the key path
//! (`services.web.ports[0]`), what was expected and, when we can tell, what to do.

use std::fmt;
use std::sync::Arc;

/// A position in a compose file (1-based line and column; 0 = unknown).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Pos {
    pub file: Arc<str>,
    pub line: u32,
    pub col: u32,
}

impl Pos {
    pub fn new(file: Arc<str>, line: u32, col: u32) -> Self {
        Self { file, line, col }
    }

    /// A position naming only a file (for problems not tied to one value).
    pub fn file_only(file: &str) -> Self {
        Self::new(Arc::from(file), 0, 0)
    }
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}", self.file)
        } else {
            write!(f, "{}:{}:{}", self.file, self.line, self.col)
        }
    }
}

/// A compose file that cannot be loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
#[error("{}", self.render())]
#[diagnostic(code(devbox::compose))]
pub struct LoadError {
    pub pos: Option<Pos>,
    /// Dotted key path, e.g. `services.web.ports[0]`; empty when not tied to a key.
    pub path: String,
    pub message: String,
    #[help]
    pub help: Option<String>,
}

impl LoadError {
    pub fn at(pos: Pos, path: impl Into<String>, message: String) -> Self {
        Self {
            pos: Some(pos),
            path: path.into(),
            message,
            help: None,
        }
    }

    pub fn global(message: String) -> Self {
        Self {
            pos: None,
            path: String::new(),
            message,
            help: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_path(mut self, path: impl Into<String>) -> Self {
        if self.path.is_empty() {
            self.path = path.into();
        }
        self
    }

    fn render(&self) -> String {
        let mut out = String::new();
        if let Some(pos) = &self.pos {
            out.push_str(&pos.to_string());
            out.push_str(": ");
        }
        if !self.path.is_empty() {
            out.push_str(&self.path);
            out.push_str(": ");
        }
        out.push_str(&self.message);
        out
    }

    /// The message plus its help line, as printed in plain text (used by snapshots).
    pub fn full_text(&self) -> String {
        match &self.help {
            Some(help) => format!("{}\nhelp: {help}", self.render()),
            None => self.render(),
        }
    }
}

/// Something worth telling the user that does not stop loading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub pos: Option<Pos>,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.pos {
            Some(pos) => write!(f, "{pos}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// Suggests the candidate nearest to `word` (Jaro-Winkler), if it is close enough.
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let mut best: Option<(&str, f64)> = None;
    for candidate in candidates {
        let score = strsim::jaro_winkler(word, candidate);
        if score >= 0.8 && best.is_none_or(|(_, s)| score > s) {
            best = Some((candidate, score));
        }
    }
    best.map(|(c, _)| c)
}

/// Joins a key path and a child key: `services.web` + `ports` → `services.web.ports`.
pub fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// Joins a key path and a list index: `services.web.ports` + 0 → `services.web.ports[0]`.
pub fn index(path: &str, i: usize) -> String {
    format!("{path}[{i}]")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_finds_typos() {
        let keys = ["healthcheck", "hostname", "image", "depends_on"];
        assert_eq!(nearest("helthcheck", keys), Some("healthcheck"));
        assert_eq!(nearest("dependson", keys), Some("depends_on"));
        assert_eq!(nearest("zzz", keys), None);
    }

    #[test]
    fn errors_render_position_path_and_message() {
        let err = LoadError::at(
            Pos::new(Arc::from("compose.yaml"), 3, 5),
            "services.web",
            "bad".into(),
        )
        .with_help("fix it");
        assert_eq!(
            err.full_text(),
            "compose.yaml:3:5: services.web: bad\nhelp: fix it"
        );
    }
}
