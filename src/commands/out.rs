//! Standard output and standard error for the subcommands. Every write to stdout is checked:
//! a reader that went away (`devbox logs | head -1`) ends the command quietly with the status a
//! shell shows for SIGPIPE, and any other failure is a diagnostic, never a panic. Writes to
//! stderr that fail are dropped: there is nowhere left to say so.

use std::fmt;
use std::io::{self, Write};

/// Writing to standard output failed.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum OutputError {
    /// The reading end of the pipe closed: the command stops without a word.
    #[error("standard output was closed by its reader")]
    Closed,
    #[error("could not write to standard output: {0}")]
    #[diagnostic(help("check the file or device standard output is redirected to (a full disk?)"))]
    Failed(#[source] io::Error),
}

impl From<io::Error> for OutputError {
    fn from(err: io::Error) -> Self {
        if err.kind() == io::ErrorKind::BrokenPipe {
            Self::Closed
        } else {
            Self::Failed(err)
        }
    }
}

/// Writes `args` to stdout and flushes (lines reach a pipe as they happen).
pub fn write(args: fmt::Arguments<'_>) -> Result<(), OutputError> {
    let mut stdout = io::stdout().lock();
    stdout.write_fmt(args)?;
    stdout.flush()?;
    Ok(())
}

/// Writes `args` to stderr; a failure is dropped (stderr is where failures would go).
pub fn write_err(args: fmt::Arguments<'_>) {
    let mut stderr = io::stderr().lock();
    let _ = stderr.write_fmt(args);
}

/// Whether the failure of a command is its stdout reader going away, anywhere in the chain.
pub fn is_closed_output(report: &miette::Report) -> bool {
    report.chain().any(|e| {
        matches!(e.downcast_ref::<OutputError>(), Some(OutputError::Closed))
            || e.downcast_ref::<io::Error>()
                .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// `println!` that returns `Result<(), OutputError>` instead of panicking.
#[macro_export]
macro_rules! outln {
    () => { $crate::commands::out::write(format_args!("\n")) };
    ($($arg:tt)*) => { $crate::commands::out::write(format_args!("{}\n", format_args!($($arg)*))) };
}

/// `print!` that returns `Result<(), OutputError>` instead of panicking.
#[macro_export]
macro_rules! out {
    ($($arg:tt)*) => { $crate::commands::out::write(format_args!($($arg)*)) };
}

/// `eprintln!` that never panics.
#[macro_export]
macro_rules! errln {
    () => { $crate::commands::out::write_err(format_args!("\n")) };
    ($($arg:tt)*) => { $crate::commands::out::write_err(format_args!("{}\n", format_args!($($arg)*))) };
}
