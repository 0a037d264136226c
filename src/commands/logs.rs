//! `devbox logs`: the project's container logs, several services merged, each line prefixed
//! with its container in the service's colour; `-f`, `--tail`, `--since`, `-t`.

use std::io::IsTerminal;
use std::process::ExitCode;

use futures_util::StreamExt;

use crate::commands::down::project_or_name;
use crate::commands::project::ProjectArgs;
use crate::commands::up::LinePrinter;
use crate::engine::connect::client::connect;
use crate::engine::observe::logs::{LogEvent, LogOptions, LogSource, merged_logs, parse_since};
use crate::engine::stack::state::project_containers;
use crate::error::CliResult;

#[derive(Debug, clap::Args)]
pub struct LogsArgs {
    /// Compose configuration files (repeatable). `-f` means --follow here, as in Compose.
    #[arg(long = "file", value_name = "FILE")]
    pub files: Vec<std::path::PathBuf>,
    /// Project name.
    #[arg(short = 'p', long = "project-name", value_name = "NAME")]
    pub project_name: Option<String>,
    /// Profiles to enable.
    #[arg(long = "profile", value_name = "PROFILE")]
    pub profiles: Vec<String>,
    /// Alternative environment files.
    #[arg(long = "env-file", value_name = "PATH")]
    pub env_files: Vec<std::path::PathBuf>,
    /// Alternative working directory.
    #[arg(long = "project-directory", value_name = "PATH")]
    pub project_directory: Option<std::path::PathBuf>,
    /// Follow log output.
    #[arg(short = 'f', long)]
    pub follow: bool,
    /// Number of lines to show from the end of the logs for each container (or `all`).
    #[arg(short = 'n', long, value_name = "N", default_value = "all")]
    pub tail: String,
    /// Show logs since a timestamp (2026-01-02T15:04:05Z, a Unix time) or a relative time (42m).
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,
    /// Show timestamps.
    #[arg(short = 't', long)]
    pub timestamps: bool,
    /// Produce monochrome output.
    #[arg(long = "no-color")]
    pub no_color: bool,
    /// Services to show (default: all).
    pub services: Vec<String>,
}

pub async fn run(args: LogsArgs) -> CliResult {
    let project_args = ProjectArgs {
        files: args.files.clone(),
        project_name: args.project_name.clone(),
        profiles: args.profiles.clone(),
        env_files: args.env_files.clone(),
        project_directory: args.project_directory.clone(),
    };
    let (name, _project) = project_or_name(&project_args)?;
    let engine = connect().await?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(0))
        .unwrap_or(0);
    let since = args
        .since
        .as_deref()
        .map(|s| parse_since(s, now))
        .transpose()
        .map_err(miette::Report::new)?;
    let containers = project_containers(&engine.docker, &name)
        .await
        .map_err(miette::Report::new)?;
    let sources: Vec<LogSource> = containers
        .iter()
        .filter(|c| !c.oneoff)
        .filter(|c| args.services.is_empty() || args.services.contains(&c.service))
        .map(|c| LogSource {
            service: c.service.clone(),
            name: c.name.clone(),
            id: c.id.clone(),
        })
        .collect();
    if sources.is_empty() {
        return Err(miette::miette!(
            help = "start the project with `devbox up`, or check the service names with `devbox ps -a`",
            "no containers found for project \"{name}\"{}",
            if args.services.is_empty() {
                String::new()
            } else {
                format!(" and services {}", args.services.join(", "))
            }
        ));
    }
    let colour =
        !args.no_color && std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let printer = LinePrinter::new(&sources, colour);
    let options = LogOptions {
        follow: args.follow,
        tail: Some(args.tail.clone()),
        since,
        timestamps: args.timestamps,
    };
    let mut stream = Box::pin(merged_logs(&engine.docker, &sources, &options));
    loop {
        tokio::select! {
            event = stream.next() => match event {
                Some(LogEvent::Line { name, text, .. }) => printer.line(&name, &text)?,
                Some(LogEvent::Ended { .. }) => {}
                None => break,
            },
            _ = tokio::signal::ctrl_c() => break,
        }
    }
    Ok(ExitCode::SUCCESS)
}
