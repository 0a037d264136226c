//! Errors of stack operations (`up`, `down`, `ps`, `logs`, builds, pulls), each naming the
//! service, image, port or dependency involved and what to do next.

use miette::Diagnostic;
use thiserror::Error;

#[derive(Debug, Error, Diagnostic)]
pub enum StackError {
    #[error("{action} failed: {source}")]
    #[diagnostic(
        code(devbox::engine),
        help("the Docker engine refused the request; check `docker info` and the message above")
    )]
    Engine {
        action: String,
        #[source]
        source: bollard::errors::Error,
    },

    #[error(
        "service \"{service}\": image {image} is not available locally and could not be pulled: {reason}"
    )]
    #[diagnostic(
        code(devbox::up::image),
        help(
            "check the image name in the compose file (typo?), log in to the registry (`docker login`), or build it locally (`build:`)"
        )
    )]
    ImageUnavailable {
        service: String,
        image: String,
        reason: String,
    },

    #[error("service \"{service}\": host port {port} is already in use ({message})")]
    #[diagnostic(
        code(devbox::up::port),
        help(
            "stop whatever holds port {port} (`docker ps --filter publish={port}`, `ss -ltnp`) or publish the service on another host port"
        )
    )]
    PortTaken {
        service: String,
        port: String,
        message: String,
    },

    #[error("service \"{service}\" could not start: dependency \"{dependency}\" {reason}")]
    #[diagnostic(code(devbox::up::dependency), help("{help}"))]
    Dependency {
        service: String,
        dependency: String,
        reason: String,
        help: String,
    },

    #[error("service \"{service}\" failed to start: {message}")]
    #[diagnostic(
        code(devbox::up::start),
        help("see `devbox logs {service}` and the container's configuration")
    )]
    Start { service: String, message: String },

    #[error(
        "building service \"{service}\" failed: its base image {image} could not be pulled: {reason}"
    )]
    #[diagnostic(
        code(devbox::build::base_image),
        help(
            "the engine could not fetch {image} (no registry access, a typo in FROM, or a private registry): check the network and `docker login`, or make the image available locally (`docker pull {image}` elsewhere + `docker save`/`docker load`, or change FROM to an image `docker images` lists); `devbox doctor` lists every image this project needs"
        )
    )]
    BaseImage {
        service: String,
        image: String,
        reason: String,
    },

    #[error("building service \"{service}\" failed at {step}: {message}\n{tail}")]
    #[diagnostic(
        code(devbox::build),
        help("fix the failing Dockerfile step shown above, then run `devbox up --build`")
    )]
    Build {
        service: String,
        step: String,
        message: String,
        tail: String,
    },

    #[error(transparent)]
    #[diagnostic(transparent)]
    Context(#[from] crate::engine::image::build_context::ContextError),

    #[error(transparent)]
    #[diagnostic(transparent)]
    Cycle(#[from] crate::domain::compose::graph::CycleError),

    #[error("no such service: {name}")]
    #[diagnostic(
        code(devbox::up::service),
        help("the services of this project are: {known}")
    )]
    NoSuchService { name: String, known: String },

    #[error("invalid service \"{service}\": {message}")]
    #[diagnostic(code(devbox::up::invalid), help("{help}"))]
    Invalid {
        service: String,
        message: String,
        help: String,
    },

    #[error("{hook} hook of service \"{service}\" exited with status {status} in {container}")]
    #[diagnostic(
        code(devbox::up::hook),
        help(
            "its output is above; fix the command under `{hook}:` in the compose file, or run it by hand with `devbox exec {service} ...`"
        )
    )]
    Hook {
        service: String,
        container: String,
        hook: &'static str,
        status: i64,
    },

    #[error("network \"{name}\" vanished right after it was created")]
    #[diagnostic(
        code(devbox::up::network),
        help(
            "another `devbox down` (or `docker network rm`) of this project ran at the same time; run `devbox up` again"
        )
    )]
    NetworkVanished { name: String },

    #[error("{kind} \"{name}\" is declared as external, but could not be found")]
    #[diagnostic(
        code(devbox::up::external),
        help("create it first (`docker {kind} create {name}`) or remove `external: true`")
    )]
    ExternalMissing { kind: &'static str, name: String },

    #[error("application not healthy after {seconds}s: {pending}")]
    #[diagnostic(
        code(devbox::up::wait_timeout),
        help(
            "raise --wait-timeout, or look at `devbox ps` and `devbox logs` for the services named"
        )
    )]
    WaitTimeout { seconds: u64, pending: String },

    #[error("interrupted")]
    #[diagnostic(
        code(devbox::up::interrupted),
        help("run `devbox down` to remove what was created, or `devbox up` to continue")
    )]
    Interrupted,
}

impl StackError {
    pub fn engine(action: impl Into<String>, source: bollard::errors::Error) -> Self {
        Self::Engine {
            action: action.into(),
            source,
        }
    }
}

/// The engine's message inside a bollard error (`DockerResponseServerError` carries it).
pub fn engine_message(err: &bollard::errors::Error) -> String {
    match err {
        bollard::errors::Error::DockerResponseServerError { message, .. } => message.clone(),
        other => other.to_string(),
    }
}

/// The HTTP status of an engine error response, if it was one.
pub fn status_code(err: &bollard::errors::Error) -> Option<u16> {
    match err {
        bollard::errors::Error::DockerResponseServerError { status_code, .. } => Some(*status_code),
        _ => None,
    }
}

/// Extracts the host port from the engine's "port is already allocated" / "address already
/// in use" messages (`Bind for 0.0.0.0:18099 failed`, `listen tcp4 0.0.0.0:80: bind`).
pub fn taken_port(message: &str) -> Option<String> {
    let lower = message.to_ascii_lowercase();
    if !(lower.contains("port is already allocated") || lower.contains("address already in use")) {
        return None;
    }
    let anchor = [
        "bind for ",
        "listen tcp4 ",
        "listen tcp6 ",
        "listen tcp ",
        "failed to bind host port ",
    ]
    .iter()
    .find_map(|a| lower.find(a).map(|i| i + a.len()))?;
    let rest = &message[anchor..];
    let addr = rest.split([' ', ':']).collect::<Vec<_>>();
    // `0.0.0.0:18099 failed` → ["0.0.0.0", "18099", ...]; IPv6 keeps the last numeric part.
    let tail: String = rest
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .trim_end_matches(':')
        .to_owned();
    let port = tail.rsplit(':').next().unwrap_or_default();
    let port = port.split('/').next().unwrap_or_default();
    if port.chars().all(|c| c.is_ascii_digit()) && !port.is_empty() {
        Some(port.to_owned())
    } else {
        addr.get(1).map(|s| (*s).to_owned())
    }
}

impl StackError {
    /// A failed build: a base image that could not be fetched is its own error (the Dockerfile
    /// is fine, the registry is not reachable), anything else names the failing step.
    pub fn build_failed(service: String, step: String, message: String, tail: String) -> Self {
        // BuildKit resolves every FROM image in a step named like this before building.
        match step.strip_prefix("[internal] load metadata for ") {
            Some(image) => StackError::BaseImage {
                service,
                image: image.trim().to_owned(),
                reason: pull_reason(&message).to_owned(),
            },
            None => StackError::Build {
                service,
                step,
                message,
                tail,
            },
        }
    }
}

/// The part of a registry error that says why (DNS, refused, unauthorized, not found), without
/// the frontend's wrapping ("failed to solve with frontend dockerfile.v0: ...").
fn pull_reason(message: &str) -> &str {
    const CAUSES: [&str; 6] = [
        "dial tcp",
        "pull access denied",
        "unauthorized",
        "manifest unknown",
        "not found",
        "denied",
    ];
    CAUSES
        .iter()
        .filter_map(|c| message.find(c))
        .min()
        .map_or(message, |at| &message[at..])
        .trim()
}

/// Whether an answer failed to decode because of a container state this client does not know:
/// Podman reports `stopped` for a moment after a container exits (docs/podman.md).
pub fn is_transient_state(err: &bollard::errors::Error) -> bool {
    matches!(err, bollard::errors::Error::JsonDataError { message, .. }
        if message.contains("unknown variant `stopped`"))
}

/// Runs `call` again (up to five times, 100 ms apart) while the answer carries a transient
/// container state; any other outcome is returned as it is.
pub async fn retry_transient_state<T, F, Fut>(mut call: F) -> Result<T, bollard::errors::Error>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, bollard::errors::Error>>,
{
    let mut tries = 1;
    loop {
        match call().await {
            Err(e) if tries < 5 && is_transient_state(&e) => {
                tries += 1;
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            other => return other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_ports_are_found_in_engine_messages() {
        let m = "driver failed programming external connectivity on endpoint p-web-1 (abc): Bind for 0.0.0.0:18099 failed: port is already allocated";
        assert_eq!(taken_port(m).as_deref(), Some("18099"));
        let u =
            "Error starting userland proxy: listen tcp4 0.0.0.0:8080: bind: address already in use";
        assert_eq!(taken_port(u).as_deref(), Some("8080"));
        assert_eq!(taken_port("No such image: x"), None);
    }

    #[test]
    fn an_unreachable_base_image_is_named_with_the_cause() {
        let err = StackError::build_failed(
            "app".into(),
            "[internal] load metadata for docker.io/library/node:22.12-slim".into(),
            "Docker stream error: failed to solve with frontend dockerfile.v0: failed to create LLB definition: failed to do request: Head \"https://registry-1.docker.io/v2/library/node/manifests/22.12-slim\": dial tcp: lookup registry-1.docker.io on 10.255.255.53:53: no such host".into(),
            String::new(),
        );
        assert_eq!(
            err.to_string(),
            "building service \"app\" failed: its base image docker.io/library/node:22.12-slim could not be pulled: dial tcp: lookup registry-1.docker.io on 10.255.255.53:53: no such host"
        );
        let other = StackError::build_failed(
            "app".into(),
            "[build 3/5] RUN npm ci".into(),
            "exit code: 1".into(),
            "npm ERR! missing lockfile".into(),
        );
        assert!(matches!(other, StackError::Build { .. }));
    }
}
