//! The thin binary: parse arguments, install the panic hook, run the TUI or one subcommand.

use std::process::ExitCode;

use devbox::cli::Cli;
use devbox::{commands, error, runtime};

fn main() -> ExitCode {
    let cli = Cli::parse_args();
    runtime::terminal::install_panic_hook();
    let tokio = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(err) => {
            eprintln!("error: could not start the async runtime: {err}");
            return error::code(error::exit::FAILURE);
        }
    };
    let outcome = tokio.block_on(async move {
        match cli.command {
            Some(command) => commands::dispatch(command).await,
            None => runtime::run_tui().await,
        }
    });
    outcome.unwrap_or_else(|report| error::report_failure(&report))
}
