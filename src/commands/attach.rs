//! A container's standard streams joined to this process's, for `exec` and `run`: its output
//! to stdout and stderr (a closed stdout ends the session), this process's stdin fed from a
//! thread of its own (a blocking read never holds the runtime), and, when a TTY is shared, the
//! terminal in raw mode and the container's TTY kept at the terminal's size.

use std::io::{Read, Write};
use std::pin::Pin;

use bollard::Docker;
use bollard::container::LogOutput;
use futures_util::{Stream, StreamExt};
use tokio::io::{AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;

use super::out::OutputError;

/// The two ends the engine hands back for an attached exec or container.
pub struct Streams {
    pub output: Pin<Box<dyn Stream<Item = Result<LogOutput, bollard::errors::Error>> + Send>>,
    pub input: Pin<Box<dyn AsyncWrite + Send>>,
}

/// What the TTY to keep sized belongs to.
#[derive(Debug, Clone, Copy)]
pub enum Tty<'a> {
    None,
    Exec(&'a str),
    Container(&'a str),
}

/// Why a session ended early.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum AttachError {
    /// Not transparent: a closed stdout must stay visible in the error chain (`out::
    /// is_closed_output`).
    #[error("writing the container's output")]
    #[diagnostic(help("check the file or device standard output is redirected to"))]
    Output(#[from] OutputError),
    #[error("the engine closed the attached stream of {what}: {source}")]
    #[diagnostic(help("check the container with `devbox ps -a` and `devbox logs`"))]
    Stream {
        what: String,
        source: bollard::errors::Error,
    },
}

/// Restores the terminal when the session ends, however it ends.
struct RawMode;

impl RawMode {
    fn enter() -> Option<Self> {
        crossterm::terminal::enable_raw_mode().ok().map(|()| Self)
    }
}

impl Drop for RawMode {
    fn drop(&mut self) {
        let _ = crossterm::terminal::disable_raw_mode();
    }
}

/// Copies until the container's output ends. `stdin` forwards this process's input.
pub async fn pump(
    docker: &Docker,
    streams: Streams,
    stdin: bool,
    tty: Tty<'_>,
    what: &str,
) -> Result<(), AttachError> {
    let _raw = match tty {
        Tty::None => None,
        _ => RawMode::enter(),
    };
    resize(docker, tty).await;
    let Streams { mut output, input } = streams;
    let feeding = stdin.then(|| tokio::spawn(feed(input)));
    let mut winch =
        tokio::signal::unix::signal(tokio::signal::unix::SignalKind::window_change()).ok();
    let result = loop {
        tokio::select! {
            item = output.next() => match item {
                None => break Ok(()),
                Some(Ok(chunk)) => write_chunk(chunk)?,
                Some(Err(source)) => break Err(AttachError::Stream { what: what.to_owned(), source }),
            },
            Some(()) = async { match winch.as_mut() { Some(w) => w.recv().await, None => None } } => {
                resize(docker, tty).await;
            }
        }
    };
    if let Some(task) = feeding {
        task.abort();
    }
    result
}

fn write_chunk(chunk: LogOutput) -> Result<(), OutputError> {
    match chunk {
        LogOutput::StdErr { message } => {
            let mut err = std::io::stderr().lock();
            let _ = err.write_all(&message);
            let _ = err.flush();
            Ok(())
        }
        LogOutput::StdOut { message } | LogOutput::Console { message } => {
            let mut out = std::io::stdout().lock();
            out.write_all(&message)?;
            out.flush()?;
            Ok(())
        }
        LogOutput::StdIn { .. } => Ok(()),
    }
}

/// This process's stdin into the container; end of input closes the container's stdin.
async fn feed(mut input: Pin<Box<dyn AsyncWrite + Send>>) {
    let (tx, mut rx) = mpsc::channel::<Vec<u8>>(8);
    // A thread, not tokio's stdin: its blocking read would keep the runtime from shutting down.
    let _ = std::thread::Builder::new()
        .name("devbox-stdin".into())
        .spawn(move || {
            let mut stdin = std::io::stdin();
            let mut buf = [0u8; 8192];
            loop {
                match stdin.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        if tx.blocking_send(buf[..n].to_vec()).is_err() {
                            break;
                        }
                    }
                }
            }
        });
    while let Some(bytes) = rx.recv().await {
        if input.write_all(&bytes).await.is_err() || input.flush().await.is_err() {
            return;
        }
    }
    let _ = input.shutdown().await;
}

async fn resize(docker: &Docker, tty: Tty<'_>) {
    let Ok((width, height)) = crossterm::terminal::size() else {
        return;
    };
    // A failed resize only leaves the old size: nothing to stop for.
    match tty {
        Tty::None => {}
        Tty::Exec(id) => {
            let options = bollard::query_parameters::ResizeExecOptions {
                h: i32::from(height),
                w: i32::from(width),
            };
            let _ = docker.resize_exec(id, options).await;
        }
        Tty::Container(id) => {
            let options = bollard::query_parameters::ResizeContainerTTYOptions {
                h: i32::from(height),
                w: i32::from(width),
            };
            let _ = docker.resize_container_tty(id, options).await;
        }
    }
}
