//! The fast path for watch syncs: one long-lived exec per container running a small `sh` loop
//! that reads framed tars on stdin, extracts each with the container's own `tar` and
//! acknowledges it on stdout. The engine's archive upload costs 70–160 ms per call on Docker
//! 20.10 (the daemon re-executes itself to chroot for every upload, as does every new exec);
//! a frame through an open exec costs a few ms. Deletions go the same way (`xargs -0 rm -rf`,
//! paths as argv, never through a shell), saving the new exec per batch. A container without
//! `sh`, `dd` or `tar`, or a frame its tar or rm refuses, goes through the archive API or the
//! `rm -rf` exec as root instead (`super`), which stay the reference for what a sync does.
//! `DEVBOX_SYNC_VIA=archive` turns the fast path off.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::pin::Pin;
use std::time::Duration;

use bollard::Docker;
use bollard::container::LogOutput;
use bollard::exec::{CreateExecOptions, StartExecResults};
use futures_util::{Stream, StreamExt};
use tokio::io::{AsyncWrite, AsyncWriteExt};

/// The loop run in the container. Framing: a line `<seq> <length> <op>`, then exactly `length`
/// bytes: a tar (`tar`) or NUL-separated paths to remove (`rm`). `read` takes stdin byte by byte on a pipe, so the shell never reads into the
/// tar; `dd … iflag=fullblock,count_bytes` takes exactly `length` bytes (busybox `head -c`
/// reads ahead, and tar cannot frame: busybox tar reads to EOF); the `cat` drains what a
/// failing tar left, so the next frame starts in sync. GNU tar keeps symlinked directories
/// (as the archive API does) only when asked.
const LOOP: &str = r#"command -v tar >/dev/null 2>&1 || { echo "fatal no tar"; exit 3; }
echo x | dd bs=1 count=1 iflag=fullblock,count_bytes >/dev/null 2>&1 || { echo "fatal no dd with iflag"; exit 3; }
K=
case "$(tar --version 2>/dev/null)" in *"GNU tar"*) K="--keep-directory-symlink -p";; esac
echo ready
while read -r seq n op; do
  case "$n" in ''|*[!0-9]*) echo "fatal bad frame $seq"; exit 3;; esac
  if [ "$op" = rm ]; then
    dd bs=65536 count="$n" iflag=fullblock,count_bytes 2>/dev/null | { xargs -0 rm -rf --; r=$?; cat >/dev/null; exit $r; }
  else
    dd bs=65536 count="$n" iflag=fullblock,count_bytes 2>/dev/null | { tar -x --numeric-owner $K -f - -C /; r=$?; cat >/dev/null; exit $r; }
  fi
  echo "ack $seq $?"
done"#;

/// How long a removal may take before the receiver is given up (its `rm` keeps running).
const REMOVE_TIMEOUT: Duration = Duration::from_secs(600);

/// How long a receiver may take to start and report `ready`.
const START_TIMEOUT: Duration = Duration::from_secs(3);

type Output = Pin<Box<dyn Stream<Item = Result<LogOutput, bollard::errors::Error>> + Send>>;

/// What one frame asks the receiver to do.
#[derive(Clone, Copy)]
pub enum Frame<'a> {
    /// Extract this tar at `/`.
    Tar(&'a [u8]),
    /// Remove these absolute paths (`rm -rf`).
    Remove(&'a [String]),
}

impl<'a> Frame<'a> {
    fn op(self) -> &'static str {
        match self {
            Frame::Tar(_) => "tar",
            Frame::Remove(_) => "rm",
        }
    }

    fn payload(self) -> Cow<'a, [u8]> {
        match self {
            Frame::Tar(tar) => Cow::Borrowed(tar),
            Frame::Remove(paths) => {
                let mut out = Vec::new();
                for path in paths {
                    out.extend_from_slice(path.as_bytes());
                    out.push(0);
                }
                Cow::Owned(out)
            }
        }
    }
}

/// One open receiver in one container, running as one user.
struct Receiver {
    user: String,
    input: Pin<Box<dyn AsyncWrite + Send>>,
    output: Output,
    /// Stdout not yet split into lines.
    pending: Vec<u8>,
    seq: u64,
}

/// The longest stdout line the receiver may send (its own lines are a few bytes; a container
/// that floods stdout without a newline must not grow devbox's memory).
const MAX_LINE: usize = 64 * 1024;

/// What came back for one frame.
#[derive(Debug, PartialEq, Eq)]
pub enum Reply {
    /// `ack <seq> <rc>` with the tar's stderr.
    Ack { code: i64, stderr: String },
    /// The receiver said it cannot go on (`fatal …`), or its stream ended.
    Gone(String),
}

/// The receivers of a watch session, by container id.
#[derive(Default)]
pub struct Receivers {
    open: HashMap<String, Receiver>,
    /// Containers where a receiver could not start: they use the archive API.
    unusable: HashSet<String>,
    disabled: bool,
    /// Why containers went to the archive API, not yet reported.
    notes: Vec<String>,
}

impl std::fmt::Debug for Receivers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Receivers")
            .field("open", &self.open.keys().collect::<Vec<_>>())
            .field("unusable", &self.unusable)
            .field("disabled", &self.disabled)
            .field("notes", &self.notes)
            .finish()
    }
}

impl Receivers {
    /// Receivers on, unless `DEVBOX_SYNC_VIA=archive` asks for the archive API only.
    pub fn from_env() -> Self {
        Self {
            disabled: std::env::var("DEVBOX_SYNC_VIA").is_ok_and(|v| v == "archive"),
            ..Self::default()
        }
    }

    /// Receivers off: every copy goes through the archive API.
    pub fn disabled(self) -> Self {
        Self {
            disabled: true,
            ..self
        }
    }

    /// Sends a frame to the container's receiver running as `user`. `None`: no receiver can
    /// run there (use the reference path); `Some(Err)`: the container's tar or rm refused this
    /// frame (its message), the receiver stays usable and the caller falls back for this batch.
    pub async fn send(
        &mut self,
        docker: &Docker,
        container: &str,
        name: &str,
        user: &str,
        frame: Frame<'_>,
    ) -> Option<Result<(), String>> {
        if self.disabled || self.unusable.contains(container) {
            return None;
        }
        // A receiver that worked before may have died with a restart: open it again once.
        for attempt in 0..2 {
            let reused = self.open.get(container).is_some_and(|r| r.user == user);
            if !reused {
                match Receiver::start(docker, container, user).await {
                    Ok(receiver) => {
                        self.open.insert(container.to_owned(), receiver);
                    }
                    Err(reason) => {
                        self.open.remove(container);
                        self.give_up(container, name, &reason);
                        return None;
                    }
                }
            }
            let receiver = self.open.get_mut(container)?;
            match receiver.send(frame).await {
                Reply::Ack { code: 0, .. } => return Some(Ok(())),
                Reply::Ack { code, stderr } => {
                    let op = frame.op();
                    return Some(Err(format!("{op} exit code {code}: {}", stderr.trim())));
                }
                Reply::Gone(reason) => {
                    self.open.remove(container);
                    if !reused || attempt == 1 {
                        self.give_up(container, name, &reason);
                        return None;
                    }
                }
            }
        }
        None
    }

    fn give_up(&mut self, container: &str, name: &str, reason: &str) {
        self.unusable.insert(container.to_owned());
        self.notes.push(format!(
            "{name}: syncing through the engine's archive API (about 100 ms a batch) because the fast receiver cannot run there: {reason}"
        ));
    }

    /// Why containers went to the archive API since the last call.
    pub fn take_notes(&mut self) -> Vec<String> {
        std::mem::take(&mut self.notes)
    }

    /// Forgets a container's receiver (it was removed or recreated).
    pub fn forget(&mut self, container: &str) {
        self.open.remove(container);
        self.unusable.remove(container);
    }
}

impl Receiver {
    /// Creates and starts the exec, then waits for `ready`; why not when it cannot run here.
    async fn start(docker: &Docker, container: &str, user: &str) -> Result<Receiver, String> {
        let options = CreateExecOptions {
            cmd: Some(vec!["sh".into(), "-c".into(), LOOP.into()]),
            user: Some(user.to_owned()),
            attach_stdin: Some(true),
            attach_stdout: Some(true),
            attach_stderr: Some(true),
            ..CreateExecOptions::default()
        };
        let exec = docker
            .create_exec(container, options)
            .await
            .map_err(|e| format!("creating the exec: {e}"))?;
        let StartExecResults::Attached { output, input } = docker
            .start_exec(&exec.id, None)
            .await
            .map_err(|e| format!("starting the exec: {e}"))?
        else {
            return Err("the engine did not attach the exec".into());
        };
        let mut receiver = Receiver {
            user: user.to_owned(),
            input,
            output,
            pending: Vec::new(),
            seq: 0,
        };
        let ready = tokio::time::timeout(START_TIMEOUT, receiver.first_line()).await;
        match ready {
            Ok(Ok(line)) if line == "ready" => Ok(receiver),
            Ok(Ok(line)) => Err(line.trim_start_matches("fatal ").to_owned()),
            Ok(Err(said)) => Err(said),
            Err(_) => Err(format!("no answer within {}s", START_TIMEOUT.as_secs())),
        }
    }

    /// Writes one frame and reads until its acknowledgement, both at once: a tar failing on
    /// every entry can print more than the pipes hold before the frame is fully written.
    async fn send(&mut self, frame: Frame<'_>) -> Reply {
        self.seq += 1;
        let seq = self.seq;
        let payload = frame.payload();
        let header = format!("{seq} {} {}\n", payload.len(), frame.op());
        // A generous bound: the engine extracts about 10 MB/s here even under load. Removing a
        // tree (a deleted node_modules) costs per file, not per byte of the frame.
        let limit = match frame {
            Frame::Tar(_) => {
                Duration::from_secs(10) + Duration::from_millis(payload.len() as u64 / 10_000)
            }
            Frame::Remove(_) => REMOVE_TIMEOUT,
        };
        let Receiver {
            input,
            output,
            pending,
            ..
        } = self;
        let write = async {
            input.write_all(header.as_bytes()).await?;
            input.write_all(&payload).await?;
            input.flush().await
        };
        let read = read_ack(output, pending, seq);
        match tokio::time::timeout(limit, async { tokio::join!(write, read) }).await {
            Ok((Ok(()), reply)) => reply,
            Ok((Err(err), _)) => Reply::Gone(format!("writing to the receiver: {err}")),
            Err(_) => Reply::Gone(format!("no acknowledgement within {}s", limit.as_secs())),
        }
    }

    /// The receiver's first line, or what it printed before ending (e.g. the runtime's
    /// "executable file not found" when the image has no `sh`).
    async fn first_line(&mut self) -> Result<String, String> {
        let mut stderr = String::new();
        match next_stdout_line(&mut self.output, &mut self.pending, &mut stderr).await {
            Some(line) => Ok(line),
            None => {
                let said = String::from_utf8_lossy(&self.pending).to_string() + &stderr;
                Err(match said.trim() {
                    "" => "the exec ended at once".to_owned(),
                    said => said.to_owned(),
                })
            }
        }
    }
}

/// Reads stdout lines until `ack <seq> <code>`; stderr is collected for the message.
async fn read_ack(output: &mut Output, pending: &mut Vec<u8>, seq: u64) -> Reply {
    let mut stderr = String::new();
    loop {
        let Some(line) = next_stdout_line(output, pending, &mut stderr).await else {
            return Reply::Gone(format!("the receiver ended: {}", stderr.trim()));
        };
        if let Some(reason) = line.strip_prefix("fatal ") {
            return Reply::Gone(reason.to_owned());
        }
        let mut parts = line.split_whitespace();
        if parts.next() != Some("ack") || parts.next() != Some(seq.to_string().as_str()) {
            continue;
        }
        let code = parts.next().and_then(|c| c.parse().ok()).unwrap_or(-1);
        return Reply::Ack { code, stderr };
    }
}

/// The next complete stdout line, or `None` when the stream ends or fails.
async fn next_stdout_line(
    output: &mut Output,
    pending: &mut Vec<u8>,
    stderr: &mut String,
) -> Option<String> {
    loop {
        if let Some(at) = pending.iter().position(|b| *b == b'\n') {
            let line: Vec<u8> = pending.drain(..=at).collect();
            return Some(String::from_utf8_lossy(&line).trim_end().to_owned());
        }
        if pending.len() > MAX_LINE {
            pending.clear();
            stderr.push_str("a stdout line longer than 64 KiB (not the receiver's)");
            return None;
        }
        match output.next().await? {
            Ok(LogOutput::StdOut { message }) | Ok(LogOutput::Console { message }) => {
                pending.extend_from_slice(&message);
            }
            Ok(LogOutput::StdErr { message }) => {
                // Keep the start of what tar said; a flood of errors need not be kept whole.
                if stderr.len() < 4096 {
                    stderr.push_str(&String::from_utf8_lossy(&message));
                }
            }
            Ok(LogOutput::StdIn { .. }) => {}
            Err(_) => return None,
        }
    }
}

/// The reply read from `chunks` as the engine delivers an exec's output (`0` stdout, `1`
/// stderr, anything else a TTY's console), for frame `seq`; `None` when the chunks end before
/// one. The way in for the fuzz target and the tests.
#[doc(hidden)]
pub fn reply_from_chunks(chunks: Vec<(u8, Vec<u8>)>, seq: u64) -> Option<Reply> {
    use futures_util::FutureExt;
    let items = chunks.into_iter().map(|(kind, bytes)| {
        let message = bytes.into();
        Ok(match kind {
            0 => LogOutput::StdOut { message },
            1 => LogOutput::StdErr { message },
            _ => LogOutput::Console { message },
        })
    });
    let mut output: Output = Box::pin(futures_util::stream::iter(items));
    let mut pending = Vec::new();
    read_ack(&mut output, &mut pending, seq).now_or_never()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acks_are_matched_by_sequence_and_errors_kept() {
        let chunks = vec![
            (0, b"ready\nack 1 0\nack 2".to_vec()),
            (1, b"tar: x: Cannot open".to_vec()),
            (0, b" 2\n".to_vec()),
        ];
        assert_eq!(
            reply_from_chunks(chunks, 2),
            Some(Reply::Ack {
                code: 2,
                stderr: "tar: x: Cannot open".into()
            })
        );
        let fatal = vec![(0, b"fatal no tar\n".to_vec())];
        assert_eq!(
            reply_from_chunks(fatal, 1),
            Some(Reply::Gone("no tar".into()))
        );
    }

    #[test]
    fn a_flood_without_newlines_ends_the_receiver_instead_of_growing() {
        let chunks: Vec<(u8, Vec<u8>)> = (0..64).map(|_| (0, vec![b'y'; 8192])).collect();
        match reply_from_chunks(chunks, 1) {
            Some(Reply::Gone(reason)) => assert!(reason.contains("longer than 64 KiB"), "{reason}"),
            other => panic!("{other:?}"),
        }
    }
}
