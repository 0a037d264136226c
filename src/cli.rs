//! Command-line definitions (clap): the `Cli` struct and the `Command` enum. Each subcommand's
//! arguments live beside its runner in `commands/`, so adding a flag touches one file.

use clap::{Parser, Subcommand};

use crate::commands;

/// Containerised development from the terminal: scaffold, lint, run and watch a compose stack.
///
/// Run `devbox` with no subcommand to open the full-screen app (Wizard and Stack tabs).
#[derive(Debug, Parser)]
#[command(name = "devbox", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Detect the project and write a Dockerfile, .dockerignore and compose.yaml.
    Init(commands::init::InitArgs),
    /// Audit Dockerfiles, .dockerignore files and compose files.
    Lint(commands::lint::LintArgs),
    /// Print the compose project as devbox (and Docker Compose) reads it.
    Config(commands::config::ConfigArgs),
    /// Check that this machine and this project are ready to run the stack.
    Doctor(commands::doctor::DoctorArgs),
    /// Show an image's layers, wasted bytes and efficiency, with suggestions.
    Size(commands::size::SizeArgs),
    /// Sync file changes into the running stack as develop.watch says (foreground).
    Watch(commands::watch::WatchArgs),
    /// Create and start the stack's containers (Docker Compose compatible).
    Up(commands::up::UpArgs),
    /// Stop and remove the stack's containers and networks.
    Down(commands::down::DownArgs),
    /// List the stack's containers.
    Ps(commands::ps::PsArgs),
    /// Show the stack's container logs.
    Logs(commands::logs::LogsArgs),
    /// Print a shell completion script.
    Completions(commands::completions::CompletionsArgs),
}

impl Cli {
    pub fn parse_args() -> Self {
        Self::parse()
    }
}
