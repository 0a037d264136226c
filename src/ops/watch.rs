//! The watch loop as a library call: compiles the services' `develop.watch` rules, runs the
//! initial syncs, then turns file changes into sync plans and applies them (receiver or archive
//! upload, restarts, `sync+exec` hooks, and rebuilds through `ops::stack::rebuild`), reporting
//! each step as an `Activity`. It runs until its future is dropped: Ctrl-C for the CLI, the
//! task's abort for the dashboard.

use std::path::Path;
use std::sync::Arc;

use bollard::Docker;
use futures_util::StreamExt;
use miette::Diagnostic;
use thiserror::Error;

use super::Sink;
use super::watch_session::Session;
use crate::domain::compose::{Project, Service};
use crate::domain::stack::EventAction;
use crate::domain::sync::activity::LARGE_BATCH;
use crate::domain::sync::from_compose::{
    build_context, selected_services, service_spec, unknown_services,
};
use crate::domain::sync::{Activity, BuildIgnore, FsChange, WatchSet, compile, plan, plan_initial};
use crate::watch::{FileWatcher, WatchOptions, stat_change};

/// Why watching could not start.
#[derive(Debug, Error, Diagnostic)]
pub enum WatchStartError {
    #[error("no such service: {}", names.join(", "))]
    #[diagnostic(help("services in this project: {}", known.join(", ")))]
    UnknownService {
        names: Vec<String>,
        known: Vec<String>,
    },
    #[error("cannot read {file}: {reason}")]
    #[diagnostic(help("check the file's permissions"))]
    IgnoreFile { file: String, reason: String },
    #[error(transparent)]
    #[diagnostic(transparent)]
    Rules(#[from] crate::domain::sync::RuleError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Watcher(#[from] crate::watch::WatchError),
}

/// What to watch.
#[derive(Debug, Clone, Default)]
pub struct WatchRequest {
    /// Services whose rules apply (their dependencies' too); empty: every service with rules.
    pub services: Vec<String>,
    /// Run the rules' `initial_sync` first.
    pub initial_sync: bool,
}

/// The compiled rules of a watch that can start.
pub struct Prepared {
    set: Arc<WatchSet>,
    initial_sync: bool,
}

/// Checks and compiles the rules (unknown services, missing targets, syncs over bind mounts,
/// bad ignore patterns) before anything touches the engine.
pub fn prepare(project: &Project, request: &WatchRequest) -> Result<Prepared, WatchStartError> {
    let unknown = unknown_services(project, &request.services);
    if !unknown.is_empty() {
        let known = project
            .services
            .keys()
            .map(|n| n.as_str().to_string())
            .collect();
        return Err(WatchStartError::UnknownService {
            names: unknown,
            known,
        });
    }
    let mut specs = Vec::new();
    for service in selected_services(project, &request.services) {
        specs.push(service_spec(service, read_build_ignore(service)?));
    }
    Ok(Prepared {
        set: Arc::new(compile(&specs)?),
        initial_sync: request.initial_sync,
    })
}

/// Watches until the returned future is dropped; returns early only when the watcher cannot
/// start, or when its thread is gone.
pub async fn watch(
    docker: &Docker,
    project: &Project,
    prepared: Prepared,
    sink: Arc<dyn Sink>,
) -> Result<(), WatchStartError> {
    let set = prepared.set;
    let mut loop_ = Session::new(docker, project, Arc::clone(&set), sink);
    // Subscribed before anything is kept, so that no start is missed.
    let mut starts = Some(Box::pin(crate::engine::observe::feed::events(
        docker,
        &project.name,
    )));
    if prepared.initial_sync {
        let roots: Vec<FsChange> = set.rules.iter().map(|r| stat_change(&r.path)).collect();
        for p in plan_initial(&set, &roots) {
            loop_.run_plan(&p).await;
        }
    }
    let mut watcher = FileWatcher::start(Arc::clone(&set), WatchOptions::default())?;
    let stats = watcher.stats();
    loop_.tell(Activity::Watching {
        services: set.services(),
        watched_dirs: stats.watched_dirs + stats.polled_dirs,
        skipped_dirs: stats.skipped_dirs,
    });
    if let Some(limit) = &stats.limit {
        loop_.tell(Activity::Notice {
            message: limit.message(stats.polled_dirs),
        });
    }
    let (mut overflowed, mut non_utf8) = (0, 0);
    loop_.non_utf8_notice(&stats, &mut non_utf8);
    let notices = watcher.notices();
    loop {
        let batch = tokio::select! {
            batch = watcher.next_batch() => batch,
            () = notices.notified() => {
                loop_.non_utf8_notice(&watcher.stats(), &mut non_utf8);
                continue;
            }
            event = next_event(&mut starts) => {
                match event {
                    Some(Ok(e)) if e.action == EventAction::Start => loop_.resume(&e.service).await,
                    Some(Ok(_)) => {}
                    Some(Err(err)) => {
                        starts = None;
                        loop_.tell(Activity::Notice {
                            message: format!(
                                "the engine's event stream ended ({}): changes kept for stopped services are applied with the next change",
                                err.0
                            ),
                        });
                    }
                    None => starts = None,
                }
                continue;
            }
        };
        let Some(batch) = batch else { break };
        if batch.len() > LARGE_BATCH {
            loop_.tell(Activity::LargeBatch {
                changes: batch.len(),
            });
        }
        let now = watcher.stats().overflowed;
        if now > overflowed {
            loop_.tell(Activity::Notice {
                message: format!(
                    "{} changes arrived faster than they were handled; they were merged into this batch",
                    now - overflowed
                ),
            });
            overflowed = now;
        }
        for p in plan(&set, &batch) {
            loop_.run_plan(&p).await;
        }
    }
    Ok(())
}

/// The next engine event, or never once the stream is gone.
async fn next_event<S>(stream: &mut Option<S>) -> Option<S::Item>
where
    S: futures_util::Stream + Unpin,
{
    match stream {
        Some(s) => s.next().await,
        None => std::future::pending().await,
    }
}

/// The service's build ignore file (`<Dockerfile>.dockerignore` or `.dockerignore`).
pub fn read_build_ignore(service: &Service) -> Result<Option<BuildIgnore>, WatchStartError> {
    let Some((context, dockerfile)) = build_context(service) else {
        return Ok(None);
    };
    let Some(path) =
        crate::engine::image::build_context::ignore_file_for(Path::new(&context), &dockerfile)
    else {
        return Ok(None);
    };
    let file = path.display().to_string();
    let text = std::fs::read_to_string(&path).map_err(|e| WatchStartError::IgnoreFile {
        file: file.clone(),
        reason: e.to_string(),
    })?;
    Ok(Some(BuildIgnore {
        context,
        file,
        text,
    }))
}
