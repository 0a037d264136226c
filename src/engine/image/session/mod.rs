//! BuildKit build sessions, as the Docker CLI opens them: a `POST /session` upgraded to h2c on
//! its own connection to the engine, on which devbox serves gRPC (file sync and health) while
//! `POST /build?remote=client-session` runs. BuildKit then asks for the build context and the
//! Dockerfile's directory separately, so what `.dockerignore` excludes (the Dockerfile and the
//! ignore file included) never reaches the builder, and unchanged files are not sent again.

pub mod filesync;
mod tree;

use std::io;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::task::{Context, Poll};

use bollard::Docker;
use bollard_buildkit_proto::health::health_server::HealthServer;
use bollard_buildkit_proto::moby::filesync::v1::file_sync_server::FileSyncServer;
use bytes::Bytes;
use http_body_util::{BodyExt as _, Empty};
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::task::JoinHandle;

use crate::engine::connect::endpoint::Endpoint;
use crate::engine::connect::ssh::{self, SshTarget};
pub use filesync::{Dirs, Source};

/// Set to `tar` to send build contexts as one tar upload instead (engines or proxies that
/// refuse the session's connection upgrade).
pub const CONTEXT_ENV: &str = "DEVBOX_BUILD_CONTEXT";

/// How to open a second, raw connection to the engine the client talks to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dial {
    Unix(PathBuf),
    Tcp(String),
    Ssh(SshTarget),
}

impl Dial {
    /// `None` where devbox has no raw dialer (TLS, named pipes): builds then upload a tar.
    pub fn for_endpoint(endpoint: &Endpoint) -> Option<Dial> {
        let host = endpoint.host.as_str();
        if let Some(path) = host.strip_prefix("unix://") {
            return Some(Dial::Unix(PathBuf::from(path)));
        }
        if host.starts_with("ssh://") {
            return SshTarget::parse(host).map(Dial::Ssh);
        }
        if endpoint.tls.is_some() {
            return None;
        }
        let rest = host
            .strip_prefix("tcp://")
            .or_else(|| host.strip_prefix("http://"))?;
        Some(Dial::Tcp(rest.trim_end_matches('/').to_owned()))
    }

    /// The dialer for the engine `docker` reaches when it can serve a session: a Docker engine
    /// (Podman builds with Buildah and has no session endpoint), with `DEVBOX_BUILD_CONTEXT`
    /// not set to `tar`.
    pub async fn for_builds(docker: &Docker) -> Option<Dial> {
        if std::env::var(CONTEXT_ENV).is_ok_and(|v| v.eq_ignore_ascii_case("tar")) {
            return None;
        }
        let version = docker.version().await.ok()?;
        let podman = version
            .components
            .iter()
            .flatten()
            .any(|c| c.name.to_ascii_lowercase().contains("podman"));
        if podman {
            return None;
        }
        let endpoint = crate::engine::connect::client::resolve_endpoint().ok()?;
        Dial::for_endpoint(&endpoint)
    }

    async fn open(&self) -> io::Result<Box<dyn RawIo>> {
        Ok(match self {
            Dial::Unix(path) => Box::new(tokio::net::UnixStream::connect(path).await?),
            Dial::Tcp(addr) => Box::new(tokio::net::TcpStream::connect(addr.as_str()).await?),
            Dial::Ssh(target) => Box::new(ssh::dial(target)?),
        })
    }
}

trait RawIo: AsyncRead + AsyncWrite + Send + Unpin {}
impl<T: AsyncRead + AsyncWrite + Send + Unpin> RawIo for T {}

/// Why a session could not be opened; the build then falls back to a tar upload.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error("cannot connect to the engine for a build session: {0}")]
    Connect(io::Error),
    #[error("the engine's /session endpoint failed: {0}")]
    Http(#[from] hyper::Error),
    #[error("the engine refused the build session ({status}): {body}")]
    Refused { status: u16, body: String },
}

/// A running session; dropping it closes the connection, which ends it on the engine too.
pub struct Session {
    pub id: String,
    task: JoinHandle<()>,
}

impl Drop for Session {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The session's methods, as the engine must be told them up front.
const METHODS: [&str; 2] = [
    "/moby.filesync.v1.FileSync/DiffCopy",
    "/grpc.health.v1.Health/Check",
];

/// Opens a session serving `dirs`. `shared_key` scopes BuildKit's cache of earlier transfers
/// (the CLI uses a hash of the context directory), so a rebuild sends only changed files.
pub async fn start(dial: &Dial, dirs: Dirs, shared_key: &str) -> Result<Session, SessionError> {
    let stream = dial.open().await.map_err(SessionError::Connect)?;
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(SessionError::Http)?;
    tokio::spawn(connection.with_upgrades());
    let id = session_id();
    let mut request = hyper::Request::post("/session")
        .header(hyper::header::HOST, "docker")
        .header(hyper::header::CONNECTION, "Upgrade")
        .header(hyper::header::UPGRADE, "h2c")
        .header("X-Docker-Expose-Session-Uuid", id.as_str())
        .header("X-Docker-Expose-Session-Name", "devbox")
        .header("X-Docker-Expose-Session-Sharedkey", shared_key);
    for method in METHODS {
        request = request.header("X-Docker-Expose-Session-Grpc-Method", method);
    }
    let request = request
        .body(Empty::<Bytes>::new())
        .map_err(|e| SessionError::Connect(io::Error::other(e)))?;
    let response = sender.send_request(request).await?;
    let status = response.status();
    if status != hyper::StatusCode::SWITCHING_PROTOCOLS {
        let body = response
            .into_body()
            .collect()
            .await
            .map(|b| String::from_utf8_lossy(&b.to_bytes()).trim().to_owned())
            .unwrap_or_default();
        return Err(SessionError::Refused {
            status: status.as_u16(),
            body,
        });
    }
    let upgraded = hyper::upgrade::on(response).await?;
    let conn = Conn(TokioIo::new(upgraded));
    let task = tokio::spawn(async move {
        // Ends when the engine closes the session or the build drops it; either way the
        // build's own stream reports what went wrong.
        let _ = tonic::transport::Server::builder()
            .add_service(HealthServer::new(filesync::Alive))
            .add_service(FileSyncServer::new(dirs))
            .serve_with_incoming(futures_util::stream::iter([Ok::<_, io::Error>(conn)]))
            .await;
    });
    Ok(Session { id, task })
}

fn session_id() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNT: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!(
        "devbox{:x}{:x}{:x}",
        nanos,
        std::process::id(),
        COUNT.fetch_add(1, Ordering::Relaxed)
    )
}

/// The shared key for a context directory: stable across runs, distinct between projects.
pub fn shared_key(context: &Path) -> String {
    use sha2::Digest as _;
    let path = std::fs::canonicalize(context).unwrap_or_else(|_| context.to_path_buf());
    let digest = sha2::Sha256::digest(path.to_string_lossy().as_bytes());
    hex::encode(&digest[..16])
}

/// The upgraded connection, as tonic's server takes it.
struct Conn(TokioIo<hyper::upgrade::Upgraded>);

impl tonic::transport::server::Connected for Conn {
    type ConnectInfo = ();
    fn connect_info(&self) -> Self::ConnectInfo {}
}

impl AsyncRead for Conn {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_read(cx, buf)
    }
}

impl AsyncWrite for Conn {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.0).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_shutdown(cx)
    }
}
