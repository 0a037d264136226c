//! Which engine endpoint to use, resolved the way the docker CLI does it: `DOCKER_HOST`, then
//! `DOCKER_CONTEXT`, then `currentContext` in the CLI config file, then the default socket.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// The socket the docker CLI falls back to when nothing else is configured.
pub const DEFAULT_HOST: &str = "unix:///var/run/docker.sock";

/// Where the endpoint came from, so messages can say which setting to change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndpointSource {
    DockerHostEnv,
    DockerContextEnv,
    ConfigCurrentContext { config: PathBuf },
    Default,
}

impl std::fmt::Display for EndpointSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::DockerHostEnv => write!(f, "DOCKER_HOST"),
            Self::DockerContextEnv => write!(f, "DOCKER_CONTEXT"),
            Self::ConfigCurrentContext { config } => {
                write!(f, "currentContext in {}", config.display())
            }
            Self::Default => write!(f, "the default socket"),
        }
    }
}

/// Client certificates for a TLS endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsFiles {
    pub ca: PathBuf,
    pub cert: PathBuf,
    pub key: PathBuf,
}

/// A resolved engine endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// `unix:///path`, `tcp://host:port`, `ssh://user@host` or `npipe://...`.
    pub host: String,
    /// The docker context name (`default` when none is selected).
    pub context: String,
    pub source: EndpointSource,
    /// Present when the endpoint is reached over TLS.
    pub tls: Option<TlsFiles>,
}

/// A setting that points nowhere usable.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum EndpointError {
    #[error("docker context {name:?} (from {source_name}) does not exist: no {}", path.display())]
    #[diagnostic(help(
        "list contexts with `docker context ls`, then select one with `docker context use NAME` or unset DOCKER_CONTEXT"
    ))]
    UnknownContext {
        name: String,
        source_name: String,
        path: PathBuf,
    },
    #[error("could not read {}: {reason}", path.display())]
    #[diagnostic(help("fix or remove the file; the docker CLI reads it too"))]
    BadFile { path: PathBuf, reason: String },
    #[error("{source_name} is set to {value:?}, which is not a docker host address")]
    #[diagnostic(help(
        "use unix:///path/to/docker.sock, tcp://host:2375, tcp://host:2376 with DOCKER_TLS_VERIFY=1, or ssh://user@host"
    ))]
    BadHost { source_name: String, value: String },
}

/// The environment and files resolution reads, passed in so tests can supply their own.
pub struct Inputs<'a> {
    pub env: &'a dyn Fn(&str) -> Option<String>,
    /// The docker CLI config directory (`$DOCKER_CONFIG`, else `~/.docker`).
    pub config_dir: Option<PathBuf>,
}

impl Inputs<'_> {
    fn var(&self, name: &str) -> Option<String> {
        (self.env)(name).filter(|v| !v.is_empty())
    }
}

/// The config directory the docker CLI uses: `$DOCKER_CONFIG`, else `$HOME/.docker`.
pub fn docker_config_dir(env: &dyn Fn(&str) -> Option<String>) -> Option<PathBuf> {
    if let Some(dir) = env("DOCKER_CONFIG").filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    directories::BaseDirs::new().map(|dirs| dirs.home_dir().join(".docker"))
}

/// Resolves the endpoint in the docker CLI's order of precedence.
pub fn resolve(inputs: &Inputs<'_>) -> Result<Endpoint, EndpointError> {
    if let Some(host) = inputs.var("DOCKER_HOST") {
        validate_host(&host, "DOCKER_HOST")?;
        let tls = tls_from_env(inputs, &host);
        return Ok(Endpoint {
            host,
            context: "default".into(),
            source: EndpointSource::DockerHostEnv,
            tls,
        });
    }
    if let Some(name) = inputs.var("DOCKER_CONTEXT") {
        return from_context(inputs, &name, EndpointSource::DockerContextEnv);
    }
    if let Some(dir) = &inputs.config_dir {
        let config = dir.join("config.json");
        if let Some(name) = current_context(&config)? {
            let source = EndpointSource::ConfigCurrentContext { config };
            return from_context(inputs, &name, source);
        }
    }
    Ok(Endpoint {
        host: DEFAULT_HOST.into(),
        context: "default".into(),
        source: EndpointSource::Default,
        tls: None,
    })
}

fn validate_host(host: &str, source_name: &str) -> Result<(), EndpointError> {
    const SCHEMES: [&str; 6] = [
        "unix://", "tcp://", "http://", "https://", "ssh://", "npipe://",
    ];
    if SCHEMES
        .iter()
        .any(|s| host.starts_with(s) && host.len() > s.len())
    {
        Ok(())
    } else {
        Err(EndpointError::BadHost {
            source_name: source_name.into(),
            value: host.into(),
        })
    }
}

/// `DOCKER_TLS_VERIFY` (any non-empty value) turns TLS on, with certificates from
/// `DOCKER_CERT_PATH` or the config dir, as the docker CLI does.
fn tls_from_env(inputs: &Inputs<'_>, host: &str) -> Option<TlsFiles> {
    let wants_tls = inputs.var("DOCKER_TLS_VERIFY").is_some() || host.starts_with("https://");
    if !wants_tls || !(host.starts_with("tcp://") || host.starts_with("https://")) {
        return None;
    }
    let dir = inputs
        .var("DOCKER_CERT_PATH")
        .map(PathBuf::from)
        .or_else(|| inputs.config_dir.clone())?;
    Some(tls_files_in(&dir))
}

fn tls_files_in(dir: &Path) -> TlsFiles {
    TlsFiles {
        ca: dir.join("ca.pem"),
        cert: dir.join("cert.pem"),
        key: dir.join("key.pem"),
    }
}

fn current_context(config: &Path) -> Result<Option<String>, EndpointError> {
    let text = match std::fs::read_to_string(config) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(err) => {
            return Err(EndpointError::BadFile {
                path: config.into(),
                reason: err.to_string(),
            });
        }
    };
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|err| EndpointError::BadFile {
            path: config.into(),
            reason: err.to_string(),
        })?;
    Ok(value
        .get("currentContext")
        .and_then(|v| v.as_str())
        .filter(|name| !name.is_empty())
        .map(str::to_owned))
}

/// The directory name the docker CLI stores a context under: the hex SHA-256 of its name.
pub fn context_dir_name(name: &str) -> String {
    hex::encode(Sha256::digest(name.as_bytes()))
}

fn from_context(
    inputs: &Inputs<'_>,
    name: &str,
    source: EndpointSource,
) -> Result<Endpoint, EndpointError> {
    if name == "default" {
        return Ok(Endpoint {
            host: DEFAULT_HOST.into(),
            context: "default".into(),
            source,
            tls: None,
        });
    }
    let base = inputs
        .config_dir
        .clone()
        .unwrap_or_default()
        .join("contexts");
    let id = context_dir_name(name);
    let meta = base.join("meta").join(&id).join("meta.json");
    let text = std::fs::read_to_string(&meta).map_err(|_| EndpointError::UnknownContext {
        name: name.into(),
        source_name: source.to_string(),
        path: meta.clone(),
    })?;
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|err| EndpointError::BadFile {
            path: meta.clone(),
            reason: err.to_string(),
        })?;
    let docker = value.pointer("/Endpoints/docker");
    let host = docker
        .and_then(|d| d.get("Host"))
        .and_then(|h| h.as_str())
        .unwrap_or(DEFAULT_HOST)
        .to_owned();
    validate_host(&host, &format!("context {name:?}"))?;
    let skip_verify = docker
        .and_then(|d| d.get("SkipTLSVerify"))
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    let tls_dir = base.join("tls").join(&id).join("docker");
    let tls = (!skip_verify && tls_dir.join("ca.pem").exists()).then(|| tls_files_in(&tls_dir));
    Ok(Endpoint {
        host,
        context: name.into(),
        source,
        tls,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn resolve_with(vars: &[(&str, &str)], config_dir: Option<PathBuf>) -> Endpoint {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let env = move |k: &str| map.get(k).cloned();
        resolve(&Inputs {
            env: &env,
            config_dir,
        })
        .unwrap()
    }

    fn write_context(dir: &Path, name: &str, host: &str) {
        let meta = dir.join("contexts/meta").join(context_dir_name(name));
        std::fs::create_dir_all(&meta).unwrap();
        let body = serde_json::json!({"Name": name, "Endpoints": {"docker": {"Host": host, "SkipTLSVerify": false}}});
        std::fs::write(meta.join("meta.json"), body.to_string()).unwrap();
    }

    #[test]
    fn docker_host_wins_over_contexts() {
        let dir = tempfile::tempdir().unwrap();
        write_context(dir.path(), "remote", "tcp://10.0.0.1:2375");
        let ep = resolve_with(
            &[
                ("DOCKER_HOST", "unix:///tmp/d.sock"),
                ("DOCKER_CONTEXT", "remote"),
            ],
            Some(dir.path().into()),
        );
        assert_eq!(ep.host, "unix:///tmp/d.sock");
        assert_eq!(ep.source, EndpointSource::DockerHostEnv);
    }

    #[test]
    fn tls_verify_uses_cert_path() {
        let ep = resolve_with(
            &[
                ("DOCKER_HOST", "tcp://h:2376"),
                ("DOCKER_TLS_VERIFY", "1"),
                ("DOCKER_CERT_PATH", "/certs"),
            ],
            None,
        );
        assert_eq!(ep.tls.unwrap().ca, PathBuf::from("/certs/ca.pem"));
    }

    #[test]
    fn context_env_reads_meta_by_sha256() {
        let dir = tempfile::tempdir().unwrap();
        write_context(dir.path(), "colima", "unix:///home/u/.colima/docker.sock");
        let ep = resolve_with(&[("DOCKER_CONTEXT", "colima")], Some(dir.path().into()));
        assert_eq!(ep.host, "unix:///home/u/.colima/docker.sock");
        assert_eq!(ep.context, "colima");
    }

    #[test]
    fn current_context_from_config_file() {
        let dir = tempfile::tempdir().unwrap();
        write_context(dir.path(), "desktop-linux", "unix:///run/desktop.sock");
        std::fs::write(
            dir.path().join("config.json"),
            r#"{"currentContext":"desktop-linux"}"#,
        )
        .unwrap();
        let ep = resolve_with(&[], Some(dir.path().into()));
        assert_eq!(ep.host, "unix:///run/desktop.sock");
        assert!(matches!(
            ep.source,
            EndpointSource::ConfigCurrentContext { .. }
        ));
    }

    #[test]
    fn nothing_configured_means_default_socket() {
        let dir = tempfile::tempdir().unwrap();
        let ep = resolve_with(&[], Some(dir.path().into()));
        assert_eq!(ep.host, DEFAULT_HOST);
        assert_eq!(ep.source, EndpointSource::Default);
    }

    #[test]
    fn unknown_context_names_the_missing_file() {
        let dir = tempfile::tempdir().unwrap();
        let env = |k: &str| (k == "DOCKER_CONTEXT").then(|| "ghost".to_string());
        let err = resolve(&Inputs {
            env: &env,
            config_dir: Some(dir.path().into()),
        })
        .unwrap_err();
        assert!(err.to_string().contains("ghost"), "{err}");
        assert!(err.to_string().contains("meta.json"), "{err}");
    }

    #[test]
    fn garbage_docker_host_is_rejected() {
        let env = |k: &str| (k == "DOCKER_HOST").then(|| "localhost:2375".to_string());
        let err = resolve(&Inputs {
            env: &env,
            config_dir: None,
        })
        .unwrap_err();
        assert!(matches!(err, EndpointError::BadHost { .. }));
    }
}
