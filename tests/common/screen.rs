//! The real binary in a pseudo-terminal (expectrl) with its screen parsed by vt100, for the
//! end-to-end TUI tests.

use std::io::Read;
use std::num::NonZeroU16;
use std::path::Path;
use std::time::{Duration, Instant};

/// The app in a pty and the terminal it draws on.
pub struct Screen {
    pub session: expectrl::Session,
    pub parser: vt100::Parser,
}

impl Screen {
    /// Starts `devbox` (no arguments: the TUI) in `dir` on a `cols`×`rows` terminal, with
    /// `env` added to (or, for `None` values, removed from) the environment.
    pub fn spawn(dir: &Path, cols: u16, rows: u16, env: &[(&str, Option<&str>)]) -> Screen {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_devbox"));
        command.current_dir(dir).env("TERM", "xterm-256color");
        // The tester's own settings file must not change what the tests see.
        command.env("DEVBOX_CONFIG", "/nonexistent/devbox-test-config.toml");
        for (key, value) in env {
            match value {
                Some(v) => command.env(key, v),
                None => command.env_remove(key),
            };
        }
        let mut session = expectrl::Session::spawn(command).unwrap();
        session.set_window_size(cols, rows).unwrap();
        Screen {
            session,
            parser: vt100::Parser::new(
                NonZeroU16::new(rows).unwrap(),
                NonZeroU16::new(cols).unwrap(),
                0,
            ),
        }
    }

    /// Reads output until `done` holds for the screen, or fails with the screen after `timeout`.
    pub fn wait_for(&mut self, what: &str, timeout: Duration, done: impl Fn(&str) -> bool) {
        let deadline = Instant::now() + timeout;
        let mut buf = [0u8; 8192];
        loop {
            match self.session.try_read(&mut buf) {
                Ok(0) => {}
                Ok(n) => self.parser.process(&buf[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    std::thread::sleep(Duration::from_millis(20));
                }
                // EIO: the child closed the pty.
                Err(_) => {}
            }
            let text = self.parser.screen().contents();
            if done(&text) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}; the screen:\n{text}"
            );
        }
    }

    /// Reads whatever output arrives for `time` (after a key whose effect has no text to wait for).
    pub fn pump(&mut self, time: Duration) {
        let deadline = Instant::now() + time;
        let mut buf = [0u8; 8192];
        while Instant::now() < deadline {
            match self.session.try_read(&mut buf) {
                Ok(n) if n > 0 => self.parser.process(&buf[..n]),
                _ => std::thread::sleep(Duration::from_millis(20)),
            }
        }
    }

    /// The table row of a service (`│web  running …`), if it is on screen.
    pub fn row_of(&self, service: &str) -> Option<String> {
        self.parser
            .screen()
            .contents()
            .lines()
            .find(|l| l.starts_with(&format!("│{service} ")))
            .map(str::to_owned)
    }

    pub fn contents(&self) -> String {
        self.parser.screen().contents()
    }

    /// Reads what is left after the app was told to quit.
    pub fn drain(&mut self) {
        let mut buf = [0u8; 8192];
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            match self.session.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => self.parser.process(&buf[..n]),
                Err(_) => break,
            }
        }
    }

    /// Quits with `q` and checks the exit status and that the terminal was restored.
    pub fn quit_and_check_restored(self) {
        self.quit_with_and_check_restored("q");
    }

    /// Quits with `key` (a rebound quit) and checks as `quit_and_check_restored` does.
    pub fn quit_with_and_check_restored(mut self, key: &str) {
        self.session.send(key).unwrap();
        self.drain();
        let status = self.session.wait().unwrap();
        assert!(
            matches!(status, expectrl::WaitStatus::Exited(_, 0)),
            "exit: {status:?}"
        );
        assert!(
            !self.parser.screen().alternate_screen(),
            "the alternate screen was left"
        );
        assert!(!self.parser.screen().hide_cursor(), "the cursor is back");
    }
}
