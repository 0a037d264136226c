//! `devbox completions SHELL`: prints a completion script generated from the clap definitions.

use std::process::ExitCode;

use clap::CommandFactory;

use crate::cli::Cli;
use crate::error::CliResult;

#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell to generate for.
    pub shell: clap_complete::Shell,
}

pub fn run(args: CompletionsArgs) -> CliResult {
    let mut cmd = Cli::command();
    // clap_complete panics on a failed write: render first, then write checked.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "devbox", &mut script);
    crate::out!("{}", String::from_utf8_lossy(&script))?;
    Ok(ExitCode::SUCCESS)
}
