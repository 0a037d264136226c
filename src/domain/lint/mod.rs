//! `devbox lint` core: the `Rule` trait and registry, `Finding`s with spans and fixes, pragmas,
//! configuration, autofix edits and machine output. Pure: callers hand in file texts.

pub mod compose;
pub mod config;
pub mod coverage;
pub mod cross;
pub mod dockerfile;
pub mod dockerignore;
pub mod fix;
pub mod output;
pub mod pragma;
pub mod project;
pub mod registry;
pub mod secrets;
pub mod text;

use std::fmt;
use std::ops::Range;

pub use config::LintConfig;
pub use project::{BuildLink, Project, SourceFile};
pub use registry::{RuleMeta, all_rules, meta};

/// How bad a finding is. Ordered: `Info < Warning < Error`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
    pub fn parse(text: &str) -> Option<Severity> {
        match text.to_ascii_lowercase().as_str() {
            "info" | "note" => Some(Severity::Info),
            "warning" | "warn" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which kind of file a rule reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    Dockerfile,
    Compose,
    Dockerignore,
    Cross,
}

/// One replacement of a byte range in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub range: Range<usize>,
    pub replacement: String,
}

/// A mechanical fix: text edits to the finding's own file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub description: String,
    pub edits: Vec<Edit>,
}

/// One problem found in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule_id: &'static str,
    pub severity: Severity,
    /// The file as the user named it (relative to the project when found by discovery).
    pub file: String,
    /// Byte range in the file.
    pub span: Range<usize>,
    /// 1-based line and column of the span start.
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub message: String,
    /// What to do: the rule's advice, or the finding's own when it knows better.
    pub help: String,
    pub fix: Option<Fix>,
    /// Hash of the finding's line text (whitespace-normalised), for fingerprints that survive
    /// the line moving (`text::line_hash`, used by `output::ci::fingerprints`).
    pub line_hash: u64,
}

/// What a rule reports before the engine adds positions and severity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub span: Range<usize>,
    pub message: String,
    /// Advice for this case (the image's own probe, the real port), over the rule's general help.
    pub help: Option<String>,
    pub fix: Option<Fix>,
}

impl Hit {
    pub fn new(span: Range<usize>, message: impl Into<String>) -> Hit {
        Hit {
            span,
            message: message.into(),
            help: None,
            fix: None,
        }
    }
    pub fn with_help(mut self, help: impl Into<String>) -> Hit {
        self.help = Some(help.into());
        self
    }
    pub fn with_fix(mut self, description: impl Into<String>, edits: Vec<Edit>) -> Hit {
        if !edits.is_empty() {
            self.fix = Some(Fix {
                description: description.into(),
                edits,
            });
        }
        self
    }
}

/// Options that change what fixes rules may propose.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FixOptions {
    /// `image=tag` pairs the user named with `--pin`: DBX101 may pin those bases.
    pub pins: Vec<(String, String)>,
}

/// The result of linting a project.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub findings: Vec<Finding>,
    /// Files that were linted, in order.
    pub files: Vec<String>,
}

impl Report {
    pub fn worst(&self) -> Option<Severity> {
        self.findings.iter().map(|f| f.severity).max()
    }
    /// True when a finding reaches the configured failure threshold.
    pub fn fails(&self, config: &LintConfig) -> bool {
        config
            .fail_on
            .is_some_and(|t| self.findings.iter().any(|f| f.severity >= t))
    }
}

/// Lints every file of `project` with every enabled rule; findings sorted by file and position.
pub fn lint(project: &Project, config: &LintConfig, options: &FixOptions) -> Report {
    project::run(project, config, options)
}
