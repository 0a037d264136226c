//! Connecting to the engine: resolve the endpoint, open a bollard client, ping it with a short
//! timeout, negotiate the API version, and turn every failure into one message that says which
//! endpoint was tried, why it failed and what to do.

use std::path::PathBuf;
use std::time::Duration;

use bollard::{API_DEFAULT_VERSION, Docker};

use super::endpoint::{self, Endpoint, EndpointError, Inputs};

/// How long a request may wait for response headers. Streams (logs, events) are not cut by it:
/// bollard applies it only to the wait for headers.
const REQUEST_TIMEOUT_SECS: u64 = 120;
/// How long the first ping may take before the engine counts as unreachable.
const PING_TIMEOUT: Duration = Duration::from_secs(3);
/// Over ssh the first ping includes the ssh handshake and starting the remote `docker`.
const SSH_PING_TIMEOUT: Duration = Duration::from_secs(20);

/// A connected engine: the client, where it points and the API version both sides speak.
#[derive(Debug, Clone)]
pub struct Engine {
    pub docker: Docker,
    pub endpoint: Endpoint,
    pub api_version: String,
}

/// Why the engine could not be reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    SocketMissing(PathBuf),
    PermissionDenied(PathBuf),
    Refused,
    Tls(String),
    Timeout,
    Api(String),
    Client(String),
    /// An `ssh://` endpoint failed: ssh's (or the remote side's) message, and what to do.
    Ssh {
        message: String,
        fix: String,
    },
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::SocketMissing(path) => write!(f, "the socket {} does not exist", path.display()),
            Self::PermissionDenied(path) => {
                write!(f, "permission denied on {}", path.display())
            }
            Self::Refused => write!(f, "the connection was refused (nothing listens there)"),
            Self::Tls(msg) => write!(f, "TLS failed: {msg}"),
            Self::Timeout => write!(f, "no answer within {} s", PING_TIMEOUT.as_secs()),
            Self::Api(msg) => write!(f, "the engine answered with an error: {msg}"),
            Self::Client(msg) => write!(f, "the client could not be set up: {msg}"),
            Self::Ssh { message, .. } => write!(f, "{message}"),
        }
    }
}

impl Reason {
    /// One line that tells the user what to do about this reason.
    pub fn fix(&self) -> String {
        match self {
            Self::SocketMissing(_) | Self::Refused | Self::Timeout => {
                "start the Docker engine (`sudo systemctl start docker`, `sudo dockerd &`, or open Docker Desktop / colima), or point DOCKER_HOST / `docker context use` at a running one".into()
            }
            Self::PermissionDenied(_) => {
                "add yourself to the docker group (`sudo usermod -aG docker $USER`, then log in again) or use a rootless engine".into()
            }
            Self::Tls(_) => {
                "check DOCKER_CERT_PATH holds ca.pem, cert.pem and key.pem for this host, or the context's TLS files".into()
            }
            Self::Api(_) => "check the engine's logs (`journalctl -u docker`)".into(),
            Self::Client(_) => "check the endpoint address and the certificate files it names".into(),
            Self::Ssh { fix, .. } => fix.clone(),
        }
    }
}

/// The engine could not be reached or the endpoint could not be resolved.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ConnectError {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Endpoint(#[from] EndpointError),
    #[error("cannot reach the Docker engine at {host} (from {source_name}): {reason}")]
    #[diagnostic(code(devbox::engine::unreachable), help("{fix}"))]
    Unreachable {
        host: String,
        source_name: String,
        reason: Reason,
        fix: String,
    },
}

impl ConnectError {
    fn unreachable(endpoint: &Endpoint, reason: Reason) -> Self {
        let fix = reason.fix();
        Self::Unreachable {
            host: endpoint.host.clone(),
            source_name: endpoint.source.to_string(),
            reason,
            fix,
        }
    }
}

/// Resolves the endpoint from this process's environment and the docker CLI config.
pub fn resolve_endpoint() -> Result<Endpoint, EndpointError> {
    let env = |name: &str| std::env::var(name).ok();
    let config_dir = endpoint::docker_config_dir(&env);
    endpoint::resolve(&Inputs {
        env: &env,
        config_dir,
    })
}

/// Resolves the endpoint and connects to it.
pub async fn connect() -> Result<Engine, ConnectError> {
    let endpoint = resolve_endpoint()?;
    connect_to(endpoint).await
}

/// Connects to a resolved endpoint, pings it and negotiates the API version.
pub async fn connect_to(endpoint: Endpoint) -> Result<Engine, ConnectError> {
    if let Some(reason) = probe_unix_socket(&endpoint.host) {
        return Err(ConnectError::unreachable(&endpoint, reason));
    }
    let docker = open(&endpoint).map_err(|err| {
        let reason = match &endpoint.tls {
            Some(_) => Reason::Tls(err.to_string()),
            None => Reason::Client(err.to_string()),
        };
        ConnectError::unreachable(&endpoint, reason)
    })?;
    let ssh = super::ssh::SshTarget::parse(&endpoint.host);
    let wait = if ssh.is_some() {
        SSH_PING_TIMEOUT
    } else {
        PING_TIMEOUT
    };
    let failure = match tokio::time::timeout(wait, docker.ping()).await {
        Err(_) => Some(Reason::Timeout),
        Ok(Err(err)) => Some(classify(&err, endpoint.tls.is_some())),
        Ok(Ok(_)) => None,
    };
    if let Some(reason) = failure {
        // The HTTP error over a dead ssh pipe says nothing ("connection closed"): ask ssh.
        let reason = match &ssh {
            Some(target) => {
                let (message, fix) = super::ssh::diagnose(target).await;
                Reason::Ssh { message, fix }
            }
            None => reason,
        };
        return Err(ConnectError::unreachable(&endpoint, reason));
    }
    let docker = docker
        .negotiate_version()
        .await
        .map_err(|err| ConnectError::unreachable(&endpoint, Reason::Api(err.to_string())))?;
    let api_version = docker.client_version().to_string();
    Ok(Engine {
        docker,
        endpoint,
        api_version,
    })
}

fn open(endpoint: &Endpoint) -> Result<Docker, bollard::errors::Error> {
    let host = endpoint.host.as_str();
    if host.starts_with("unix://") || host.starts_with("npipe://") {
        return Docker::connect_with_local(host, REQUEST_TIMEOUT_SECS, API_DEFAULT_VERSION);
    }
    if host.starts_with("ssh://") {
        return super::ssh::open(host, REQUEST_TIMEOUT_SECS, API_DEFAULT_VERSION);
    }
    match &endpoint.tls {
        Some(tls) => Docker::connect_with_ssl(
            host,
            &tls.key,
            &tls.cert,
            &tls.ca,
            REQUEST_TIMEOUT_SECS,
            API_DEFAULT_VERSION,
        ),
        None => Docker::connect_with_http(host, REQUEST_TIMEOUT_SECS, API_DEFAULT_VERSION),
    }
}

/// For a unix socket, a plain connect tells missing, permission and refused apart precisely,
/// which the HTTP client's error chain does not.
fn probe_unix_socket(host: &str) -> Option<Reason> {
    let path = PathBuf::from(host.strip_prefix("unix://")?);
    #[cfg(unix)]
    {
        match std::os::unix::net::UnixStream::connect(&path) {
            Ok(_) => None,
            Err(err) => Some(match err.kind() {
                std::io::ErrorKind::NotFound => Reason::SocketMissing(path),
                std::io::ErrorKind::PermissionDenied => Reason::PermissionDenied(path),
                std::io::ErrorKind::ConnectionRefused => Reason::Refused,
                _ => Reason::Client(format!("{}: {err}", path.display())),
            }),
        }
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

fn classify(err: &bollard::errors::Error, tls: bool) -> Reason {
    let text = error_chain(err);
    let lower = text.to_lowercase();
    if lower.contains("connection refused") {
        Reason::Refused
    } else if lower.contains("permission denied") {
        Reason::PermissionDenied(PathBuf::new())
    } else if tls
        && (lower.contains("certificate") || lower.contains("tls") || lower.contains("handshake"))
    {
        Reason::Tls(text)
    } else if matches!(
        err,
        bollard::errors::Error::DockerResponseServerError { .. }
    ) {
        Reason::Api(text)
    } else {
        Reason::Client(text)
    }
}

/// The error and all its sources on one line: hyper hides the useful part in the chain.
fn error_chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(inner) = source {
        let part = inner.to_string();
        if !text.contains(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
        source = inner.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::connect::endpoint::EndpointSource;

    fn endpoint(host: &str) -> Endpoint {
        Endpoint {
            host: host.into(),
            context: "default".into(),
            source: EndpointSource::DockerHostEnv,
            tls: None,
        }
    }

    #[tokio::test]
    async fn missing_socket_is_named_with_a_fix() {
        let err = connect_to(endpoint("unix:///nonexistent/devbox-test.sock"))
            .await
            .unwrap_err();
        let text = err.to_string();
        assert!(text.contains("/nonexistent/devbox-test.sock"), "{text}");
        assert!(text.contains("does not exist"), "{text}");
        assert!(text.contains("DOCKER_HOST"), "{text}");
    }

    #[tokio::test]
    async fn refused_tcp_is_reported_as_refused() {
        // Port 1 on loopback: nothing listens there on a test machine.
        let err = connect_to(endpoint("tcp://127.0.0.1:1")).await.unwrap_err();
        match err {
            ConnectError::Unreachable { reason, .. } => {
                assert!(
                    matches!(reason, Reason::Refused | Reason::Client(_)),
                    "{reason:?}"
                )
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}
