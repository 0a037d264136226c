//! `devbox watch [SERVICE...]`: runs `ops::watch` in the foreground and prints one activity
//! line per step (`synced 1 file (src/a.js) → web (41 ms)`), until Ctrl-C.

use std::sync::Arc;

use super::out::OutputError;
use super::project::{ProjectArgs, load_project, print_warnings};
use crate::domain::compose::Project;
use crate::engine::progress::Progress;
use crate::error::CliResult;
use crate::ops::watch::{WatchRequest, prepare, watch};
use crate::ops::{Activity, Event};

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

pub async fn run(args: WatchArgs) -> CliResult {
    let loaded = load_project(&args.project)?;
    print_warnings(&loaded.warnings);
    watch_project(&loaded.project, &args).await
}

/// Watches an already loaded project in the foreground until Ctrl-C; `devbox up --watch` and
/// `up -d --watch` call this once the stack is up (or created, for the initial sync).
pub async fn watch_project(project: &Project, args: &WatchArgs) -> CliResult {
    let request = WatchRequest {
        services: args.services.clone(),
        initial_sync: !args.no_initial_sync,
    };
    // The rules' mistakes are reported before the engine is asked anything.
    let prepared = prepare(project, &request)?;
    let engine = crate::engine::connect::client::connect().await?;
    // A reader of stdout that went away (`devbox watch | head`) ends the watch.
    let closed = Arc::new(tokio::sync::Notify::new());
    let sink = {
        let closed = closed.clone();
        Arc::new(move |event: Event| {
            if let Err(OutputError::Closed) = print(event) {
                closed.notify_one();
            }
        })
    };
    tokio::select! {
        result = watch(&engine.docker, project, prepared, sink) => result?,
        _ = closed.notified() => return Err(OutputError::Closed.into()),
        _ = tokio::signal::ctrl_c() => {}
    }
    Ok(std::process::ExitCode::SUCCESS)
}

/// One line per activity (failures on stderr). Of a rebuild's progress only the warnings: a
/// failed build comes back as a `Failed` activity carrying the build's own error.
fn print(event: Event) -> Result<(), OutputError> {
    match event {
        Event::Watch(activity) => log(&activity),
        Event::Progress(Progress::Warning(text)) => {
            crate::errln!("⦿ WARN {text}");
            Ok(())
        }
        Event::Progress(_) => Ok(()),
    }
}

fn log(activity: &Activity) -> Result<(), OutputError> {
    if activity.failed() {
        crate::errln!("⦿ {activity}");
        Ok(())
    } else {
        crate::outln!("⦿ {activity}")
    }
}
