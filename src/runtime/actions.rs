//! User actions run as tasks: saving logs, and the stack operations (up, down, rebuild,
//! recreate, start/stop/restart, the watch loop) as `ops` library calls. Each loads the
//! compose project as it is on disk now, as the CLI would, and forwards the operation's typed
//! events as messages (`Msg::Progress`, `Msg::WatchActivity`) and its outcome as
//! `Msg::ActionDone`.

use crate::domain::stack::projects::ProjectRef;
use std::future::Future;
use std::sync::Arc;

use bollard::Docker;
use tokio::sync::mpsc;

use super::Incoming;
use crate::app::{ContainerOp, Msg, Operation, ServiceOp};
use crate::domain::compose::Project;
use crate::engine::stack::down::DownOptions;
use crate::engine::stack::lifecycle::Action;
use crate::engine::stack::up::UpOptions;
use crate::ops::watch::WatchRequest;
use crate::ops::{self, Event, Sink};

async fn done(tx: &mpsc::Sender<Incoming>, op: Operation, outcome: Result<(), String>) {
    let _ = tx
        .send(Incoming::Msg(Msg::ActionDone { op, outcome }))
        .await;
}

/// Writes the saved logs atomically in the current folder.
pub async fn save(tx: mpsc::Sender<Incoming>, path: String, text: String) {
    let target = std::path::PathBuf::from(&path);
    let written =
        tokio::task::spawn_blocking(move || crate::fsio::write::write_atomic(&target, &text)).await;
    let outcome = match written {
        Ok(Ok(())) => Ok(()),
        Ok(Err(err)) => Err(err.to_string()),
        Err(err) => Err(err.to_string()),
    };
    done(&tx, Operation::SaveLogs { path }, outcome).await;
}

pub async fn container(
    tx: mpsc::Sender<Incoming>,
    docker: Docker,
    target: Option<ProjectRef>,
    op: ContainerOp,
    service: String,
    ids: Vec<String>,
) {
    let action = match op {
        ContainerOp::Start => Action::Start,
        ContainerOp::Stop => Action::Stop,
        ContainerOp::Restart => Action::Restart,
    };
    // The compose file gives the services' hooks; without one the keys still work.
    let project = load(target).await.ok();
    let outcome = forwarding(&tx, |sink| async move {
        ops::stack::containers(&docker, project.as_ref(), &ids, &action, sink)
            .await
            .map(drop)
            .map_err(|e| with_help(&e))
    })
    .await;
    done(&tx, Operation::Container { op, service }, outcome).await;
}

/// The compose project of the current folder as it is on disk now; its error keeps the help.
async fn load(target: Option<ProjectRef>) -> Result<Project, String> {
    let loaded = tokio::task::spawn_blocking(move || {
        crate::fsio::compose::ProjectRequest::for_target(target.as_ref())
            .and_then(|req| crate::fsio::compose::load_project(&req))
    })
    .await
    .map_err(|e| e.to_string())?;
    loaded.map(|l| l.project).map_err(|err| {
        let help = miette::Diagnostic::help(&err)
            .map(|h| format!(" ({h})"))
            .unwrap_or_default();
        format!("{err}{help}")
    })
}

/// Runs `op` with a sink whose events become messages, in order, while it runs.
async fn forwarding<T, F: Future<Output = T>>(
    tx: &mpsc::Sender<Incoming>,
    op: impl FnOnce(Arc<dyn Sink>) -> F,
) -> T {
    let (events_tx, mut events) = mpsc::unbounded_channel::<Event>();
    let sink: Arc<dyn Sink> = Arc::new(move |event: Event| {
        let _ = events_tx.send(event);
    });
    let work = op(sink);
    tokio::pin!(work);
    loop {
        tokio::select! {
            biased;
            Some(event) = events.recv() => forward(tx, event).await,
            out = &mut work => {
                while let Ok(event) = events.try_recv() {
                    forward(tx, event).await;
                }
                return out;
            }
        }
    }
}

async fn forward(tx: &mpsc::Sender<Incoming>, event: Event) {
    let msg = match event {
        Event::Progress(progress) => Msg::Progress(progress),
        Event::Watch(activity) => Msg::WatchActivity(activity),
    };
    let _ = tx.send(Incoming::Msg(msg)).await;
}

/// `up` or `down` of the whole stack.
pub async fn stack(
    tx: mpsc::Sender<Incoming>,
    docker: Docker,
    target: Option<ProjectRef>,
    op: Operation,
) {
    let outcome = match load(target).await {
        Ok(project) => {
            let down = op == Operation::Down;
            forwarding(&tx, |sink| async move {
                if down {
                    let options = DownOptions::default();
                    let result = ops::stack::down(&docker, &project, &options, sink).await;
                    result.map(drop).map_err(|e| with_help(&e))
                } else {
                    let options = UpOptions::default();
                    let result = ops::stack::up(&docker, &project, &options, sink).await;
                    result.map(drop).map_err(|e| with_help(&e))
                }
            })
            .await
        }
        Err(err) => Err(err),
    };
    done(&tx, op, outcome).await;
}

pub async fn service(
    tx: mpsc::Sender<Incoming>,
    docker: Docker,
    target: Option<ProjectRef>,
    op: ServiceOp,
    service: String,
) {
    let outcome = match load(target).await {
        Ok(project) => {
            let name = service.clone();
            forwarding(&tx, |sink| async move {
                let result = match op {
                    ServiceOp::Rebuild => ops::stack::rebuild(&docker, &project, &name, sink).await,
                    ServiceOp::Recreate => {
                        ops::stack::recreate(&docker, &project, &name, sink).await
                    }
                };
                result.map(drop).map_err(|e| with_help(&e))
            })
            .await
        }
        Err(err) => Err(err),
    };
    done(&tx, Operation::Service { op, service }, outcome).await;
}

/// Runs the watch loop until the task is aborted (watch turned off, or the app quits).
pub async fn watch(tx: mpsc::Sender<Incoming>, docker: Docker, target: Option<ProjectRef>) {
    let outcome = match load(target).await {
        Ok(project) => {
            let request = WatchRequest {
                services: Vec::new(),
                initial_sync: true,
            };
            match ops::watch::prepare(&project, &request) {
                Ok(prepared) => {
                    forwarding(&tx, |sink| async move {
                        ops::watch::watch(&docker, &project, prepared, sink)
                            .await
                            .map_err(|e| with_help(&e))
                    })
                    .await
                }
                Err(e) => Err(with_help(&e)),
            }
        }
        Err(err) => Err(err),
    };
    done(&tx, Operation::Watch, outcome).await;
}

/// An error's message and, after a dash, what to do (its help).
fn with_help(err: &dyn miette::Diagnostic) -> String {
    match err.help() {
        Some(help) => format!("{err} — {help}"),
        None => err.to_string(),
    }
}
