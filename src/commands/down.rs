//! `devbox down`: stop and remove the project's containers and networks (with `-v` its
//! volumes, with `--rmi` its images). Works without a compose file given `-p`, from labels.

use std::process::ExitCode;
use std::sync::Arc;

use crate::commands::project::{ProjectArgs, load_project, print_warnings};
use crate::commands::up::CliReporter;
use crate::domain::compose::Project;
use crate::engine::connect::client::connect;
use crate::engine::stack::down::{DownOptions, RemoveImages, down};
use crate::error::CliResult;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Rmi {
    Local,
    All,
}

#[derive(Debug, clap::Args)]
pub struct DownArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// Remove named volumes declared in the compose file and anonymous volumes of containers.
    #[arg(short = 'v', long)]
    pub volumes: bool,
    /// Remove images used by services: `local` only the ones built for the project.
    #[arg(long, value_enum, value_name = "TYPE")]
    pub rmi: Option<Rmi>,
    /// Remove containers for services not defined in the compose file.
    #[arg(long = "remove-orphans")]
    pub remove_orphans: bool,
    /// Seconds to wait before killing a container (default: its stop_grace_period).
    #[arg(short = 't', long, value_name = "SECONDS")]
    pub timeout: Option<i32>,
    /// Only these services (and the ones depending on them); networks are kept.
    pub services: Vec<String>,
}

/// The project for commands that also work from labels alone: the loaded model, or only the
/// name when `-p` is given and no compose file can be loaded.
pub fn project_or_name(args: &ProjectArgs) -> Result<(String, Option<Project>), miette::Report> {
    match load_project(args) {
        Ok(loaded) => {
            print_warnings(&loaded.warnings);
            Ok((loaded.project.name.clone(), Some(loaded.project)))
        }
        Err(err) => match &args.project_name {
            Some(name) => Ok((name.to_ascii_lowercase(), None)),
            None => Err(err),
        },
    }
}

pub async fn run(args: DownArgs) -> CliResult {
    let (name, project) = project_or_name(&args.project)?;
    let engine = connect().await?;
    let options = DownOptions {
        volumes: args.volumes,
        remove_images: args.rmi.map(|r| match r {
            Rmi::Local => RemoveImages::Local,
            Rmi::All => RemoveImages::All,
        }),
        remove_orphans: args.remove_orphans,
        timeout: args.timeout,
        services: args.services.clone(),
    };
    let reporter = Arc::new(CliReporter::new());
    let result = down(
        &engine.docker,
        &name,
        project.as_ref(),
        &options,
        reporter.as_ref(),
    )
    .await;
    reporter.finish();
    result.map_err(miette::Report::new)?;
    Ok(ExitCode::SUCCESS)
}
