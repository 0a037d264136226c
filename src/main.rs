//! The thin binary: parse arguments, install the panic hook, run the TUI or one subcommand.

use std::process::ExitCode;

use devbox::cli::Cli;
use devbox::{error, runtime};

fn main() -> ExitCode {
    let cli = Cli::parse_args();
    runtime::terminal::install_panic_hook();
    error::install_report_hook();
    // The TUI is one event loop fed by streams: one thread serves it (a second worker only
    // added its own allocator arena and stack to the app's memory). Subcommands that build
    // tars, hash and stream in parallel keep the multi-thread runtime.
    let mut builder = if cli.command.is_none() {
        tokio::runtime::Builder::new_current_thread()
    } else {
        tokio::runtime::Builder::new_multi_thread()
    };
    let tokio = match builder.enable_all().build() {
        Ok(rt) => rt,
        Err(err) => {
            devbox::errln!("error: could not start the async runtime: {err}");
            return error::code(error::exit::FAILURE);
        }
    };
    let outcome = tokio.block_on(async move {
        match cli.command {
            Some(command) => command.run().await,
            None => runtime::run_tui(cli.tab.map(Into::into)).await,
        }
    });
    outcome.unwrap_or_else(|report| error::report_failure(&report))
}
