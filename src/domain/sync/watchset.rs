//! The compiled set of watch rules of all watched services: validation, per-path acceptance
//! (inside the rule path, `include`, no ignore layer), container paths, and which directories
//! the watcher may leave unwatched because no rule can accept anything below them.

use std::sync::Arc;

use super::rules::{
    Action, ExecHook, RootedMatcher, RuleError, ServiceWatchSpec, is_builtin_ignored, relative_to,
};
use crate::domain::dockerignore::clean;

/// One usable rule.
#[derive(Debug, Clone)]
pub struct WatchRule {
    pub service: String,
    /// Position in the service's `develop.watch` list.
    pub index: usize,
    /// Absolute, cleaned host path.
    pub path: String,
    pub action: Action,
    /// Absolute container path (sync actions only).
    pub target: Option<String>,
    pub initial_sync: bool,
    pub exec: Option<ExecHook>,
    ignore: RootedMatcher,
    include: Option<RootedMatcher>,
    build_ignore: Option<Arc<RootedMatcher>>,
}

impl WatchRule {
    /// Whether a change of `abs_path` fires this rule (Compose's `watchRule.Matches`, with
    /// `.git` and editor files ignored at any depth).
    pub fn accepts(&self, abs_path: &str) -> bool {
        let path = clean(abs_path);
        if relative_to(&path, &self.path).is_none() {
            return false;
        }
        if let Some(include) = &self.include
            && !include.hit(&path)
        {
            return false;
        }
        !self.ignores(&path)
    }

    /// Whether an ignore layer (not `include`) drops the path: used to prune directories
    /// while copying one, so ignore rules also apply inside a synced directory.
    pub fn ignores(&self, abs_path: &str) -> bool {
        let path = clean(abs_path);
        is_builtin_ignored(&path)
            || self.build_ignore.as_ref().is_some_and(|m| m.hit(&path))
            || self.ignore.hit(&path)
    }

    /// `target` joined with the path relative to the rule path; `None` outside the rule or
    /// for actions without a target. The result never leaves `target` (paths are cleaned).
    pub fn container_path(&self, abs_path: &str) -> Option<String> {
        let target = self.target.as_deref()?;
        let path = clean(abs_path);
        let rel = relative_to(&path, &self.path)?;
        Some(if rel.is_empty() {
            target.to_string()
        } else if target == "/" {
            format!("/{rel}")
        } else {
            format!("{target}/{rel}")
        })
    }

    /// For a directory inside the rule path: true when nothing below it can be accepted.
    fn covers_dir(&self, abs_dir: &str) -> bool {
        is_builtin_ignored(abs_dir)
            || self.ignore.covers_dir(abs_dir)
            || self
                .build_ignore
                .as_ref()
                .is_some_and(|m| m.covers_dir(abs_dir))
    }
}

/// The rules of every watched service.
#[derive(Debug, Clone, Default)]
pub struct WatchSet {
    pub rules: Vec<WatchRule>,
}

/// Validates and compiles the services' rules.
pub fn compile(specs: &[ServiceWatchSpec]) -> Result<WatchSet, RuleError> {
    let mut rules = Vec::new();
    for spec in specs {
        let service = spec.service.clone();
        let build_ignore = match &spec.build_ignore {
            Some(file) => Some(Arc::new(
                RootedMatcher::for_context(&file.context, &file.text).map_err(|error| {
                    RuleError::BuildIgnore {
                        file: file.file.clone(),
                        error,
                    }
                })?,
            )),
            None => None,
        };
        for (index, rule) in spec.rules.iter().enumerate() {
            let action =
                Action::parse(rule.action.trim()).ok_or_else(|| RuleError::UnknownAction {
                    service: service.clone(),
                    rule: index,
                    action: rule.action.clone(),
                })?;
            let path = clean(&rule.path);
            let target = if action.syncs() {
                let target = rule.target.trim();
                if target.is_empty() {
                    return Err(RuleError::MissingTarget {
                        service,
                        rule: index,
                        action: rule.action.clone(),
                    });
                }
                if !target.starts_with('/') {
                    return Err(RuleError::RelativeTarget {
                        service,
                        rule: index,
                        target: target.to_string(),
                    });
                }
                Some(clean(target))
            } else {
                None
            };
            if action == Action::Rebuild && !spec.has_build {
                return Err(RuleError::RebuildWithoutBuild {
                    service,
                    rule: index,
                });
            }
            let exec = rule.exec.clone().filter(|hook| !hook.command.is_empty());
            if action == Action::SyncExec && exec.is_none() {
                return Err(RuleError::MissingExec {
                    service,
                    rule: index,
                });
            }
            if matches!(action, Action::Sync | Action::SyncRestart)
                && let Some(bind) = spec
                    .bind_sources
                    .iter()
                    .find(|bind| relative_to(&path, &clean(bind)).is_some())
            {
                return Err(RuleError::BindOverlap {
                    service,
                    rule: index,
                    path,
                    bind: bind.clone(),
                });
            }
            let pattern_error = |field: &'static str| {
                let service = service.clone();
                move |error| RuleError::Pattern {
                    service,
                    rule: index,
                    field,
                    error,
                }
            };
            let ignore =
                RootedMatcher::new(&path, &rule.ignore).map_err(pattern_error("ignore"))?;
            let include = if rule.include.is_empty() {
                None
            } else {
                Some(RootedMatcher::new(&path, &rule.include).map_err(pattern_error("include"))?)
            };
            rules.push(WatchRule {
                service: service.clone(),
                index,
                path,
                action,
                target,
                initial_sync: rule.initial_sync,
                exec,
                ignore,
                include,
                build_ignore: build_ignore.clone(),
            });
        }
    }
    if rules.is_empty() {
        return Err(RuleError::NoRules);
    }
    Ok(WatchSet { rules })
}

impl WatchSet {
    /// The paths to watch: rule paths with the ones inside another removed, sorted.
    pub fn roots(&self) -> Vec<String> {
        let mut paths: Vec<String> = self.rules.iter().map(|r| r.path.clone()).collect();
        paths.sort();
        paths.dedup();
        let all = paths.clone();
        paths.retain(|p| {
            !all.iter()
                .any(|other| other != p && relative_to(p, other).is_some())
        });
        paths
    }

    /// Whether the watcher may skip a directory: every rule whose path contains it ignores
    /// it whole. Directories above or beside a rule path are never skipped.
    pub fn can_skip_dir(&self, abs_dir: &str) -> bool {
        let dir = clean(abs_dir);
        let mut relevant = false;
        for rule in &self.rules {
            if relative_to(&rule.path, &dir).is_some_and(|rel| !rel.is_empty()) {
                return false;
            }
            if relative_to(&dir, &rule.path).is_some() {
                relevant = true;
                if !rule.covers_dir(&dir) {
                    return false;
                }
            }
        }
        relevant
    }

    /// Indexes of rules whose `initial_sync` copies their path at watch start (`sync` and
    /// `sync+restart` only, as in Compose).
    pub fn initial_sync_rules(&self) -> Vec<usize> {
        (0..self.rules.len())
            .filter(|&i| {
                let rule = &self.rules[i];
                rule.initial_sync && matches!(rule.action, Action::Sync | Action::SyncRestart)
            })
            .collect()
    }

    /// Names of the services with rules, sorted and unique.
    pub fn services(&self) -> Vec<String> {
        let mut names: Vec<String> = self.rules.iter().map(|r| r.service.clone()).collect();
        names.sort();
        names.dedup();
        names
    }
}
