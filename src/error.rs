//! Exit codes and the user-facing rendering of errors. Module errors are `thiserror` enums that
//! also implement `miette::Diagnostic`; commands return them as a `miette::Report`.

use std::process::ExitCode;

/// What every subcommand returns: an exit code on success, a diagnostic on failure.
pub type CliResult = Result<ExitCode, miette::Report>;

/// Exit codes shared by all subcommands, so scripts and CI can branch on them.
pub mod exit {
    /// The command did what was asked and found nothing blocking.
    pub const OK: u8 = 0;
    /// The command ran but found problems (lint findings, doctor blockers, size thresholds).
    pub const FINDINGS: u8 = 1;
    /// The command could not run: bad input, unreachable engine, I/O failure.
    pub const FAILURE: u8 = 2;
    /// The user interrupted the command.
    pub const INTERRUPTED: u8 = 130;
}

/// Prints a failed command's diagnostic to stderr and returns the exit code for it.
pub fn report_failure(report: &miette::Report) -> ExitCode {
    if std::env::var_os(PLAIN_ERRORS_ENV).is_some() {
        eprint!("{}", plain(report));
    } else {
        eprintln!("{report:?}");
    }
    ExitCode::from(exit::FAILURE)
}

/// Set by the TUI for the subcommands it runs: errors are printed as `error: …` and `help: …`
/// lines, unwrapped, so the app can show them whole (miette wraps at 80 columns, even inside
/// an image name, when its output is a pipe).
pub const PLAIN_ERRORS_ENV: &str = "DEVBOX_PLAIN_ERRORS";

fn plain(report: &miette::Report) -> String {
    let mut text = format!("error: {report}\n");
    for cause in report.chain().skip(1) {
        text.push_str(&format!("caused by: {cause}\n"));
    }
    if let Some(help) = report.help() {
        text.push_str(&format!("help: {help}\n"));
    }
    text
}

/// Shorthand for an exit code from one of the `exit` constants.
pub fn code(value: u8) -> ExitCode {
    ExitCode::from(value)
}
