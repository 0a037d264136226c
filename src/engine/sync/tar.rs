//! The tar of one sync plan: the changed paths under their rule, directories walked without
//! following links and filtered by the rule's ignores, symlinks sent as links.

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::MetadataExt as _;
use std::path::{Path, PathBuf};

use crate::domain::sync::{SyncPlan, WatchRule, WatchSet};
use crate::engine::image::build_context::{EntryKind, append_path};

/// The tar for one plan: sorted by container path (later duplicates win), directories
/// walked without following links and filtered by their rule.
pub fn build_tar(
    set: &WatchSet,
    plan: &SyncPlan,
    owner: Option<Option<(u64, u64)>>,
    skip_parent_dirs: bool,
) -> Result<(Vec<u8>, usize), String> {
    // Container path → (host path, kind, the rule root the file must still be inside).
    let mut entries: BTreeMap<String, (PathBuf, EntryKind, PathBuf)> = BTreeMap::new();
    for copy in &plan.copies {
        let Some(rule) = set.rules.get(copy.rule) else {
            continue;
        };
        let host = Path::new(&copy.host);
        let Ok(root) = fs::canonicalize(&rule.path) else {
            continue;
        };
        if !inside_rule(&root, rule, host) {
            continue;
        }
        let mut found = BTreeMap::new();
        collect(rule, host, &copy.container, &mut found)?;
        entries.extend(
            found
                .into_iter()
                .map(|(name, (host, kind))| (name, (host, kind, root.clone()))),
        );
    }
    if skip_parent_dirs {
        let names: Vec<String> = entries.keys().cloned().collect();
        entries.retain(|name, (_, kind, _)| {
            *kind != EntryKind::Dir
                || !names
                    .iter()
                    .any(|other| other.starts_with(&format!("{name}/")))
        });
    }
    let mut builder = tar::Builder::new(Vec::new());
    for (name, (host, kind, root)) in &entries {
        let ids = match owner {
            Some(Some(ids)) => ids,
            _ => fs::symlink_metadata(host)
                .map(|m| (u64::from(m.uid()), u64::from(m.gid())))
                .unwrap_or((0, 0)),
        };
        match append_path(
            &mut builder,
            root,
            host,
            name.trim_start_matches('/'),
            kind,
            ids,
        ) {
            Ok(()) => {}
            // Deleted since the batch was cut: the next batch deletes it.
            Err(crate::engine::image::build_context::ContextError::Io { error, .. })
                if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(err) => return Err(err.to_string()),
        }
    }
    let count = entries.len();
    builder
        .into_inner()
        .map(|tar| (tar, count))
        .map_err(|e| e.to_string())
}

/// The host path must be under the rule path with no symlinked directory in between, so a
/// link inside the project can never make devbox read (and send) files from elsewhere.
fn inside_rule(root: &Path, rule: &WatchRule, host: &Path) -> bool {
    let Some(parent) = host.parent() else {
        return false;
    };
    if host == Path::new(&rule.path) {
        return true;
    }
    fs::canonicalize(parent).is_ok_and(|p| p.starts_with(root))
}

fn collect(
    rule: &WatchRule,
    host: &Path,
    container: &str,
    out: &mut BTreeMap<String, (PathBuf, EntryKind)>,
) -> Result<(), String> {
    let Ok(meta) = fs::symlink_metadata(host) else {
        return Ok(());
    };
    let kind = if meta.file_type().is_symlink() {
        match fs::read_link(host) {
            Ok(target) => EntryKind::Symlink(target),
            Err(_) => return Ok(()),
        }
    } else if meta.is_dir() {
        EntryKind::Dir
    } else if meta.is_file() {
        EntryKind::File
    } else {
        return Ok(());
    };
    let is_dir = kind == EntryKind::Dir;
    out.insert(container.to_string(), (host.to_path_buf(), kind));
    if !is_dir {
        return Ok(());
    }
    let mut names: Vec<_> = match fs::read_dir(host) {
        Ok(dir) => dir.filter_map(|e| e.ok().map(|e| e.file_name())).collect(),
        Err(err) => return Err(format!("reading {}: {err}", host.display())),
    };
    names.sort();
    for name in names {
        let Some(name) = name.to_str() else { continue };
        let child = host.join(name);
        let Some(child_str) = child.to_str() else {
            continue;
        };
        if rule.ignores(child_str) {
            continue;
        }
        let child_container = format!("{}/{name}", container.trim_end_matches('/'));
        let child_is_dir = fs::symlink_metadata(&child).is_ok_and(|m| m.is_dir());
        if child_is_dir || rule.accepts(child_str) {
            collect(rule, &child, &child_container, out)?;
        }
    }
    Ok(())
}
