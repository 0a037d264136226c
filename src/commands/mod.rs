//! One file per subcommand: each wires the edges (engine, fsio, watch) to the pure core and
//! prints for a person (or as JSON). `dispatch` picks the runner.

pub mod completions;
pub mod config;
pub mod doctor;
pub mod down;
pub mod init;
pub mod lint;
pub mod logs;
pub mod project;
pub mod ps;
pub mod size;
pub mod up;
pub mod watch;

use crate::cli::Command;
use crate::error::CliResult;

/// Runs one subcommand to completion.
pub async fn dispatch(command: Command) -> CliResult {
    match command {
        Command::Init(args) => init::run(args).await,
        Command::Lint(args) => lint::run(args).await,
        Command::Config(args) => config::run(args).await,
        Command::Doctor(args) => doctor::run(args).await,
        Command::Size(args) => size::run(args).await,
        Command::Watch(args) => watch::run(args).await,
        Command::Up(args) => up::run(args).await,
        Command::Down(args) => down::run(args).await,
        Command::Ps(args) => ps::run(args).await,
        Command::Logs(args) => logs::run(args).await,
        Command::Completions(args) => completions::run(args),
    }
}
