//! Applies a `SyncPlan` to a service's containers: one tar per container (symlinks as links,
//! ignore rules applied inside copied directories, nothing written outside a rule's target)
//! through the container's receiver (`receiver`) or the archive API, deletions by exec
//! `rm -rf` with argv, deletions for stopped containers kept until they run again, then
//! restart and `sync+exec` hooks.

mod exec;
pub mod receiver;
mod tar;

pub use receiver::Receivers;
pub use tar::build_tar;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use bollard::Docker;
use bollard::exec::CreateExecOptions;
use bollard::query_parameters::{ListContainersOptionsBuilder, UploadToContainerOptionsBuilder};
use miette::Diagnostic;
use thiserror::Error;

use crate::domain::sync::{SyncPlan, WatchSet};
use exec::{remove_paths, restart_all, run_exec};
use receiver::Frame;

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

/// What a watch keeps between batches: deletions waiting for a container that was not
/// running (by container id), and the open receivers.
#[derive(Debug)]
pub struct SyncSession {
    by_container: HashMap<String, Vec<String>>,
    receivers: Receivers,
}

impl Default for SyncSession {
    fn default() -> Self {
        Self {
            by_container: HashMap::new(),
            receivers: Receivers::from_env(),
        }
    }
}

impl SyncSession {
    /// Deletions kept for containers that were not running.
    pub fn pending_deletes(&self) -> usize {
        self.by_container.values().map(Vec::len).sum()
    }

    /// The same session sending through the archive API only (for comparisons).
    pub fn archive_only() -> Self {
        Self {
            by_container: HashMap::new(),
            receivers: Receivers::default().disabled(),
        }
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
    /// No container of the service runs: nothing was done (the caller keeps the plan).
    pub not_running: bool,
    pub restarted: usize,
    pub execs: usize,
    /// Containers whose copy went through their receiver (the rest used the archive API).
    pub received: usize,
    pub elapsed: Duration,
    /// Things the user should know that did not fail the batch (a slower path taken).
    pub notices: Vec<String>,
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
    let filters = crate::engine::stack::labels::service_filter(project, service);
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
/// of the service. Deletions for stopped containers are kept in the session.
pub async fn apply(
    docker: &Docker,
    project: &str,
    set: &WatchSet,
    plan: &SyncPlan,
    session: &mut SyncSession,
) -> Result<SyncReport, SyncError> {
    let started = Instant::now();
    let mut report = SyncReport {
        service: plan.service.clone(),
        ..SyncReport::default()
    };
    let containers = service_containers(docker, project, &plan.service).await?;
    report.containers = containers.len();
    if !containers.iter().any(|t| t.running) {
        report.not_running = true;
        return Ok(report);
    }
    // Containers that are gone (recreated by a rebuild) keep nothing: their receivers and
    // deletions would only wait forever.
    session
        .by_container
        .retain(|id, _| containers.iter().any(|t| &t.id == id));
    for target in &containers {
        if !target.running {
            session.receivers.forget(&target.id);
        }
        let mut deletes = if target.running {
            session.by_container.remove(&target.id).unwrap_or_default()
        } else {
            Vec::new()
        };
        if target.running {
            deletes.extend(plan.deletes.iter().cloned());
        } else if !plan.deletes.is_empty() {
            let kept = session.by_container.entry(target.id.clone()).or_default();
            kept.extend(plan.deletes.iter().cloned());
            report.deferred += plan.deletes.len();
        }
        if deletes.is_empty() && plan.copies.is_empty() {
            continue;
        }
        let facts = container_facts(docker, &target.id).await;
        if !deletes.is_empty() {
            deletes.sort();
            deletes.dedup();
            remove_in(docker, target, &facts, &mut session.receivers, &deletes).await?;
            report.deleted += deletes.len();
        }
        if !plan.copies.is_empty() {
            let (entries, received) =
                copy_into(docker, target, &facts, set, plan, &mut session.receivers).await?;
            report.entries = entries;
            report.received += usize::from(received);
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
    report.notices = session.receivers.take_notes();
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

/// Removes paths through the container's receiver when one runs there, else (or when its
/// `rm` fails, e.g. on a file of another user) with the `rm -rf` exec as root.
async fn remove_in(
    docker: &Docker,
    target: &Target,
    facts: &ContainerFacts,
    receivers: &mut Receivers,
    paths: &[String],
) -> Result<(), SyncError> {
    if let Some(user) = &facts.receiver_user {
        let sent = receivers
            .send(docker, &target.id, &target.name, user, Frame::Remove(paths))
            .await;
        if let Some(Ok(())) = sent {
            return Ok(());
        }
    }
    remove_paths(docker, target, paths).await
}

/// Builds the container's tar and sends it through the container's receiver when one can
/// run, else (or when its tar refuses the frame) uploads it at `/` through the archive API;
/// returns the number of entries and whether the receiver took them.
async fn copy_into(
    docker: &Docker,
    target: &Target,
    facts: &ContainerFacts,
    set: &WatchSet,
    plan: &SyncPlan,
    receivers: &mut Receivers,
) -> Result<(usize, bool), SyncError> {
    let copy_error = |message: String| SyncError::Copy {
        container: target.name.clone(),
        message,
    };
    let owner = facts.owner;
    if let (true, Some(user)) = (target.running, &facts.receiver_user) {
        let (tar, entries) = build_tar(set, plan, owner, false).map_err(copy_error)?;
        if let Some(Ok(())) = receivers
            .send(docker, &target.id, &target.name, user, Frame::Tar(&tar))
            .await
        {
            return Ok((entries, true));
        }
        // Refused or no receiver: the archive API below, with its recoveries and messages.
    }
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
                .map(|()| (entries, false))
                .map_err(|e| e.to_string())
        }
    };
    let message = match upload(false).await {
        Ok(sent) => return Ok(sent),
        Err(message) => message,
    };
    // Podman says the same as Docker in other words: `error creating "P": mkdir P: file exists`
    // (a non-directory where the tar has a directory) and `…: open P: file exists` (a directory
    // where the tar has a file); docs/podman.md §9.
    let podman = message.contains("error creating") && message.contains("file exists");
    if message.contains("cannot overwrite non-directory") || podman && message.contains(": mkdir ")
    {
        // A target crossing a symlinked directory in the image: send the files without the
        // directory headers their paths imply (Compose PR #14084).
        return upload(true).await.map_err(copy_error);
    }
    let directory_in_the_way =
        message.contains("cannot overwrite directory") || podman && message.contains(": open ");
    if directory_in_the_way && target.running {
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

/// What a copy needs to know about the container.
struct ContainerFacts {
    /// The uid:gid to write in headers: the container's numeric `User`, the host file's own
    /// ids when `User` is empty (as Compose does), or `None` for a named user, resolved by the
    /// engine (`copyUIDGID`).
    owner: Option<Option<(u64, u64)>>,
    /// Who the receiver runs as, when one may: the numeric user itself (its files are then its
    /// own without any chown), or root when `User` is empty and no capability was dropped
    /// (root without CAP_CHOWN would write root-owned files where the archive API would not).
    receiver_user: Option<String>,
}

async fn container_facts(docker: &Docker, id: &str) -> ContainerFacts {
    let inspected = docker.inspect_container(id, None).await.ok();
    let user = inspected
        .as_ref()
        .and_then(|c| c.config.as_ref())
        .and_then(|c| c.user.clone())
        .unwrap_or_default();
    let caps_dropped = inspected
        .as_ref()
        .and_then(|c| c.host_config.as_ref())
        .and_then(|h| h.cap_drop.as_ref())
        .is_some_and(|d| !d.is_empty());
    if user.is_empty() {
        return ContainerFacts {
            owner: Some(None),
            receiver_user: (!caps_dropped).then(|| "0".to_owned()),
        };
    }
    let numeric = || {
        let mut parts = user.splitn(2, ':');
        let uid = parts.next().and_then(|u| u.parse::<u64>().ok())?;
        let gid = match parts.next() {
            Some(g) => g.parse::<u64>().ok()?,
            None => uid,
        };
        Some((uid, gid))
    };
    let owner = numeric();
    ContainerFacts {
        owner: owner.map(Some),
        receiver_user: owner.map(|(uid, gid)| format!("{uid}:{gid}")),
    }
}
