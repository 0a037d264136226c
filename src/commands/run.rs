//! `devbox run SERVICE [COMMAND...]`: a one-off container of a service (migrations, a shell,
//! a test run), named and labelled as Compose names one-offs, with its dependencies started
//! first (unless `--no-deps`), the service's ports only with `--service-ports`, removed after
//! with `--rm`; its exit status is devbox's.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::Arc;

use bollard::query_parameters::{AttachContainerOptions, WaitContainerOptions};
use futures_util::StreamExt;

use super::attach::{Streams, Tty, pump};
use super::exec::exit_status;
use super::lifecycle::check_services;
use crate::commands::project::{ProjectArgs, load_project, print_warnings};
use crate::commands::up::CliReporter;
use crate::engine::connect::client::connect;
use crate::engine::error::StackError;
use crate::engine::image::build::detect_builder;
use crate::engine::image::images::{BuildPolicy, ensure_image};
use crate::engine::stack::create::{remove, start};
use crate::engine::stack::oneoff::{RunOverrides, create};
use crate::engine::stack::resources::{ensure_networks, ensure_volumes};
use crate::engine::stack::up::{UpOptions, up};
use crate::error::CliResult;

#[derive(Debug, clap::Args)]
#[command(trailing_var_arg = true)]
pub struct RunArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// Run in the background and print the container's id (as Compose does).
    #[arg(short = 'd', long)]
    pub detach: bool,
    /// Remove the container when it exits.
    #[arg(long)]
    pub rm: bool,
    /// Do not start the service's dependencies.
    #[arg(long)]
    pub no_deps: bool,
    /// Publish the service's ports (default: none, so a one-off never takes the service's).
    #[arg(long)]
    pub service_ports: bool,
    /// Override the image's entrypoint.
    #[arg(long)]
    pub entrypoint: Option<String>,
    /// Environment variables (`KEY=VALUE`, or `KEY` to pass this environment's value).
    #[arg(short = 'e', long = "env", value_name = "KEY=VALUE")]
    pub env: Vec<String>,
    /// Run as this user.
    #[arg(short = 'u', long)]
    pub user: Option<String>,
    /// Working directory inside the container.
    #[arg(short = 'w', long)]
    pub workdir: Option<String>,
    /// Do not allocate a TTY (default: one when stdin and stdout are terminals).
    #[arg(short = 'T', long = "no-TTY")]
    pub no_tty: bool,
    /// Container name (default: `<project>-<service>-run-<id>`).
    #[arg(long)]
    pub name: Option<String>,
    /// Build the image first.
    #[arg(long)]
    pub build: bool,
    pub service: String,
    #[arg(num_args = 0.., allow_hyphen_values = true)]
    pub command: Vec<String>,
}

pub async fn run(args: RunArgs) -> CliResult {
    let loaded = load_project(&args.project)?;
    print_warnings(&loaded.warnings);
    let project = loaded.project;
    check_services(&project, std::slice::from_ref(&args.service))?;
    let Some(service) = project.services.get(args.service.as_str()) else {
        return Err(miette::miette!(
            help = format!(
                "enable its profile: `devbox --profile <profile> run {}`",
                args.service
            ),
            "service \"{}\" is disabled by its profiles",
            args.service
        ));
    };
    let engine = connect().await?;
    let docker = &engine.docker;
    let reporter = Arc::new(CliReporter::new());
    let deps: Vec<String> = service.depends_on.keys().map(|k| k.to_string()).collect();
    if !args.no_deps && !deps.is_empty() {
        let options = UpOptions {
            services: deps,
            ..UpOptions::default()
        };
        up(docker, &project, &options, reporter.clone()).await?;
    }
    let policy = if args.build {
        BuildPolicy::Always
    } else {
        BuildPolicy::IfMissing
    };
    let builder = detect_builder(docker).await;
    let image = ensure_image(
        docker,
        &project,
        service,
        policy,
        builder,
        reporter.as_ref(),
    )
    .await?;
    ensure_networks(docker, &project, reporter.as_ref()).await?;
    ensure_volumes(docker, &project, reporter.as_ref()).await?;
    reporter.finish();

    let tty = !args.no_tty
        && !args.detach
        && std::io::stdin().is_terminal()
        && std::io::stdout().is_terminal();
    let entrypoint = match &args.entrypoint {
        Some(text) => Some(split_words(text)?),
        None => None,
    };
    let overrides = RunOverrides {
        command: args.command.clone(),
        entrypoint,
        env: args.env.clone(),
        user: args.user.clone(),
        workdir: args.workdir.clone(),
        service_ports: args.service_ports,
        tty,
        stdin: !args.detach,
        name: args.name.clone(),
    };
    let (id, name) = create(docker, &project, service, &image, &overrides).await?;
    if args.detach {
        start(docker, &id, &name, &args.service).await?;
        crate::outln!("{id}")?;
        return Ok(ExitCode::SUCCESS);
    }
    let attach = AttachContainerOptions {
        stream: true,
        stdin: true,
        stdout: true,
        stderr: true,
        logs: true,
        detach_keys: None,
    };
    let attached = docker
        .attach_container(&id, Some(attach))
        .await
        .map_err(|e| StackError::engine(format!("attaching to {name}"), e))?;
    // The exit status is asked for before the start, so a fast exit cannot be missed.
    let mut waiting = docker.wait_container(&id, None::<WaitContainerOptions>);
    start(docker, &id, &name, &args.service).await?;
    let streams = Streams {
        output: attached.output,
        input: attached.input,
    };
    let tty_of = if tty { Tty::Container(&id) } else { Tty::None };
    let pumped = pump(docker, streams, true, tty_of, &name).await;
    let code = match waiting.next().await {
        Some(Ok(exit)) => exit.status_code,
        // The engine reports a non-zero exit as an error carrying the code.
        Some(Err(bollard::errors::Error::DockerContainerWaitError { code, .. })) => code,
        Some(Err(e)) => return Err(StackError::engine(format!("waiting for {name}"), e).into()),
        None => 0,
    };
    if args.rm {
        remove(docker, &id, &name, true).await?;
    }
    pumped?;
    Ok(exit_status(code))
}

/// `--entrypoint "sh -c"` as words, quotes honoured as a shell would.
fn split_words(text: &str) -> Result<Vec<String>, miette::Report> {
    crate::domain::compose::decode::parts::shell_split(text).ok_or_else(|| {
        miette::miette!(
            help = "close the quote: --entrypoint \"sh -c\"",
            "--entrypoint {text:?} has an unclosed quote"
        )
    })
}
