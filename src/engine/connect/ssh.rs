//! A remote engine over SSH, as the Docker CLI reaches one: each connection is an `ssh` process
//! running `docker system dial-stdio` on the host, its stdin and stdout carrying the HTTP
//! exchange (upgrades for exec and attach included). `ssh://[user@]host[:port]`; the port and
//! user go to ssh as `-p` and `-l`, never glued to the host.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::process::Stdio;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bollard::{BollardRequest, ClientVersion, Docker};
use bytes::Bytes;
use http_body_util::{Either, Full, StreamBody};
use hyper::body::Frame;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::{Connected, Connection};
use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};

/// Where an `ssh://` endpoint points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SshTarget {
    pub user: Option<String>,
    pub host: String,
    pub port: Option<u16>,
}

/// Extra `ssh` arguments for every connection (`-i ~/.ssh/build_key`, `-F file`), split on
/// whitespace; for what `~/.ssh/config` cannot say per project.
pub const SSH_OPTS_ENV: &str = "DEVBOX_SSH_OPTS";

impl SshTarget {
    /// Parses `ssh://[user@]host[:port][/]`, with `[v6]` hosts; `None` when it is no such URL.
    pub fn parse(url: &str) -> Option<SshTarget> {
        let rest = url.strip_prefix("ssh://")?.trim_end_matches('/');
        let (user, hostport) = match rest.rsplit_once('@') {
            Some((user, hostport)) if !user.is_empty() => (Some(user.to_owned()), hostport),
            Some(_) => return None,
            None => (None, rest),
        };
        let (host, port) = if let Some(v6) = hostport.strip_prefix('[') {
            let (host, after) = v6.split_once(']')?;
            match after.strip_prefix(':') {
                Some(port) => (host, Some(port.parse().ok()?)),
                None if after.is_empty() => (host, None),
                None => return None,
            }
        } else {
            match hostport.rsplit_once(':') {
                Some((host, port)) => (host, Some(port.parse().ok()?)),
                None => (hostport, None),
            }
        };
        if host.is_empty() || host.contains(['/', ' ']) {
            return None;
        }
        Some(SshTarget {
            user,
            host: host.to_owned(),
            port,
        })
    }

    /// `ssh` with this target's options, ready for the remote command.
    pub fn command(&self, remote: &[&str]) -> Command {
        let mut command = Command::new("ssh");
        command.args(self.args(false)).args(remote);
        command.kill_on_drop(true);
        command
    }

    /// `ssh`'s arguments up to the host: options, user, port, `DEVBOX_SSH_OPTS`; with `tty`,
    /// `-t` for an interactive remote command (the dashboard's shell).
    pub fn args(&self, tty: bool) -> Vec<String> {
        // BatchMode: a password or host-key prompt would land on the dashboard's screen and
        // hang; ssh fails instead, and `diagnose` says why.
        let mut args: Vec<String> = ["-o", "BatchMode=yes", "-o", "ConnectTimeout=15"]
            .map(str::to_owned)
            .into();
        if tty {
            args.push("-t".to_owned());
        }
        if let Some(user) = &self.user {
            args.extend(["-l".to_owned(), user.clone()]);
        }
        if let Some(port) = self.port {
            args.extend(["-p".to_owned(), port.to_string()]);
        }
        if let Ok(extra) = std::env::var(SSH_OPTS_ENV) {
            args.extend(extra.split_whitespace().map(str::to_owned));
        }
        args.extend(["--".to_owned(), self.host.clone()]);
        args
    }
}

/// The request body bollard hands a custom transport (bollard's own `BodyType`).
type Body = Either<
    Full<Bytes>,
    StreamBody<Pin<Box<dyn futures_util::Stream<Item = Result<Frame<Bytes>, io::Error>> + Send>>>,
>;

/// Opens a client for `host` (`ssh://…`); nothing is spawned until the first request.
pub fn open(
    host: &str,
    timeout_secs: u64,
    version: &ClientVersion,
) -> Result<Docker, bollard::errors::Error> {
    let target = SshTarget::parse(host).ok_or_else(|| {
        bollard::errors::Error::UnsupportedURISchemeError {
            uri: host.to_owned(),
        }
    })?;
    let client: Client<DialStdio, Body> = Client::builder(TokioExecutor::new())
        // An idle ssh process per pooled connection is cheap, but not for ever.
        .pool_idle_timeout(Duration::from_secs(60))
        .build(DialStdio {
            target: Arc::new(target),
        });
    Docker::connect_with_custom_transport(
        move |request: BollardRequest| {
            let client = client.clone();
            async move { Ok(client.request(request).await?) }
        },
        Some(host),
        timeout_secs,
        version,
    )
}

/// Connects by spawning `ssh … docker system dial-stdio`.
#[derive(Clone)]
struct DialStdio {
    target: Arc<SshTarget>,
}

impl tower_service::Service<hyper::Uri> for DialStdio {
    type Response = TokioIo<SshStream>;
    type Error = io::Error;
    type Future = Pin<Box<dyn Future<Output = io::Result<Self::Response>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, _: hyper::Uri) -> Self::Future {
        let target = self.target.clone();
        Box::pin(async move { dial(&target).map(TokioIo::new) })
    }
}

/// One raw connection to the remote engine's socket: `ssh … docker system dial-stdio`.
pub fn dial(target: &SshTarget) -> io::Result<SshStream> {
    let mut child = target
        .command(&["docker", "system", "dial-stdio"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        // Failures are explained by `diagnose`; ssh's chatter must not reach a TUI.
        .stderr(Stdio::null())
        .spawn()
        .map_err(|err| io::Error::new(err.kind(), format!("cannot run ssh: {err}")))?;
    let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
        return Err(io::Error::other("ssh started without its pipes"));
    };
    Ok(SshStream {
        _child: child,
        stdin: Some(stdin),
        stdout,
    })
}

/// One connection: the ssh process's pipes; dropping it kills the process.
pub struct SshStream {
    _child: Child,
    /// `None` once shut down: closing the pipe is what tells the remote side "end of input"
    /// (an exec's stdin reaching EOF); a child's stdin has no shutdown of its own.
    stdin: Option<ChildStdin>,
    stdout: ChildStdout,
}

impl SshStream {
    fn stdin(&mut self) -> io::Result<Pin<&mut ChildStdin>> {
        self.stdin
            .as_mut()
            .map(Pin::new)
            .ok_or_else(|| io::ErrorKind::BrokenPipe.into())
    }
}

impl AsyncRead for SshStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stdout).poll_read(cx, buf)
    }
}

impl AsyncWrite for SshStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.stdin()?.poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.stdin.as_mut() {
            Some(stdin) => Pin::new(stdin).poll_flush(cx),
            None => Poll::Ready(Ok(())),
        }
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if let Some(stdin) = self.stdin.as_mut() {
            std::task::ready!(Pin::new(stdin).poll_flush(cx))?;
        }
        self.stdin = None;
        Poll::Ready(Ok(()))
    }
}

impl Connection for SshStream {
    fn connected(&self) -> Connected {
        Connected::new()
    }
}

/// Why an ssh endpoint does not answer, found by running `docker version` over the same ssh:
/// ssh's own message (no key, unknown host key, refused, unresolvable) or the remote side's.
pub async fn diagnose(target: &SshTarget) -> (String, String) {
    let run = target
        .command(&["docker", "version", "--format", "{{.Server.Version}}"])
        .stdin(Stdio::null())
        .output();
    let output = match tokio::time::timeout(Duration::from_secs(30), run).await {
        Err(_) => {
            return (
                "ssh gave no answer within 30 s".to_owned(),
                "check that the host is up and reachable on its ssh port".to_owned(),
            );
        }
        Ok(Err(err)) => {
            return (
                format!("cannot run ssh: {err}"),
                "install an OpenSSH client (`apt-get install openssh-client`)".to_owned(),
            );
        }
        Ok(Ok(output)) => output,
    };
    let stderr = String::from_utf8_lossy(&output.stderr);
    let message = stderr
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("Warning: Permanently added"))
        .collect::<Vec<_>>()
        .join(" ");
    let at = match (&target.user, target.port) {
        (Some(user), Some(port)) => format!("{user}@{} port {port}", target.host),
        (Some(user), None) => format!("{user}@{}", target.host),
        (None, Some(port)) => format!("{} port {port}", target.host),
        (None, None) => target.host.clone(),
    };
    let fix = if message.contains("Permission denied") {
        format!(
            "ssh to {at} has no usable key: add your public key to the host's ~/.ssh/authorized_keys and load it (`ssh-add`), or name it in {SSH_OPTS_ENV}=\"-i KEY\""
        )
    } else if message.contains("Host key verification failed") {
        format!(
            "the host key of {at} is unknown or changed: connect once with `ssh {}` to check and accept it",
            at.replace(" port ", " -p ")
        )
    } else if message.contains("Connection refused") {
        format!("nothing accepts ssh at {at}: start sshd there, or fix the port")
    } else if message.contains("Could not resolve") {
        "fix the host name in DOCKER_HOST or the docker context".to_owned()
    } else if message.contains("docker: command not found") || message.contains("not found") {
        format!(
            "ssh works, but {at} has no `docker` CLI on its PATH; install it there (dial-stdio needs it)"
        )
    } else if output.status.success() {
        "ssh and the remote engine answer now; try again".to_owned()
    } else {
        format!(
            "run `ssh {} docker version` to see the failure",
            at.replace(" port ", " -p ")
        )
    };
    let message = if message.is_empty() {
        format!("ssh exited with {}", output.status)
    } else {
        message
    };
    (format!("ssh to {at}: {message}"), fix)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(user: Option<&str>, host: &str, port: Option<u16>) -> Option<SshTarget> {
        Some(SshTarget {
            user: user.map(str::to_owned),
            host: host.to_owned(),
            port,
        })
    }

    #[test]
    fn the_port_and_user_are_their_own_words() {
        assert_eq!(
            SshTarget::parse("ssh://me@127.0.0.1:2222"),
            t(Some("me"), "127.0.0.1", Some(2222))
        );
        assert_eq!(SshTarget::parse("ssh://box"), t(None, "box", None));
        assert_eq!(SshTarget::parse("ssh://box/"), t(None, "box", None));
        assert_eq!(
            SshTarget::parse("ssh://u@[::1]:22"),
            t(Some("u"), "::1", Some(22))
        );
        assert_eq!(SshTarget::parse("ssh://[::1]"), t(None, "::1", None));
        assert_eq!(SshTarget::parse("ssh://box:notaport"), None);
        assert_eq!(SshTarget::parse("ssh://@box"), None);
        assert_eq!(SshTarget::parse("tcp://box:22"), None);
        let args: Vec<String> = SshTarget::parse("ssh://me@h:2222")
            .unwrap()
            .command(&["docker", "system", "dial-stdio"])
            .as_std()
            .get_args()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        let tail = &args[args.len() - 9..];
        assert_eq!(
            tail,
            [
                "-l",
                "me",
                "-p",
                "2222",
                "--",
                "h",
                "docker",
                "system",
                "dial-stdio"
            ]
        );
    }
}
