//! `devbox exec SERVICE COMMAND...`: a command in a running service container, with Compose's
//! flags (`-T`, `-u`, `-w`, `-e`, `--index`, `-d`, `--privileged`); its exit status is
//! devbox's.

use std::io::IsTerminal;
use std::process::ExitCode;

use bollard::exec::{CreateExecOptions, StartExecOptions, StartExecResults};

use super::attach::{Streams, Tty, pump};
use crate::commands::down::project_or_name;
use crate::commands::project::ProjectArgs;
use crate::engine::connect::client::connect;
use crate::engine::error::StackError;
use crate::engine::stack::state::project_containers;
use crate::error::CliResult;

#[derive(Debug, clap::Args)]
#[command(trailing_var_arg = true)]
pub struct ExecArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// Run the command in the background.
    #[arg(short = 'd', long)]
    pub detach: bool,
    /// Do not allocate a TTY (default: one when stdin and stdout are terminals).
    #[arg(short = 'T', long = "no-TTY")]
    pub no_tty: bool,
    /// Run as this user (`name`, `uid` or `uid:gid`).
    #[arg(short = 'u', long)]
    pub user: Option<String>,
    /// Working directory inside the container.
    #[arg(short = 'w', long)]
    pub workdir: Option<String>,
    /// Environment variables (`KEY=VALUE`, repeatable).
    #[arg(short = 'e', long = "env", value_name = "KEY=VALUE")]
    pub env: Vec<String>,
    /// Give extended privileges to the process.
    #[arg(long)]
    pub privileged: bool,
    /// Which replica, when the service is scaled.
    #[arg(long, default_value_t = 1)]
    pub index: u32,
    pub service: String,
    #[arg(required = true, num_args = 1.., allow_hyphen_values = true)]
    pub command: Vec<String>,
}

pub async fn run(args: ExecArgs) -> CliResult {
    let (name, _) = project_or_name(&args.project)?;
    let engine = connect().await?;
    let docker = &engine.docker;
    let containers = project_containers(docker, &name).await?;
    let Some(c) = containers
        .iter()
        .find(|c| c.service == args.service && c.number == args.index && !c.oneoff)
    else {
        return Err(miette::miette!(
            help = "start it with `devbox up`; check the names with `devbox ps -a`",
            "service \"{}\" has no container number {} in project \"{name}\"",
            args.service,
            args.index
        ));
    };
    if !c.is_running() {
        return Err(miette::miette!(
            help = format!("start it with `devbox start {}`", args.service),
            "service \"{}\" is not running (container {} is {})",
            args.service,
            c.name,
            c.state
        ));
    }
    let tty = !args.no_tty
        && !args.detach
        && std::io::stdin().is_terminal()
        && std::io::stdout().is_terminal();
    let options = CreateExecOptions {
        cmd: Some(args.command.clone()),
        user: args.user.clone(),
        working_dir: args.workdir.clone(),
        env: (!args.env.is_empty()).then(|| args.env.clone()),
        privileged: Some(args.privileged),
        tty: Some(tty),
        attach_stdin: Some(!args.detach),
        attach_stdout: Some(!args.detach),
        attach_stderr: Some(!args.detach),
        ..CreateExecOptions::default()
    };
    let what = format!("`{}` in {}", args.command.join(" "), c.name);
    let exec = docker
        .create_exec(&c.id, options)
        .await
        .map_err(|e| StackError::engine(format!("creating exec {what}"), e))?;
    let start = StartExecOptions {
        detach: args.detach,
        tty,
        output_capacity: None,
    };
    let started = docker
        .start_exec(&exec.id, Some(start))
        .await
        .map_err(|e| StackError::engine(format!("starting {what}"), e))?;
    if let StartExecResults::Attached { output, input } = started {
        let tty_of = if tty { Tty::Exec(&exec.id) } else { Tty::None };
        pump(docker, Streams { output, input }, true, tty_of, &what).await?;
    } else {
        return Ok(ExitCode::SUCCESS);
    }
    let inspect = docker
        .inspect_exec(&exec.id)
        .await
        .map_err(|e| StackError::engine(format!("reading the exit status of {what}"), e))?;
    Ok(exit_status(inspect.exit_code.unwrap_or(0)))
}

/// A container's exit status as this process's (statuses above 255 wrap as a shell's do).
pub fn exit_status(code: i64) -> ExitCode {
    ExitCode::from(u8::try_from(code.rem_euclid(256)).unwrap_or(1))
}
