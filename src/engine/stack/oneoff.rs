//! `run`'s one-off container: the service's container with Compose's one-off name
//! (`<project>-<service>-run-<slug[:12]>`) and labels (`oneoff=True`, `slug`), the command
//! line's overrides, and the service's ports only when asked (`--service-ports`).

use std::time::{SystemTime, UNIX_EPOCH};

use bollard::Docker;
use bollard::models::NetworkConnectRequest;
use bollard::query_parameters::CreateContainerOptions;
use sha2::{Digest, Sha256};

use crate::domain::compose::{Project, Service};

use super::convert::{CreateInput, create_plan};
use super::create::expected_hash;
use super::labels;
use super::state::project_containers;
use super::up::{api_at_least, first_containers};
use crate::engine::error::StackError;
use crate::engine::image::images::ReadyImage;

/// Compose's label holding a one-off's full slug.
pub const SLUG: &str = "com.docker.compose.slug";

/// What the command line changes for one run.
#[derive(Debug, Clone, Default)]
pub struct RunOverrides {
    /// Replaces the service's command (empty: keep it).
    pub command: Vec<String>,
    pub entrypoint: Option<Vec<String>>,
    /// `KEY=VALUE` or `KEY` (from this environment).
    pub env: Vec<String>,
    pub user: Option<String>,
    pub workdir: Option<String>,
    pub service_ports: bool,
    pub tty: bool,
    pub stdin: bool,
    /// `--name`; default: Compose's one-off name.
    pub name: Option<String>,
}

/// The service as this run sees it.
pub fn overridden(service: &Service, o: &RunOverrides) -> Service {
    let mut s = service.clone();
    if !o.command.is_empty() {
        s.command = Some(o.command.clone());
    }
    if let Some(entrypoint) = &o.entrypoint {
        s.entrypoint = Some(entrypoint.clone());
    }
    for pair in &o.env {
        match pair.split_once('=') {
            Some((k, v)) => {
                s.environment.insert(k.to_owned(), Some(v.to_owned()));
            }
            None => {
                s.environment.insert(pair.clone(), std::env::var(pair).ok());
            }
        }
    }
    if let Some(user) = &o.user {
        s.user = user.clone();
    }
    if let Some(dir) = &o.workdir {
        s.working_dir = dir.clone();
    }
    if !o.service_ports {
        s.ports.clear();
    }
    s.tty = o.tty;
    s.stdin_open = o.stdin;
    s.container_name = String::new();
    // A one-off is never restarted by the engine.
    s.restart = String::new();
    s
}

/// 64 hex digits, unique per call (time, process and a hash of both).
fn slug() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let mut h = Sha256::new();
    h.update(nanos.to_le_bytes());
    h.update(std::process::id().to_le_bytes());
    hex::encode(h.finalize())
}

/// Creates the one-off container (not started); returns its id and name.
pub async fn create(
    docker: &Docker,
    project: &Project,
    service: &Service,
    image: &ReadyImage,
    overrides: &RunOverrides,
) -> Result<(String, String), StackError> {
    let s = overridden(service, overrides);
    let slug = slug();
    let name = overrides
        .name
        .clone()
        .unwrap_or_else(|| format!("{}-{}-run-{}", project.name, s.name, &slug[..12]));
    let observed = project_containers(docker, &project.name).await?;
    let refs = first_containers(&observed);
    let hash = expected_hash(&s, &refs);
    let mut all = labels::container_labels(project, &s, 1, &hash, Some(&image.id));
    all.insert(labels::ONEOFF.to_owned(), "True".to_owned());
    all.insert(SLUG.to_owned(), slug);
    let api_1_44 = api_at_least(docker, (1, 44));
    let mut plan = create_plan(&CreateInput {
        project,
        service: &s,
        container_name: &name,
        image: &image.reference,
        labels: all,
        api_at_least_1_44: api_1_44,
        service_containers: &refs,
        inherited: &[],
    });
    plan.body.attach_stdin = Some(overrides.stdin);
    plan.body.attach_stdout = Some(true);
    plan.body.attach_stderr = Some(true);
    plan.body.open_stdin = Some(overrides.stdin);
    plan.body.stdin_once = Some(overrides.stdin);
    let options = CreateContainerOptions {
        name: Some(name.clone()),
        platform: s.platform.clone(),
    };
    let created = docker
        .create_container(Some(options), plan.body)
        .await
        .map_err(|e| {
            StackError::engine(
                format!(
                    "creating one-off container {name} of service \"{}\"",
                    s.name
                ),
                e,
            )
        })?;
    for (network, endpoint) in plan.connect_later {
        let request = NetworkConnectRequest {
            container: created.id.clone(),
            endpoint_config: Some(endpoint),
        };
        docker
            .connect_network(&network, request)
            .await
            .map_err(|e| {
                StackError::engine(format!("connecting {name} to network {network}"), e)
            })?;
    }
    Ok((created.id, name))
}
