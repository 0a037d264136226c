//! Applies a `SyncPlan` to a service's containers: one tar per container through the archive
//! API (symlinks as links, ignore rules applied inside copied directories, nothing written
//! outside a rule's target), deletions by exec `rm -rf` with argv, deletions for stopped
//! containers kept until they run again, then restart and `sync+exec` hooks.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::os::unix::fs::MetadataExt as _;
use std::path::Path;
use std::time::{Duration, Instant};

use bollard::Docker;
use bollard::exec::{CreateExecOptions, StartExecResults};
use bollard::query_parameters::{
    ListContainersOptionsBuilder, RestartContainerOptions, UploadToContainerOptionsBuilder,
};
use futures_util::StreamExt;
use miette::Diagnostic;
use thiserror::Error;

use crate::domain::sync::{SyncPlan, WatchRule, WatchSet};
use crate::engine::context::{EntryKind, append_path};

/// A sync step that failed, naming the container and the engine's answer.
#[derive(Debug, Error, Diagnostic)]
pub enum SyncError {
    #[error("listing containers of service {service:?}: {source}")]
    #[diagnostic(help("check that the engine is running (`devbox doctor`)"))]
    List {
        service: String,
        source: bollard::errors::Error,
    },
    #[error("copying files to {container}: {message}")]
    #[diagnostic(help("the container's file system may be read-only or the target a file"))]
    Copy { container: String, message: String },
    #[error("deleting {paths:?} in {container}: {message}")]
    #[diagnostic(help("the container needs an `rm` binary; check its output above"))]
    Delete {
        container: String,
        paths: Vec<String>,
        message: String,
    },
    #[error("restarting {container}: {source}")]
    #[diagnostic(help("see `devbox logs` for why the container does not start"))]
    Restart {
        container: String,
        source: bollard::errors::Error,
    },
    #[error("exec {command:?} in {container}: {message}")]
    #[diagnostic(help("fix the develop.watch exec command or the container"))]
    Exec {
        container: String,
        command: Vec<String>,
        message: String,
    },
}

/// Deletions waiting for a container that was not running, keyed by container id.
#[derive(Debug, Default)]
pub struct PendingDeletes {
    by_container: HashMap<String, Vec<String>>,
}

impl PendingDeletes {
    pub fn count(&self) -> usize {
        self.by_container.values().map(Vec::len).sum()
    }
}

/// What a plan did, for the activity log.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncReport {
    pub service: String,
    pub containers: usize,
    /// Entries sent per container (files, dirs, links).
    pub entries: usize,
    pub deleted: usize,
    /// Deletions kept for stopped containers.
    pub deferred: usize,
    pub restarted: usize,
    pub execs: usize,
    pub elapsed: Duration,
}

#[derive(Debug, Clone)]
struct Target {
    id: String,
    name: String,
    running: bool,
}

async fn service_containers(
    docker: &Docker,
    project: &str,
    service: &str,
) -> Result<Vec<Target>, SyncError> {
    let filters = HashMap::from([(
        "label".to_string(),
        vec![
            format!("com.docker.compose.project={project}"),
            format!("com.docker.compose.service={service}"),
            "com.docker.compose.oneoff=False".to_string(),
        ],
    )]);
    let options = ListContainersOptionsBuilder::new()
        .all(true)
        .filters(&filters)
        .build();
    let list = docker
        .list_containers(Some(options))
        .await
        .map_err(|source| SyncError::List {
            service: service.to_string(),
            source,
        })?;
    let mut targets: Vec<Target> = list
        .into_iter()
        .filter_map(|c| {
            let id = c.id?;
            let name = c
                .names
                .and_then(|n| n.first().map(|s| s.trim_start_matches('/').to_string()))
                .unwrap_or_else(|| id.chars().take(12).collect());
            let running = c.state.is_some_and(|s| s.to_string() == "running");
            Some(Target { id, name, running })
        })
        .collect();
    targets.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(targets)
}

/// Runs one plan's sync, restart and exec steps (rebuild is the caller's) on every container
/// of the service. Deletions for stopped containers are kept in `pending`.
pub async fn apply(
    docker: &Docker,
    project: &str,
    set: &WatchSet,
    plan: &SyncPlan,
    pending: &mut PendingDeletes,
) -> Result<SyncReport, SyncError> {
    let started = Instant::now();
    let mut report = SyncReport {
        service: plan.service.clone(),
        ..SyncReport::default()
    };
    let containers = service_containers(docker, project, &plan.service).await?;
    report.containers = containers.len();
    for target in &containers {
        let mut deletes = if target.running {
            pending.by_container.remove(&target.id).unwrap_or_default()
        } else {
            Vec::new()
        };
        if target.running {
            deletes.extend(plan.deletes.iter().cloned());
        } else if !plan.deletes.is_empty() {
            let kept = pending.by_container.entry(target.id.clone()).or_default();
            kept.extend(plan.deletes.iter().cloned());
            report.deferred += plan.deletes.len();
        }
        if !deletes.is_empty() {
            deletes.sort();
            deletes.dedup();
            remove_paths(docker, target, &deletes).await?;
            report.deleted += deletes.len();
        }
        if !plan.copies.is_empty() {
            report.entries = copy_into(docker, target, set, plan).await?;
        }
    }
    if plan.restart {
        report.restarted += restart_all(docker, &containers).await?;
    }
    for &rule_index in &plan.execs {
        let Some(hook) = set.rules.get(rule_index).and_then(|r| r.exec.as_ref()) else {
            continue;
        };
        for target in containers.iter().filter(|t| t.running) {
            let mut env: Vec<String> = hook
                .environment
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            env.sort();
            let options = CreateExecOptions {
                cmd: Some(hook.command.clone()),
                user: (!hook.user.is_empty()).then(|| hook.user.clone()),
                working_dir: (!hook.working_dir.is_empty()).then(|| hook.working_dir.clone()),
                privileged: Some(hook.privileged),
                env: (!env.is_empty()).then_some(env),
                attach_stdout: Some(true),
                attach_stderr: Some(true),
                ..CreateExecOptions::default()
            };
            run_exec(docker, target, options)
                .await
                .map_err(|message| SyncError::Exec {
                    container: target.name.clone(),
                    command: hook.command.clone(),
                    message,
                })?;
            report.execs += 1;
        }
    }
    report.elapsed = started.elapsed();
    Ok(report)
}

/// Restarts every container of a service (dependents that asked for `restart: true`);
/// returns how many were restarted.
pub async fn restart_service(
    docker: &Docker,
    project: &str,
    service: &str,
) -> Result<usize, SyncError> {
    let containers = service_containers(docker, project, service).await?;
    restart_all(docker, &containers).await
}

/// Restarts each container in turn; returns how many were restarted.
async fn restart_all(docker: &Docker, containers: &[Target]) -> Result<usize, SyncError> {
    for target in containers {
        docker
            .restart_container(&target.id, None::<RestartContainerOptions>)
            .await
            .map_err(|source| SyncError::Restart {
                container: target.name.clone(),
                source,
            })?;
    }
    Ok(containers.len())
}

/// `rm -rf <paths>` as root with argv (no shell), failing on a non-zero exit.
async fn remove_paths(docker: &Docker, target: &Target, paths: &[String]) -> Result<(), SyncError> {
    let mut cmd = vec!["rm".to_string(), "-rf".to_string(), "--".to_string()];
    cmd.extend(paths.iter().cloned());
    let options = CreateExecOptions {
        cmd: Some(cmd),
        user: Some("0".to_string()),
        attach_stdout: Some(true),
        attach_stderr: Some(true),
        ..CreateExecOptions::default()
    };
    run_exec(docker, target, options)
        .await
        .map_err(|message| SyncError::Delete {
            container: target.name.clone(),
            paths: paths.to_vec(),
            message,
        })
}

/// Runs an exec to completion; the error is its output and exit code.
async fn run_exec(
    docker: &Docker,
    target: &Target,
    options: CreateExecOptions<String>,
) -> Result<(), String> {
    let exec = docker
        .create_exec(&target.id, options)
        .await
        .map_err(|e| e.to_string())?;
    let mut output = String::new();
    if let StartExecResults::Attached {
        output: mut stream, ..
    } = docker
        .start_exec(&exec.id, None)
        .await
        .map_err(|e| e.to_string())?
    {
        while let Some(chunk) = stream.next().await {
            output.push_str(&chunk.map_err(|e| e.to_string())?.to_string());
        }
    }
    let code = docker
        .inspect_exec(&exec.id)
        .await
        .map_err(|e| e.to_string())?
        .exit_code;
    match code {
        Some(0) => Ok(()),
        Some(code) => Err(format!("exit code {code}: {}", output.trim())),
        None => Err(format!("no exit code: {}", output.trim())),
    }
}

/// Builds the container's tar and uploads it at `/`; returns the number of entries.
async fn copy_into(
    docker: &Docker,
    target: &Target,
    set: &WatchSet,
    plan: &SyncPlan,
) -> Result<usize, SyncError> {
    let copy_error = |message: String| SyncError::Copy {
        container: target.name.clone(),
        message,
    };
    let owner = container_owner(docker, &target.id).await;
    // As Compose: a directory never silently replaces a file or a link (a symlinked directory
    // in the image stays a link), and a file never replaces a directory.
    let mut builder = UploadToContainerOptionsBuilder::new()
        .path("/")
        .no_overwrite_dir_non_dir("1");
    if owner.is_none() {
        builder = builder.copy_uidgid("1");
    }
    let options = builder.build();
    let upload = |skip_parent_dirs: bool| {
        let options = options.clone();
        async move {
            let (tar, entries) = build_tar(set, plan, owner, skip_parent_dirs)?;
            docker
                .upload_to_container(&target.id, Some(options), bollard::body_full(tar.into()))
                .await
                .map(|()| entries)
                .map_err(|e| e.to_string())
        }
    };
    let message = match upload(false).await {
        Ok(entries) => return Ok(entries),
        Err(message) => message,
    };
    if message.contains("cannot overwrite non-directory") {
        // A target crossing a symlinked directory in the image: send the files without the
        // directory headers their paths imply (Compose PR #14084).
        return upload(true).await.map_err(copy_error);
    }
    if message.contains("cannot overwrite directory") && target.running {
        // A directory on the container side became a file on the host: remove, then copy.
        let files: Vec<String> = plan
            .copies
            .iter()
            .filter(|c| !c.is_dir)
            .map(|c| c.container.clone())
            .collect();
        remove_paths(docker, target, &files).await?;
        return upload(false).await.map_err(copy_error);
    }
    Err(copy_error(message))
}

/// The uid:gid to write in headers: the container's numeric `User`, the host file's own ids
/// when `User` is empty (as Compose does), or `None` for a named user, resolved by the engine
/// (`copyUIDGID`).
async fn container_owner(docker: &Docker, id: &str) -> Option<Option<(u64, u64)>> {
    let user = docker
        .inspect_container(id, None)
        .await
        .ok()
        .and_then(|c| c.config)
        .and_then(|c| c.user)
        .unwrap_or_default();
    if user.is_empty() {
        return Some(None);
    }
    let mut parts = user.splitn(2, ':');
    let uid = parts.next().and_then(|u| u.parse::<u64>().ok())?;
    let gid = match parts.next() {
        Some(g) => g.parse::<u64>().ok()?,
        None => uid,
    };
    Some(Some((uid, gid)))
}

/// The tar for one plan: sorted by container path (later duplicates win), directories
/// walked without following links and filtered by their rule.
pub fn build_tar(
    set: &WatchSet,
    plan: &SyncPlan,
    owner: Option<Option<(u64, u64)>>,
    skip_parent_dirs: bool,
) -> Result<(Vec<u8>, usize), String> {
    let mut entries: BTreeMap<String, (std::path::PathBuf, EntryKind)> = BTreeMap::new();
    for copy in &plan.copies {
        let Some(rule) = set.rules.get(copy.rule) else {
            continue;
        };
        let host = Path::new(&copy.host);
        if !inside_rule(rule, host) {
            continue;
        }
        collect(rule, host, &copy.container, &mut entries)?;
    }
    if skip_parent_dirs {
        let names: Vec<String> = entries.keys().cloned().collect();
        entries.retain(|name, (_, kind)| {
            *kind != EntryKind::Dir
                || !names
                    .iter()
                    .any(|other| other.starts_with(&format!("{name}/")))
        });
    }
    let mut builder = tar::Builder::new(Vec::new());
    for (name, (host, kind)) in &entries {
        let ids = match owner {
            Some(Some(ids)) => ids,
            _ => fs::symlink_metadata(host)
                .map(|m| (u64::from(m.uid()), u64::from(m.gid())))
                .unwrap_or((0, 0)),
        };
        match append_path(&mut builder, host, name.trim_start_matches('/'), kind, ids) {
            Ok(()) => {}
            // Deleted since the batch was cut: the next batch deletes it.
            Err(crate::engine::context::ContextError::Io { error, .. })
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
fn inside_rule(rule: &WatchRule, host: &Path) -> bool {
    let Ok(root) = fs::canonicalize(&rule.path) else {
        return false;
    };
    let Some(parent) = host.parent() else {
        return false;
    };
    if host == Path::new(&rule.path) {
        return true;
    }
    fs::canonicalize(parent).is_ok_and(|p| p.starts_with(&root))
}

fn collect(
    rule: &WatchRule,
    host: &Path,
    container: &str,
    out: &mut BTreeMap<String, (std::path::PathBuf, EntryKind)>,
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
