//! `devbox start|stop|restart|kill|rm [SERVICE...]`: Docker Compose's verbs for a project's
//! existing containers, on the engine code the dashboard's keys use (`engine::lifecycle`).
//! They work from labels alone given `-p`, as Compose's do.

use std::io::IsTerminal;
use std::process::ExitCode;

use crate::commands::down::project_or_name;
use crate::commands::project::ProjectArgs;
use crate::commands::up::CliReporter;
use crate::domain::compose::Project;
use crate::engine::connect::client::connect;
use crate::engine::stack::lifecycle::{Action, apply};
use crate::engine::stack::state::{Observed, project_containers};
use crate::error::CliResult;

/// `devbox start`.
#[derive(Debug, clap::Args)]
pub struct StartArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    pub services: Vec<String>,
}

/// `devbox stop` and `devbox restart`.
#[derive(Debug, clap::Args)]
pub struct StopArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// Seconds to wait for a container to stop before killing it (default: its own
    /// stop_grace_period).
    #[arg(short = 't', long, value_name = "SECONDS")]
    pub timeout: Option<i32>,
    pub services: Vec<String>,
}

/// `devbox kill`.
#[derive(Debug, clap::Args)]
pub struct KillArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// The signal to send.
    #[arg(short = 's', long, default_value = "SIGKILL")]
    pub signal: String,
    pub services: Vec<String>,
}

/// `devbox rm`. `-f` is Compose's `--force` here, as scripts type it; the compose file is
/// `--file`.
#[derive(Debug, clap::Args)]
#[command(mut_arg("files", |a| a.short(None)))]
pub struct RmArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// Do not ask for confirmation.
    #[arg(short = 'f', long)]
    pub force: bool,
    /// Stop the containers first (else running ones are left alone).
    #[arg(short = 's', long)]
    pub stop: bool,
    /// Remove the containers' anonymous volumes too.
    #[arg(short = 'v', long)]
    pub volumes: bool,
    pub services: Vec<String>,
}

pub async fn start(args: StartArgs) -> CliResult {
    let selected = select(&args.project, &args.services).await?;
    if selected.containers.is_empty() {
        return Err(miette::miette!(
            help = "create them with `devbox up` (or `devbox up --no-start`)",
            "{} has no container to start",
            selected.what()
        ));
    }
    run(&selected, &Action::Start, None).await
}

pub async fn stop(args: StopArgs) -> CliResult {
    let selected = select(&args.project, &args.services).await?;
    run(&selected, &Action::Stop, args.timeout).await
}

pub async fn restart(args: StopArgs) -> CliResult {
    let selected = select(&args.project, &args.services).await?;
    run(&selected, &Action::Restart, args.timeout).await
}

pub async fn kill(args: KillArgs) -> CliResult {
    let selected = select(&args.project, &args.services).await?;
    if !selected.containers.iter().any(Observed::is_running) {
        crate::errln!("no container to kill");
        return Ok(ExitCode::SUCCESS);
    }
    let action = Action::Kill {
        signal: args.signal.clone(),
    };
    run(&selected, &action, None).await
}

pub async fn rm(args: RmArgs) -> CliResult {
    let mut selected = select(&args.project, &args.services).await?;
    if !args.stop {
        selected.containers.retain(|c| !c.is_running());
    }
    if selected.containers.is_empty() {
        crate::errln!("No stopped containers");
        return Ok(ExitCode::SUCCESS);
    }
    if !args.force {
        let names: Vec<&str> = selected
            .containers
            .iter()
            .map(|c| c.name.as_str())
            .collect();
        if !confirm(&format!("Going to remove {}", names.join(", ")))? {
            return Ok(ExitCode::SUCCESS);
        }
    }
    let action = Action::Remove {
        volumes: args.volumes,
        stop_first: args.stop,
    };
    run(&selected, &action, None).await
}

/// The containers a verb applies to.
struct Selected {
    docker: bollard::Docker,
    project: String,
    /// The compose model when a file could be loaded (for the services' hooks).
    model: Option<Project>,
    services: Vec<String>,
    containers: Vec<Observed>,
}

impl Selected {
    fn what(&self) -> String {
        match self.services.as_slice() {
            [] => format!("project \"{}\"", self.project),
            [one] => format!("service \"{one}\""),
            many => format!("services {}", many.join(", ")),
        }
    }
}

/// The project's service containers (not one-offs), of `services` when given; a service the
/// compose file does not define is an error naming the ones it does.
async fn select(args: &ProjectArgs, services: &[String]) -> Result<Selected, miette::Report> {
    let (name, project) = project_or_name(args)?;
    if let Some(project) = &project {
        check_services(project, services)?;
    }
    let engine = connect().await?;
    let containers = project_containers(&engine.docker, &name)
        .await?
        .into_iter()
        .filter(|c| !c.oneoff && (services.is_empty() || services.contains(&c.service)))
        .collect();
    Ok(Selected {
        docker: engine.docker,
        project: name,
        model: project,
        services: services.to_vec(),
        containers,
    })
}

pub fn check_services(project: &Project, services: &[String]) -> Result<(), miette::Report> {
    let unknown: Vec<&str> = services
        .iter()
        .filter(|s| {
            !project.services.contains_key(s.as_str())
                && !project.disabled_services.contains_key(s.as_str())
        })
        .map(String::as_str)
        .collect();
    if unknown.is_empty() {
        return Ok(());
    }
    let known: Vec<&str> = project.services.keys().map(|k| k.as_str()).collect();
    Err(miette::miette!(
        help = format!("services in this project: {}", known.join(", ")),
        "no such service: {}",
        unknown.join(", ")
    ))
}

async fn run(selected: &Selected, action: &Action, timeout: Option<i32>) -> CliResult {
    let reporter = CliReporter::new();
    let result = apply(
        &selected.docker,
        action,
        &selected.containers,
        selected.model.as_ref(),
        timeout,
        &reporter,
    )
    .await;
    reporter.finish();
    result?;
    Ok(ExitCode::SUCCESS)
}

/// Asks on the terminal; without one, says how to go on instead of waiting on a pipe.
fn confirm(question: &str) -> Result<bool, miette::Report> {
    if !std::io::stdin().is_terminal() {
        return Err(miette::miette!(
            help = "pass -f to remove without asking",
            "{question}: no terminal to ask for confirmation"
        ));
    }
    crate::errln!("{question}");
    crate::errln!("? Are you sure? [yN] ");
    let mut answer = String::new();
    std::io::stdin()
        .read_line(&mut answer)
        .map_err(|e| miette::miette!("reading the answer from the terminal: {e}"))?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes"))
}
