//! `develop.watch` rules compiled for matching: every field, validation with clear errors, and
//! the ignore layers Compose applies (rule `ignore`/`include` rooted at the rule path, the
//! service's build ignore file rooted at the context, editor temp files and `.git` anywhere).

use miette::Diagnostic;
use thiserror::Error;

use crate::domain::dockerignore::pattern::Pattern;
use crate::domain::dockerignore::{IgnoreMatcher, PatternError, clean};

/// What a rule does when a matching file changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Sync,
    Rebuild,
    Restart,
    SyncRestart,
    SyncExec,
}

impl Action {
    pub fn parse(text: &str) -> Option<Action> {
        Some(match text {
            "sync" => Action::Sync,
            "rebuild" => Action::Rebuild,
            "restart" => Action::Restart,
            "sync+restart" => Action::SyncRestart,
            "sync+exec" => Action::SyncExec,
            _ => return None,
        })
    }

    pub fn syncs(self) -> bool {
        matches!(self, Action::Sync | Action::SyncRestart | Action::SyncExec)
    }
}

/// The `exec` hook of a `sync+exec` rule.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExecHook {
    pub command: Vec<String>,
    pub user: String,
    pub privileged: bool,
    pub working_dir: String,
    pub environment: Vec<(String, String)>,
}

/// One rule as written (paths already absolute, as the compose loader resolves them).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleSpec {
    pub path: String,
    pub action: String,
    pub target: String,
    pub ignore: Vec<String>,
    pub include: Vec<String>,
    pub initial_sync: bool,
    pub exec: Option<ExecHook>,
}

/// The build ignore file of a service: the context dir and the file's text (read by the edge).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BuildIgnore {
    pub context: String,
    /// Where the text came from, for error messages.
    pub file: String,
    pub text: String,
}

/// Everything watch needs to know about one service.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServiceWatchSpec {
    pub service: String,
    pub rules: Vec<RuleSpec>,
    /// Whether the service has a `build` section (needed by `rebuild`).
    pub has_build: bool,
    pub build_ignore: Option<BuildIgnore>,
    /// Host sources of the service's bind mounts.
    pub bind_sources: Vec<String>,
}

/// A rule that cannot be used; each names the service and the rule (`develop.watch[i]`).
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
pub enum RuleError {
    #[error(
        "service {service:?}: develop.watch[{rule}] has no target, which action {action} needs"
    )]
    #[diagnostic(help("add `target: /path/in/container` to the rule"))]
    MissingTarget {
        service: String,
        rule: usize,
        action: String,
    },
    #[error("service {service:?}: develop.watch[{rule}] target {target:?} is not absolute")]
    #[diagnostic(help("write the container path in full, e.g. `target: /app`"))]
    RelativeTarget {
        service: String,
        rule: usize,
        target: String,
    },
    #[error(
        "service {service:?}: develop.watch[{rule}] uses action rebuild but the service has no build section"
    )]
    #[diagnostic(help("add `build:` to the service, or use action `restart`"))]
    RebuildWithoutBuild { service: String, rule: usize },
    #[error("service {service:?}: develop.watch[{rule}] has unknown action {action:?}")]
    #[diagnostic(help("use one of sync, rebuild, restart, sync+restart, sync+exec"))]
    UnknownAction {
        service: String,
        rule: usize,
        action: String,
    },
    #[error("service {service:?}: develop.watch[{rule}] is sync+exec without exec.command")]
    #[diagnostic(help("add `exec: {{ command: [...] }}` to the rule"))]
    MissingExec { service: String, rule: usize },
    #[error(
        "service {service:?}: develop.watch[{rule}] path {path} is also bind-mounted from {bind}"
    )]
    #[diagnostic(help(
        "a bind mount already shows host changes in the container: drop the sync rule or the bind mount"
    ))]
    BindOverlap {
        service: String,
        rule: usize,
        path: String,
        bind: String,
    },
    #[error("service {service:?}: develop.watch[{rule}].{field}[{}]: {}", error.line - 1, error.reason.docker_message())]
    #[diagnostic(help("fix the pattern; patterns use .dockerignore syntax"))]
    Pattern {
        service: String,
        rule: usize,
        field: &'static str,
        error: PatternError,
    },
    #[error("{file}: {error}")]
    #[diagnostic(help("fix the pattern; Docker refuses this ignore file too"))]
    BuildIgnore { file: String, error: PatternError },
    #[error("none of the selected services is configured for watch")]
    #[diagnostic(help(
        "add a `develop.watch` section to a service, see https://docs.docker.com/compose/how-tos/file-watch/"
    ))]
    NoRules,
}

/// A pattern list made absolute by joining each relative entry to `root`, like Compose does.
#[derive(Debug, Clone, Default)]
pub struct RootedMatcher {
    root: String,
    matcher: IgnoreMatcher,
    /// Build ignore files answer "is it in the build context" (walker pruning included).
    context_semantics: bool,
}

impl RootedMatcher {
    pub fn new(root: &str, entries: &[String]) -> Result<RootedMatcher, PatternError> {
        let root = clean(root);
        let escaped = escape_glob(&root);
        let rooted = entries.iter().map(|entry| {
            let trimmed = entry.trim();
            let (bang, body) = match trimmed.strip_prefix('!') {
                Some(rest) => ("!", rest.trim()),
                None => ("", trimmed),
            };
            if body.is_empty() {
                return trimmed.to_string();
            }
            let absolute = if body.starts_with('/') {
                clean(body)
            } else {
                clean(&format!("{escaped}/{body}"))
            };
            format!("{bang}{}", absolute.trim_start_matches('/'))
        });
        Ok(RootedMatcher {
            root,
            matcher: IgnoreMatcher::from_patterns(rooted.collect::<Vec<_>>())?,
            context_semantics: false,
        })
    }

    /// A build ignore file, relative to the build context.
    pub fn for_context(context: &str, text: &str) -> Result<RootedMatcher, PatternError> {
        Ok(RootedMatcher {
            root: clean(context),
            matcher: IgnoreMatcher::parse(text)?,
            context_semantics: true,
        })
    }

    pub fn is_empty(&self) -> bool {
        self.matcher.is_empty()
    }

    /// Whether the absolute path is matched.
    pub fn hit(&self, abs_path: &str) -> bool {
        let path = clean(abs_path);
        if self.context_semantics {
            return relative_to(&path, &self.root)
                .is_some_and(|rel| !rel.is_empty() && self.matcher.is_excluded(rel));
        }
        self.matcher.matches(path.trim_start_matches('/'))
    }
}

impl RootedMatcher {
    /// For a directory: true when the list ignores it and nothing below it can come back.
    pub fn covers_dir(&self, abs_dir: &str) -> bool {
        let path = clean(abs_dir);
        if self.context_semantics {
            return relative_to(&path, &self.root).is_some_and(|rel| {
                !rel.is_empty()
                    && self.matcher.is_excluded(rel)
                    && (!self.matcher.matches(rel) || self.matcher.can_skip_dir(rel))
            });
        }
        let has_exceptions = self.matcher.patterns().any(|(_, exception)| exception);
        !has_exceptions && self.hit(&path)
    }
}

fn escape_glob(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        if matches!(ch, '*' | '?' | '[' | ']' | '\\') {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

/// `path` relative to `root` when it is `root` or inside it (both cleaned, absolute).
pub fn relative_to<'a>(path: &'a str, root: &str) -> Option<&'a str> {
    if path == root {
        return Some("");
    }
    if root == "/" {
        path.strip_prefix('/')
    } else {
        path.strip_prefix(root)?.strip_prefix('/')
    }
}

/// Editor and tool temp files (Compose's list) and `.git`, matched against every path
/// component so they are ignored at any depth.
const BUILTIN_NAMES: &[&str] = &[
    "*___jb_old___",
    "*___jb_tmp___",
    ".idea",
    ".#*",
    "#*#",
    "4913",
    "*~",
    ".*.swp",
    ".*.swx",
    ".*.swo",
    ".*.swn",
    ".*.kate-swp",
    "*-go-tmp-umask",
    ".git",
];

/// Whether any component of the path is an editor temp file or `.git`.
pub fn is_builtin_ignored(abs_path: &str) -> bool {
    thread_local! {
        static PATTERNS: Vec<Pattern> = BUILTIN_NAMES
            .iter()
            .filter_map(|p| Pattern::compile(p, false).ok())
            .collect();
    }
    PATTERNS.with(|patterns| {
        abs_path
            .split('/')
            .filter(|c| !c.is_empty())
            .any(|component| patterns.iter().any(|p| p.matches(component)))
    })
}

#[cfg(test)]
#[path = "rules_tests.rs"]
mod tests;
