//! Command-line definitions (clap): the `Cli` struct and the `Command` enum. Each subcommand's
//! arguments live beside its runner in `commands/`, so adding a flag touches one file.

use clap::{Parser, Subcommand};

use crate::commands;
use crate::error::CliResult;

/// Containerised development from the terminal: scaffold, lint, run and watch a compose stack.
///
/// Run `devbox` with no subcommand to open the full-screen app (Wizard and Stack tabs).
#[derive(Debug, Parser)]
#[command(name = "devbox", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// The tab the full-screen app opens on. Default: Stack when the directory has a compose
    /// project, Wizard when it has none.
    #[arg(long, value_enum)]
    pub tab: Option<TabArg>,
}

/// `--tab`: the full-screen app's tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TabArg {
    Wizard,
    Stack,
}

impl From<TabArg> for crate::app::Tab {
    fn from(tab: TabArg) -> Self {
        match tab {
            TabArg::Wizard => Self::Wizard,
            TabArg::Stack => Self::Stack,
        }
    }
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
    /// Report what a build would send: bytes, largest parts, .dockerignore savings and gaps.
    Context(commands::context::ContextArgs),
    /// Pin every FROM and compose image to the digest its tag has now (`--check` for CI).
    Pin(commands::pin::PinArgs),
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
    /// Run a command in a running service container.
    Exec(commands::exec::ExecArgs),
    /// Run a one-off command in a new container of a service.
    Run(commands::run::RunArgs),
    /// Start the stack's existing containers.
    Start(commands::lifecycle::StartArgs),
    /// Stop the stack's containers without removing them.
    Stop(commands::lifecycle::StopArgs),
    /// Restart the stack's containers.
    Restart(commands::lifecycle::StopArgs),
    /// Send a signal to the stack's running containers (default SIGKILL).
    Kill(commands::lifecycle::KillArgs),
    /// Remove the stack's stopped containers.
    Rm(commands::lifecycle::RmArgs),
    /// List the compose projects on the engine.
    Ls(commands::info::LsArgs),
    /// List the images the stack's containers use.
    Images(commands::info::ImagesArgs),
    /// Print the host address a service's port is published on.
    Port(commands::info::PortArgs),
    /// Show the processes running in the stack's containers.
    Top(commands::info::TopArgs),
    /// Build the services' images.
    Build(commands::artifacts::BuildArgs),
    /// Pull the services' images.
    Pull(commands::artifacts::PullArgs),
    /// Push the built services' images to their registries.
    Push(commands::artifacts::PushArgs),
    /// Copy files between a service container and the host.
    Cp(commands::cp::CpArgs),
    /// Follow the stack's container events.
    Events(commands::events::EventsArgs),
    /// Show devbox's and the engine's versions.
    Version(commands::info::VersionArgs),
    /// Print a shell completion script.
    Completions(commands::completions::CompletionsArgs),
}

impl Cli {
    pub fn parse_args() -> Self {
        Self::parse()
    }
}

impl Command {
    /// Runs this subcommand to completion.
    pub async fn run(self) -> CliResult {
        use commands::*;
        match self {
            Command::Init(args) => init::run(args).await,
            Command::Lint(args) => lint::run(args).await,
            Command::Config(args) => config::run(args).await,
            Command::Doctor(args) => doctor::run(args).await,
            Command::Size(args) => size::run(args).await,
            Command::Context(args) => context::run(args).await,
            Command::Pin(args) => pin::run(args).await,
            Command::Watch(args) => watch::run(args).await,
            Command::Up(args) => up::run(args).await,
            Command::Down(args) => down::run(args).await,
            Command::Ps(args) => ps::run(args).await,
            Command::Logs(args) => logs::run(args).await,
            Command::Exec(args) => exec::run(args).await,
            Command::Run(args) => run::run(args).await,
            Command::Start(args) => lifecycle::start(args).await,
            Command::Stop(args) => lifecycle::stop(args).await,
            Command::Restart(args) => lifecycle::restart(args).await,
            Command::Kill(args) => lifecycle::kill(args).await,
            Command::Rm(args) => lifecycle::rm(args).await,
            Command::Ls(args) => info::ls(args).await,
            Command::Images(args) => info::images(args).await,
            Command::Port(args) => info::port(args).await,
            Command::Top(args) => info::top(args).await,
            Command::Version(args) => info::version(args).await,
            Command::Build(args) => artifacts::build(args).await,
            Command::Pull(args) => artifacts::pull(args).await,
            Command::Push(args) => artifacts::push(args).await,
            Command::Cp(args) => cp::run(args).await,
            Command::Events(args) => events::run(args).await,
            Command::Completions(args) => completions::run(args),
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn every_subcommand_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
