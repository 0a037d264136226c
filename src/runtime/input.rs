//! The terminal's input, read on a thread of its own that the runtime can pause. While a shell
//! owns the terminal nothing here reads it: crossterm's `EventStream` keeps a thread polling
//! stdin even while its task is aborted, which took the first keys typed in the shell (`exit`
//! did not reach it) and replayed them into the dashboard afterwards. This thread waits on the
//! terminal and on a wake pipe (mio), so a pause takes effect at once and nothing reads the
//! terminal until `resume`.

use std::io::{self, IsTerminal, Read, Write};
use std::os::fd::{AsRawFd, RawFd};
use std::sync::mpsc as std_mpsc;
use std::time::Duration;

use crossterm::event::{self, Event};
use mio::unix::SourceFd;
use mio::{Events, Interest, Poll, Token};
use tokio::sync::mpsc;

use super::Incoming;
use super::terminal;
use crate::app::Msg;

const TTY: Token = Token(0);
const WAKE: Token = Token(1);

enum Control {
    Pause,
    Resume,
    Stop,
}

/// The input thread's handle; dropping it stops the thread.
pub struct Input {
    control: std_mpsc::Sender<Control>,
    wake: io::PipeWriter,
    paused: std_mpsc::Receiver<()>,
}

impl Input {
    /// Starts reading the terminal; key, mouse and resize events go to `tx`.
    pub fn start(tx: mpsc::Sender<Incoming>) -> io::Result<Input> {
        let (wake_read, wake) = io::pipe()?;
        let (control, commands) = std_mpsc::channel();
        let (acks, paused) = std_mpsc::channel();
        // crossterm reads stdin when it is a terminal, else /dev/tty: wait on the same device.
        let tty = if io::stdin().is_terminal() {
            Tty::Stdin
        } else {
            Tty::Device(std::fs::File::open("/dev/tty")?)
        };
        let poll = Poll::new()?;
        poll.registry()
            .register(&mut SourceFd(&tty.fd()), TTY, Interest::READABLE)?;
        poll.registry().register(
            &mut SourceFd(&wake_read.as_raw_fd()),
            WAKE,
            Interest::READABLE,
        )?;
        let mut reader = Reader {
            poll,
            _tty: tty,
            wake: wake_read,
            commands,
            acks,
            tx,
        };
        std::thread::Builder::new()
            .name("devbox-input".into())
            .spawn(move || reader.run())?;
        Ok(Input {
            control,
            wake,
            paused,
        })
    }

    /// Stops reading until `resume`; returns once the thread is no longer reading (or after a
    /// second, when it is inside a read that only a complete event ends).
    pub fn pause(&mut self) {
        if self.control.send(Control::Pause).is_ok() {
            self.poke();
            let _ = self.paused.recv_timeout(Duration::from_secs(1));
        }
    }

    pub fn resume(&mut self) {
        let _ = self.control.send(Control::Resume);
    }

    fn poke(&mut self) {
        let _ = self.wake.write(&[1]);
    }
}

impl Drop for Input {
    fn drop(&mut self) {
        if self.control.send(Control::Stop).is_ok() {
            self.poke();
        }
    }
}

enum Tty {
    Stdin,
    Device(std::fs::File),
}

impl Tty {
    fn fd(&self) -> RawFd {
        match self {
            Tty::Stdin => io::stdin().as_raw_fd(),
            Tty::Device(file) => file.as_raw_fd(),
        }
    }
}

struct Reader {
    poll: Poll,
    /// Kept open for as long as the thread waits on it.
    _tty: Tty,
    wake: io::PipeReader,
    commands: std_mpsc::Receiver<Control>,
    acks: std_mpsc::Sender<()>,
    tx: mpsc::Sender<Incoming>,
}

impl Reader {
    /// Forwards what crossterm has parsed, then waits for the terminal or the wake pipe.
    fn run(&mut self) {
        let mut events = Events::with_capacity(4);
        loop {
            // Events crossterm already holds (one read can bring several) come first; a zero
            // timeout never blocks.
            while let Ok(true) = event::poll(Duration::ZERO) {
                let Ok(event) = event::read() else { return };
                if !forward(&self.tx, event) {
                    return;
                }
            }
            if let Err(err) = self.poll.poll(&mut events, None) {
                if err.kind() == io::ErrorKind::Interrupted {
                    continue;
                }
                return;
            }
            let mut woken = false;
            for ready in &events {
                if ready.token() == WAKE {
                    woken = true;
                } else if (ready.is_read_closed() || ready.is_error()) && !ready.is_readable() {
                    // The terminal is gone (closed pty): nothing more will arrive.
                    return;
                }
            }
            if woken && !self.on_wake() {
                return;
            }
        }
    }

    /// Handles the control messages behind a wake; false when the thread must end.
    fn on_wake(&mut self) -> bool {
        let mut buf = [0u8; 64];
        let _ = self.wake.read(&mut buf);
        loop {
            match self.commands.try_recv() {
                Ok(Control::Pause) => {
                    let _ = self.acks.send(());
                    // Paused: block on the commands, not on the terminal.
                    loop {
                        match self.commands.recv() {
                            Ok(Control::Resume) => break,
                            Ok(Control::Pause) => {
                                let _ = self.acks.send(());
                            }
                            Ok(Control::Stop) | Err(_) => return false,
                        }
                    }
                }
                Ok(Control::Resume) => {}
                Ok(Control::Stop) | Err(std_mpsc::TryRecvError::Disconnected) => return false,
                Err(std_mpsc::TryRecvError::Empty) => return true,
            }
        }
    }
}

/// Sends one event; false once the app is gone.
fn forward(tx: &mpsc::Sender<Incoming>, event: Event) -> bool {
    let incoming = match event {
        Event::Key(key) => {
            terminal::panic_on_purpose_if_asked();
            Incoming::Msg(Msg::KeyPressed(key))
        }
        Event::Resize(cols, rows) => Incoming::Msg(Msg::Resized(cols, rows)),
        Event::Mouse(mouse) => Incoming::Mouse(mouse),
        _ => return true,
    };
    tx.blocking_send(incoming).is_ok()
}
