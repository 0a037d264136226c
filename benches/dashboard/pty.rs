//! A dashboard (devbox or oxker) in a pseudo-terminal for the dashboard bench: its screen
//! parsed by vt100, bytes and frames counted.

use std::num::NonZeroU16;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use super::{COLS, ROWS};

/// A dashboard in a pseudo-terminal, its screen parsed by vt100.
pub struct Pty {
    pub name: String,
    pub session: expectrl::Session,
    pub parser: vt100::Parser,
    /// Bytes read from the pty so far.
    pub bytes: u64,
    /// `ESC[?25l` (hide cursor) sequences read so far: ratatui sends one per draw when no
    /// cursor is shown, so this counts frames for both dashboards (a sequence split across two
    /// reads is missed; rare enough for a rate).
    pub draws: u64,
    pub tail: Vec<u8>,
}

pub const HIDE_CURSOR: &[u8] = b"\x1b[?25l";

impl Pty {
    pub fn spawn(name: &str, program: &Path, dir: &Path) -> Pty {
        let mut command = Command::new(program);
        command.current_dir(dir).env("TERM", "xterm-256color");
        let mut session = expectrl::Session::spawn(command)
            .unwrap_or_else(|e| panic!("spawning {}: {e}", program.display()));
        session
            .set_window_size(COLS, ROWS)
            .expect("set the pty size");
        let size = |n| NonZeroU16::new(n).expect("non-zero terminal size");
        Pty {
            name: name.to_owned(),
            session,
            parser: vt100::Parser::new(size(ROWS), size(COLS), 0),
            bytes: 0,
            draws: 0,
            tail: Vec::new(),
        }
    }

    pub fn pid(&self) -> i32 {
        self.session.pid().as_raw()
    }

    /// Reads what the app has written so far; `true` if anything came. Reading is also what
    /// keeps the app from blocking on a full pty.
    pub fn pump(&mut self) -> bool {
        let mut buf = [0u8; 16384];
        let mut got = false;
        loop {
            match self.session.try_read(&mut buf) {
                Ok(0) => return got,
                Ok(n) => {
                    self.parser.process(&buf[..n]);
                    self.count(&buf[..n]);
                    got = true;
                }
                // WouldBlock: nothing more for now; EIO: the child closed the pty.
                Err(_) => return got,
            }
        }
    }

    pub fn count(&mut self, chunk: &[u8]) {
        self.bytes += chunk.len() as u64;
        // Carry the last few bytes over, so a sequence split across two reads still counts.
        let mut joined = std::mem::take(&mut self.tail);
        joined.extend_from_slice(chunk);
        self.draws += joined
            .windows(HIDE_CURSOR.len())
            .filter(|w| *w == HIDE_CURSOR)
            .count() as u64;
        let keep = joined.len().min(HIDE_CURSOR.len() - 1);
        self.tail = joined[joined.len() - keep..].to_vec();
    }

    /// Keeps the pty drained for `d`, polling every `tick`.
    pub fn pump_for(&mut self, d: Duration, tick: Duration) {
        let end = Instant::now() + d;
        while Instant::now() < end {
            if !self.pump() {
                std::thread::sleep(tick);
            }
        }
    }

    pub fn contents(&self) -> String {
        self.parser.screen().contents()
    }

    pub fn alive(&self) -> bool {
        self.session.is_alive().unwrap_or(false)
    }

    /// Reads until `done` holds for the screen; after `timeout`, panics with the screen.
    pub fn wait_for(&mut self, what: &str, timeout: Duration, done: impl Fn(&str) -> bool) {
        let deadline = Instant::now() + timeout;
        loop {
            let got = self.pump();
            let text = self.contents();
            if done(&text) {
                return;
            }
            assert!(
                Instant::now() < deadline && self.alive(),
                "{}: timed out (or exited) waiting for {what}; the screen:\n{text}",
                self.name
            );
            if !got {
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    }

    /// Asks the app to quit with `q`; kills it if it is still there after 5 s.
    pub fn quit(mut self) {
        let _ = self.session.send("q");
        let deadline = Instant::now() + Duration::from_secs(5);
        while self.alive() && Instant::now() < deadline {
            self.pump_for(Duration::from_millis(50), Duration::from_millis(10));
        }
        if self.alive() {
            eprintln!("{} did not quit on `q`; killing it", self.name);
        }
        // Dropping the session terminates a child still running.
    }
}

/// The first table row of a service: `│svc01 running healthy …` (the logs panel below may
/// hold lines naming it too, but always after the table).
pub fn row_of(screen: &str, service: &str) -> Option<String> {
    let prefix = format!("│{service} ");
    screen
        .lines()
        .find(|l| l.starts_with(&prefix))
        .map(str::to_owned)
}

pub fn health_in(row: &str) -> &'static str {
    if row.contains("unhealthy") {
        "unhealthy"
    } else if row.contains("healthy") {
        "healthy"
    } else {
        "other"
    }
}
