//! `plan(&rules, &[FsChange]) -> Vec<SyncPlan>`: turns one batch of file changes into what to
//! do per service, in Compose's order (rebuild → sync → restart → exec), all matching rules
//! firing, copies and deletions de-duplicated.

use std::collections::BTreeMap;

use super::rules::{Action, relative_to};
use super::watchset::WatchSet;
use crate::domain::dockerignore::clean;

/// One changed host path, stat'ed by the edge when the batch is cut.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FsChange {
    /// Absolute host path.
    pub path: String,
    /// False when the path no longer exists (deleted, or renamed away).
    pub exists: bool,
    pub is_dir: bool,
}

impl FsChange {
    pub fn exists(path: impl Into<String>, is_dir: bool) -> FsChange {
        FsChange {
            path: path.into(),
            exists: true,
            is_dir,
        }
    }

    pub fn removed(path: impl Into<String>) -> FsChange {
        FsChange {
            path: path.into(),
            exists: false,
            is_dir: false,
        }
    }
}

/// Copy a host path (a directory recursively, filtered by its rule) to a container path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyOp {
    /// Index into `WatchSet::rules` (its filters apply inside a copied directory).
    pub rule: usize,
    pub host: String,
    pub container: String,
    pub is_dir: bool,
}

/// What one batch asks of one service.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncPlan {
    pub service: String,
    pub rebuild: bool,
    pub copies: Vec<CopyOp>,
    /// Container paths to `rm -rf`.
    pub deletes: Vec<String>,
    pub restart: bool,
    /// Indexes of the `sync+exec` rules to run, once each.
    pub execs: Vec<usize>,
    /// How many of the batch's changes concern this service.
    pub changes: usize,
}

impl SyncPlan {
    /// Folds a later plan of the same service into this kept one, so that applying the result
    /// once leaves the container as applying both in turn would (deletions run before copies:
    /// a copy under a later deletion is dropped, a later copy of a path replaces the earlier).
    /// A rebuild is never kept: it runs when asked.
    pub fn absorb(&mut self, later: SyncPlan) {
        let under = |path: &str, dir: &str| {
            path == dir
                || path
                    .strip_prefix(dir)
                    .is_some_and(|rest| rest.starts_with('/'))
        };
        self.copies
            .retain(|c| !later.deletes.iter().any(|d| under(&c.container, d)));
        for copy in later.copies {
            self.copies.retain(|c| c.container != copy.container);
            self.copies.push(copy);
        }
        for delete in later.deletes {
            if !self.deletes.contains(&delete) {
                self.deletes.push(delete);
            }
        }
        self.restart |= later.restart;
        for exec in later.execs {
            if !self.execs.contains(&exec) {
                self.execs.push(exec);
            }
        }
        self.changes += later.changes;
    }

    pub fn is_empty(&self) -> bool {
        !self.rebuild
            && self.copies.is_empty()
            && self.deletes.is_empty()
            && !self.restart
            && self.execs.is_empty()
    }
}

/// Plans one batch. Services come out sorted by name.
pub fn plan(set: &WatchSet, changes: &[FsChange]) -> Vec<SyncPlan> {
    let mut per_service: BTreeMap<String, SyncPlan> = BTreeMap::new();
    // Container path -> copy, so a path reached by two rules of a service is sent once.
    let mut copies: BTreeMap<(String, String), CopyOp> = BTreeMap::new();
    for change in changes {
        let path = clean(&change.path);
        let mut counted: Vec<&str> = Vec::new();
        for (index, rule) in set.rules.iter().enumerate() {
            if !rule.accepts(&path) {
                continue;
            }
            let entry = per_service
                .entry(rule.service.clone())
                .or_insert_with(|| SyncPlan {
                    service: rule.service.clone(),
                    ..SyncPlan::default()
                });
            if !counted.contains(&rule.service.as_str()) {
                entry.changes += 1;
                counted.push(&rule.service);
            }
            match rule.action {
                Action::Rebuild => entry.rebuild = true,
                Action::Restart => entry.restart = true,
                Action::Sync | Action::SyncRestart | Action::SyncExec => {
                    let Some(container) = rule.container_path(&path) else {
                        continue;
                    };
                    if change.exists {
                        let op = CopyOp {
                            rule: index,
                            host: path.clone(),
                            container: container.clone(),
                            is_dir: change.is_dir,
                        };
                        copies.insert((rule.service.clone(), container), op);
                    } else {
                        entry.deletes.push(container);
                    }
                    if rule.action == Action::SyncRestart {
                        entry.restart = true;
                    }
                    if rule.action == Action::SyncExec && !entry.execs.contains(&index) {
                        entry.execs.push(index);
                    }
                }
            }
        }
    }
    for ((service, _), op) in copies {
        if let Some(entry) = per_service.get_mut(&service) {
            entry.copies.push(op);
        }
    }
    for entry in per_service.values_mut() {
        entry.copies = drop_covered_copies(std::mem::take(&mut entry.copies));
        entry.deletes = drop_covered_paths(std::mem::take(&mut entry.deletes));
        entry.execs.sort_unstable();
    }
    per_service
        .into_values()
        .filter(|p| !p.is_empty())
        .collect()
}

/// A copy inside a directory copied by the same rule is already in that directory's tar.
fn drop_covered_copies(copies: Vec<CopyOp>) -> Vec<CopyOp> {
    let dirs: Vec<(usize, String)> = copies
        .iter()
        .filter(|c| c.is_dir)
        .map(|c| (c.rule, c.host.clone()))
        .collect();
    copies
        .into_iter()
        .filter(|c| {
            !dirs.iter().any(|(rule, dir)| {
                *rule == c.rule && *dir != c.host && relative_to(&c.host, dir).is_some()
            })
        })
        .collect()
}

/// `rm -rf a` already removes `a/b`; sorted and unique.
fn drop_covered_paths(mut paths: Vec<String>) -> Vec<String> {
    paths.sort();
    paths.dedup();
    let all = paths.clone();
    paths.retain(|p| {
        !all.iter()
            .any(|other| other != p && relative_to(p, other).is_some())
    });
    paths
}

/// The copies of an initial sync: each rule's path, copied whole (filters apply inside).
pub fn plan_initial(set: &WatchSet, roots: &[FsChange]) -> Vec<SyncPlan> {
    let mut per_service: BTreeMap<String, SyncPlan> = BTreeMap::new();
    for index in set.initial_sync_rules() {
        let rule = &set.rules[index];
        let Some(root) = roots
            .iter()
            .find(|r| clean(&r.path) == rule.path && r.exists)
        else {
            continue;
        };
        let Some(container) = rule.container_path(&rule.path) else {
            continue;
        };
        let entry = per_service
            .entry(rule.service.clone())
            .or_insert_with(|| SyncPlan {
                service: rule.service.clone(),
                ..SyncPlan::default()
            });
        entry.changes += 1;
        entry.copies.push(CopyOp {
            rule: index,
            host: rule.path.clone(),
            container,
            is_dir: root.is_dir,
        });
    }
    per_service.into_values().collect()
}

#[cfg(test)]
#[path = "plan_tests.rs"]
mod tests;
