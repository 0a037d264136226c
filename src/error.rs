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
    /// Standard output's reader went away (`| head`): 128 + SIGPIPE, what a shell shows for a
    /// command the signal ended.
    pub const OUTPUT_CLOSED: u8 = 141;
}

/// Prints a failed command's diagnostic to stderr and returns the exit code for it; a closed
/// stdout ends the command without a word.
pub fn report_failure(report: &miette::Report) -> ExitCode {
    if crate::commands::out::is_closed_output(report) {
        return ExitCode::from(exit::OUTPUT_CLOSED);
    }
    crate::errln!("{report:?}");
    ExitCode::from(exit::FAILURE)
}

/// Diagnostics wrap to the terminal's width, and not at all when stderr is a pipe or a file
/// (miette would wrap at 80 columns there, even inside an image name or a path, and a script
/// or a log reader would get them in pieces).
pub fn install_report_hook() {
    use std::io::IsTerminal;
    let wrap = std::io::stderr().is_terminal();
    let _ = miette::set_hook(Box::new(move |_| {
        Box::new(miette::MietteHandlerOpts::new().wrap_lines(wrap).build())
    }));
}

/// Shorthand for an exit code from one of the `exit` constants.
pub fn code(value: u8) -> ExitCode {
    ExitCode::from(value)
}
