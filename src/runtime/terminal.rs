//! Terminal setup and restore. The terminal is restored on normal exit, on error (the guard's
//! `Drop`) and on panic (the hook), so the shell prompt always comes back clean.

use std::io::{self, Stdout};
use std::sync::atomic::{AtomicBool, Ordering};

use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use crossterm::{cursor, execute};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

/// Whether the full-screen app owns the terminal now; the panic hook restores only then, so a
/// panic in a plain CLI command does not print escape sequences.
static ACTIVE: AtomicBool = AtomicBool::new(false);

pub type Term = Terminal<CrosstermBackend<Stdout>>;

/// Owns the terminal while the app runs; dropping it restores the terminal.
pub struct TerminalGuard {
    pub terminal: Term,
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("could not set up the terminal: {0}")]
#[diagnostic(help(
    "devbox's full-screen app needs an interactive terminal; run a subcommand (`devbox --help`) instead"
))]
pub struct TerminalError(#[from] io::Error);

impl TerminalGuard {
    pub fn enter() -> Result<Self, TerminalError> {
        enable_raw_mode()?;
        ACTIVE.store(true, Ordering::SeqCst);
        let mut stdout = io::stdout();
        if let Err(err) = execute!(stdout, EnterAlternateScreen, EnableMouseCapture) {
            restore();
            return Err(err.into());
        }
        let terminal = match Terminal::new(CrosstermBackend::new(stdout)) {
            Ok(t) => t,
            Err(err) => {
                restore();
                return Err(err.into());
            }
        };
        Ok(Self { terminal })
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

/// Puts the terminal back as the shell left it. Safe to call twice.
pub fn restore() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    // Errors are ignored on purpose: this runs while exiting or panicking, and each step
    // should be tried even when an earlier one failed.
    let _ = disable_raw_mode();
    let _ = execute!(
        io::stdout(),
        DisableMouseCapture,
        LeaveAlternateScreen,
        cursor::Show
    );
}

/// Hands the terminal back to the shell for a child process (the app is still running).
pub fn suspend() {
    restore();
}

/// Takes the terminal back after `suspend` and forces a full redraw.
pub fn resume(term: &mut Term) -> Result<(), TerminalError> {
    enable_raw_mode()?;
    ACTIVE.store(true, Ordering::SeqCst);
    execute!(io::stdout(), EnterAlternateScreen, EnableMouseCapture)?;
    term.clear()?;
    Ok(())
}

/// Restores the terminal before the default panic message is printed.
pub fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
}
