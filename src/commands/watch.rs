//! `devbox watch [SERVICE...]`: loads the project's `develop.watch` rules, runs the initial
//! syncs, then watches in the foreground and prints one activity line per step
//! (`synced 3 files → web (41 ms)`), until Ctrl-C.

use std::path::Path;
use std::sync::Arc;

use miette::Diagnostic;
use thiserror::Error;

use super::project::{ProjectArgs, load_project, print_warnings};
use crate::domain::compose::{Project, Service};
use crate::domain::sync::activity::LARGE_BATCH;
use crate::domain::sync::from_compose::{
    build_context, restart_dependents, selected_services, service_spec, unknown_services,
};
use crate::domain::sync::{
    Activity, BuildIgnore, FsChange, SyncPlan, WatchSet, compile, plan, plan_initial,
};
use crate::engine::sync::{SyncReport, SyncSession, apply, restart_service};
use crate::error::{CliResult, code, exit};
use crate::watch::{FileWatcher, WatchOptions, stat_change};

/// Arguments of `devbox watch`.
#[derive(Debug, Clone, clap::Args)]
pub struct WatchArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// Services to watch (their dependencies' rules are active too); default: every service
    /// with a `develop.watch` section.
    #[arg(value_name = "SERVICE")]
    pub services: Vec<String>,
    /// Do not run the rules' `initial_sync` at start.
    #[arg(long)]
    pub no_initial_sync: bool,
}

/// Why watching could not start.
#[derive(Debug, Error, Diagnostic)]
pub enum WatchCommandError {
    #[error("no such service: {}", names.join(", "))]
    #[diagnostic(help("services in this project: {}", known.join(", ")))]
    UnknownService {
        names: Vec<String>,
        known: Vec<String>,
    },
    #[error("cannot read {file}: {reason}")]
    #[diagnostic(help("check the file's permissions"))]
    IgnoreFile { file: String, reason: String },
}

pub async fn run(args: WatchArgs) -> CliResult {
    let loaded = load_project(&args.project)?;
    print_warnings(&loaded.warnings);
    watch_project(&loaded.project, &args).await
}

/// Watches an already loaded project in the foreground until Ctrl-C; `devbox up --watch` and
/// `up -d --watch` call this once the stack is up (or created, for the initial sync).
pub async fn watch_project(project: &Project, args: &WatchArgs) -> CliResult {
    let unknown = unknown_services(project, &args.services);
    if !unknown.is_empty() {
        let known = project
            .services
            .keys()
            .map(|n| n.as_str().to_string())
            .collect();
        return Err(WatchCommandError::UnknownService {
            names: unknown,
            known,
        }
        .into());
    }
    let mut specs = Vec::new();
    for service in selected_services(project, &args.services) {
        specs.push(service_spec(service, read_build_ignore(service)?));
    }
    let set = Arc::new(compile(&specs)?);
    let engine = crate::engine::client::connect().await?;
    let docker = engine.docker;
    let mut pending = SyncSession::default();
    let project_args = cli_project_args(&args.project, &project.name);
    if !args.no_initial_sync {
        let roots: Vec<FsChange> = set.rules.iter().map(|r| stat_change(&r.path)).collect();
        for p in plan_initial(&set, &roots) {
            run_plan(&project_args, &docker, project, &set, &p, &mut pending).await;
        }
    }
    let mut watcher = FileWatcher::start(Arc::clone(&set), WatchOptions::default())?;
    let stats = watcher.stats();
    log(&Activity::Watching {
        services: set.services(),
        watched_dirs: stats.watched_dirs + stats.polled_dirs,
        skipped_dirs: stats.skipped_dirs,
    });
    if let Some(limit) = &stats.limit {
        log(&Activity::Notice {
            message: limit.message(stats.polled_dirs),
        });
    }
    let mut overflowed = 0;
    loop {
        let batch = tokio::select! {
            batch = watcher.next_batch() => batch,
            _ = tokio::signal::ctrl_c() => break,
        };
        let Some(batch) = batch else { break };
        if batch.len() > LARGE_BATCH {
            log(&Activity::LargeBatch {
                changes: batch.len(),
            });
        }
        let now = watcher.stats().overflowed;
        if now > overflowed {
            log(&Activity::Notice {
                message: format!(
                    "{} changes arrived faster than they were handled; they were merged into this batch",
                    now - overflowed
                ),
            });
            overflowed = now;
        }
        for p in plan(&set, &batch) {
            run_plan(&project_args, &docker, project, &set, &p, &mut pending).await;
        }
    }
    Ok(code(exit::OK))
}

/// The service's build ignore file (`<Dockerfile>.dockerignore` or `.dockerignore`).
pub(crate) fn read_build_ignore(
    service: &Service,
) -> Result<Option<BuildIgnore>, WatchCommandError> {
    let Some((context, dockerfile)) = build_context(service) else {
        return Ok(None);
    };
    let Some(path) = crate::engine::context::ignore_file_for(Path::new(&context), &dockerfile)
    else {
        return Ok(None);
    };
    let file = path.display().to_string();
    let text = std::fs::read_to_string(&path).map_err(|e| WatchCommandError::IgnoreFile {
        file: file.clone(),
        reason: e.to_string(),
    })?;
    Ok(Some(BuildIgnore {
        context,
        file,
        text,
    }))
}

/// Runs one plan and logs what happened; a failure is logged and watching goes on.
async fn run_plan(
    project_args: &[String],
    docker: &bollard::Docker,
    project: &Project,
    set: &WatchSet,
    p: &SyncPlan,
    pending: &mut SyncSession,
) {
    if p.rebuild {
        log(&Activity::Rebuilding {
            service: p.service.clone(),
        });
        let started = std::time::Instant::now();
        if let Err(message) = rebuild(project_args, &p.service).await {
            log(&Activity::Failed {
                service: p.service.clone(),
                message,
            });
            return;
        }
        log(&Activity::Rebuilt {
            service: p.service.clone(),
            millis: started.elapsed().as_millis(),
        });
    }
    match apply(docker, &project.name, set, p, pending).await {
        Ok(report) => {
            for activity in activities(set, p, &report) {
                log(&activity);
            }
            if p.restart || p.rebuild {
                for dependent in restart_dependents(project, &p.service) {
                    match restart_service(docker, &project.name, &dependent).await {
                        Ok(0) => {}
                        Ok(containers) => log(&Activity::Restarted {
                            service: dependent,
                            containers,
                        }),
                        Err(err) => log(&Activity::Failed {
                            service: dependent,
                            message: err.to_string(),
                        }),
                    }
                }
            }
        }
        Err(err) => log(&Activity::Failed {
            service: p.service.clone(),
            message: err.to_string(),
        }),
    }
}

/// The activity lines for one applied plan.
fn activities(set: &WatchSet, p: &SyncPlan, report: &SyncReport) -> Vec<Activity> {
    let mut out = Vec::new();
    let files = p.copies.len();
    if files > 0 || report.deleted > 0 {
        out.push(Activity::Synced {
            service: p.service.clone(),
            files,
            deleted: report.deleted,
            containers: report.containers,
            millis: report.elapsed.as_millis(),
        });
    }
    out.extend(report.notices.iter().map(|message| Activity::Notice {
        message: message.clone(),
    }));
    if report.deferred > 0 {
        out.push(Activity::Deferred {
            service: p.service.clone(),
            paths: report.deferred,
        });
    }
    if report.restarted > 0 {
        out.push(Activity::Restarted {
            service: p.service.clone(),
            containers: report.restarted,
        });
    }
    for &index in &p.execs {
        if let Some(hook) = set.rules.get(index).and_then(|r| r.exec.as_ref()) {
            out.push(Activity::Executed {
                service: p.service.clone(),
                command: hook.command.join(" "),
            });
        }
    }
    out
}

/// The project options as `devbox` arguments, so a rebuild addresses the same project.
fn cli_project_args(args: &ProjectArgs, name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for file in &args.files {
        out.extend(["--file".to_string(), file.display().to_string()]);
    }
    out.extend(["--project-name".to_string(), name.to_string()]);
    for profile in &args.profiles {
        out.extend(["--profile".to_string(), profile.clone()]);
    }
    for env_file in &args.env_files {
        out.extend(["--env-file".to_string(), env_file.display().to_string()]);
    }
    if let Some(dir) = &args.project_directory {
        out.extend(["--project-directory".to_string(), dir.display().to_string()]);
    }
    out
}

/// Rebuilds the service's image and recreates its containers through `devbox up` itself
/// (the same code path as the user's), so a failed build leaves the old containers running.
async fn rebuild(project_args: &[String], service: &str) -> Result<(), String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find the devbox binary: {e}"))?;
    let output = tokio::process::Command::new(exe)
        .args(["up", "--detach", "--build", "--no-deps", "--force-recreate"])
        .args(project_args)
        .arg(service)
        .output()
        .await
        .map_err(|e| format!("running devbox up: {e}"))?;
    if output.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let tail: Vec<&str> = stderr.lines().rev().take(15).collect();
    Err(format!(
        "rebuild failed, the old containers keep running:\n{}",
        tail.into_iter().rev().collect::<Vec<_>>().join("\n")
    ))
}

fn log(activity: &Activity) {
    let failed = matches!(activity, Activity::Failed { .. });
    if failed {
        eprintln!("⦿ {activity}");
    } else {
        println!("⦿ {activity}");
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::domain::sync::{ExecHook, RuleSpec, ServiceWatchSpec};

    #[test]
    fn activity_lines_for_an_applied_plan() {
        let set = compile(&[ServiceWatchSpec {
            service: "web".into(),
            rules: vec![RuleSpec {
                path: "/p/src".into(),
                action: "sync+exec".into(),
                target: "/app".into(),
                exec: Some(ExecHook {
                    command: vec!["kill".into(), "-HUP".into(), "1".into()],
                    ..ExecHook::default()
                }),
                ..RuleSpec::default()
            }],
            ..ServiceWatchSpec::default()
        }])
        .unwrap();
        let p = plan(
            &set,
            &[
                FsChange::exists("/p/src/a.js", false),
                FsChange::removed("/p/src/b.js"),
            ],
        );
        let report = SyncReport {
            service: "web".into(),
            containers: 2,
            entries: 1,
            deleted: 1,
            deferred: 1,
            restarted: 0,
            execs: 1,
            received: 2,
            elapsed: Duration::from_millis(41),
            notices: vec!["web-1: syncing through the engine's archive API".into()],
        };
        let lines: Vec<String> = activities(&set, &p[0], &report)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            lines,
            [
                "synced 1 file, deleted 1 path → web (2 containers) (41 ms)",
                "web-1: syncing through the engine's archive API",
                "web is not running: 1 path will be deleted when it starts",
                "ran `kill -HUP 1` in web",
            ]
        );
    }

    #[test]
    fn rebuild_addresses_the_same_project() {
        let args = ProjectArgs {
            files: vec!["a.yaml".into(), "b.yaml".into()],
            profiles: vec!["dev".into()],
            ..ProjectArgs::default()
        };
        assert_eq!(
            cli_project_args(&args, "shop"),
            [
                "--file",
                "a.yaml",
                "--file",
                "b.yaml",
                "--project-name",
                "shop",
                "--profile",
                "dev"
            ]
        );
    }
}
