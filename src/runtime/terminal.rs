//! Terminal setup and restore. The terminal is restored on normal exit, on error (the guard's
//! `Drop`) and on panic (the hook, which runs first and then ends the process, so dev and test
//! builds that unwind behave as release builds with `panic = "abort"`, where no `Drop` runs),
//! so the shell prompt always comes back clean.

use std::io::{self, Stdout};
use std::sync::atomic::{AtomicBool, Ordering};

use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use crossterm::{cursor, execute, terminal};
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

/// Puts the terminal back as the shell left it; says whether the app had it. Safe to call twice.
pub fn restore() -> bool {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return false;
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
    true
}

/// Hands the terminal back to the shell for a child process (the app is still running).
pub fn suspend() {
    restore();
}

/// Takes the terminal back after `suspend` and forces a full redraw.
pub fn resume(term: &mut Term) -> Result<(), TerminalError> {
    enable_raw_mode()?;
    ACTIVE.store(true, Ordering::SeqCst);
    execute!(
        io::stdout(),
        EnterAlternateScreen,
        EnableMouseCapture,
        terminal::Clear(terminal::ClearType::All)
    )?;
    // Both of ratatui's buffers emptied, so the next draw writes every cell. Not
    // `Terminal::clear`: it asks the terminal for the cursor position, which a terminal that
    // does not answer turns into a two-second wait and an error.
    term.swap_buffers();
    term.swap_buffers();
    Ok(())
}

/// Restores the terminal before anything else happens on a panic, so the message lands on
/// the shell's screen in cooked mode; then, if the full-screen app was running, ends the process.
pub fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        // Held until the process ends: the render task, still running on another thread,
        // would otherwise draw one more frame after the restore, on the shell's screen, and
        // hide the cursor again (seen in CI). The lock is reentrant, so the restore below and
        // this thread's own writes still go through.
        let stdout = io::stdout();
        let held = stdout.lock();
        let had_terminal = restore();
        if !had_terminal {
            drop(held);
        }
        previous(info);
        if had_terminal {
            crate::errln!(
                "devbox: the dashboard stopped on an internal error (above); please report it"
            );
            // A panic in a task would otherwise unwind into tokio and leave the app running
            // without its terminal. Release builds abort here anyway (`panic = "abort"`);
            // doing the same in every build makes the pty test prove the release behaviour.
            std::process::abort();
        }
    }));
}

/// Set in a test build, makes the dashboard panic on the next key, inside the input task:
/// how tests/tui_e2e.rs proves the hook restores the terminal.
pub const DEBUG_PANIC_ENV: &str = "DEVBOX_DEBUG_PANIC";

/// Panics when `DEVBOX_DEBUG_PANIC` is set, in builds with debug assertions only: release
/// builds compile this to nothing, so no setting reaches it there.
pub fn panic_on_purpose_if_asked() {
    #[cfg(debug_assertions)]
    if std::env::var_os(DEBUG_PANIC_ENV).is_some() {
        panic!("{DEBUG_PANIC_ENV} is set: panicking on purpose (debug builds only)");
    }
}
