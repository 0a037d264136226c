//! Container operations of one service replica: create (with Compose's labels and config
//! hash), recreate (temp name → stop old → remove old → rename, as Compose), start (port
//! conflicts named precisely) and remove; stopping is `stop.rs`'s.

use std::collections::{BTreeSet, HashMap};

use bollard::Docker;
use bollard::models::{Mount, NetworkConnectRequest};
use bollard::query_parameters::{
    CreateContainerOptions, RemoveContainerOptionsBuilder, RenameContainerOptions,
};

use crate::domain::compose::hash::service_hash;
use crate::domain::compose::{Project, Service};

use super::convert::{CreateInput, create_plan};
use super::labels;
use super::mounts;
use super::network_copies;
use super::state::Observed;
use super::stop::stop;
use crate::engine::error::{StackError, engine_message, status_code, taken_port};
use crate::engine::progress::{Reporter, Silent, Step, container};

/// What every create of this `up` shares.
pub struct CreateContext<'a> {
    pub docker: &'a Docker,
    pub project: &'a Project,
    pub api_at_least_1_44: bool,
    /// Service → id of its first container, for `service:X` references.
    pub service_containers: HashMap<String, String>,
    /// Network name → id after `ensure_networks` (a recreated network has a new id).
    pub network_ids: HashMap<String, String>,
}

/// The service as Compose hashes it at `up`: `service:X` references in network_mode, ipc and
/// pid, and `volumes_from` services, resolved to container ids first (so recreating X changes
/// its dependents' hashes).
pub fn resolved_for_hash(service: &Service, refs: &HashMap<String, String>) -> Service {
    let mut s = service.clone();
    let resolve = |value: &mut String| {
        if let Some(svc) = value.strip_prefix("service:")
            && let Some(id) = refs.get(svc)
        {
            *value = format!("container:{id}");
        }
    };
    resolve(&mut s.network_mode);
    resolve(&mut s.ipc);
    resolve(&mut s.pid);
    s.volumes_from = s
        .volumes_from
        .iter()
        .map(|v| {
            let (name, mode) = match v.split_once(':') {
                Some((n, m)) => (n, Some(m)),
                None => (v.as_str(), None),
            };
            match (refs.get(name), mode) {
                (Some(id), Some(m)) => format!("container:{id}:{m}"),
                (Some(id), None) => format!("container:{id}"),
                _ => v.clone(),
            }
        })
        .collect();
    s
}

/// The hash `up` writes for `service` (and compares with a container's label).
pub fn expected_hash(service: &Service, refs: &HashMap<String, String>) -> String {
    service_hash(&resolved_for_hash(service, refs))
}

/// Creates replica `number` of `service` named `name`, connects its extra networks, and
/// returns its id.
pub async fn create(
    ctx: &CreateContext<'_>,
    service: &Service,
    number: u32,
    name: &str,
    image_ref: &str,
    image_id: Option<&str>,
    replacing: Option<&Replacing>,
) -> Result<String, StackError> {
    let hash = expected_hash(service, &ctx.service_containers);
    let mut all_labels = labels::container_labels(ctx.project, service, number, &hash, image_id);
    if let Some(r) = replacing {
        all_labels.insert(labels::REPLACE.to_owned(), r.label.clone());
    }
    let plan = create_plan(&CreateInput {
        project: ctx.project,
        service,
        container_name: &labels::container_name(&ctx.project.name, service, number),
        image: image_ref,
        labels: all_labels,
        api_at_least_1_44: ctx.api_at_least_1_44,
        service_containers: &ctx.service_containers,
        inherited: replacing.map_or(&[], |r| r.inherited.as_slice()),
    });
    let options = CreateContainerOptions {
        name: Some(name.to_owned()),
        platform: service.platform.clone(),
    };
    let mut attempt = ctx
        .docker
        .create_container(Some(options.clone()), plan.body.clone())
        .await;
    // A racing `up` created a second copy of a network and has not removed it yet: settle and
    // try once more.
    if let Err(e) = &attempt
        && network_copies::is_ambiguous(&engine_message(e))
    {
        settle_networks(ctx).await?;
        attempt = network_copies::retry_ambiguous(|| {
            ctx.docker
                .create_container(Some(options.clone()), plan.body.clone())
        })
        .await;
    }
    let created = attempt.map_err(|e| {
        let message = engine_message(&e);
        if status_code(&e) == Some(400) && message.contains("No command specified") {
            StackError::Invalid {
                service: service.name.to_string(),
                message: format!(
                    "image {image_ref} has no default command and the service sets none"
                ),
                help: "add `command:` (or `entrypoint:`) to the service".to_owned(),
            }
        } else if status_code(&e) == Some(404) && message.contains("No such image") {
            StackError::ImageUnavailable {
                service: service.name.to_string(),
                image: image_ref.to_owned(),
                reason: message,
            }
        } else {
            StackError::engine(
                format!("creating container {name} (service \"{}\")", service.name),
                e,
            )
        }
    })?;
    for (network, endpoint) in plan.connect_later {
        let request = NetworkConnectRequest {
            container: created.id.clone(),
            endpoint_config: Some(endpoint),
        };
        network_copies::retry_ambiguous(|| ctx.docker.connect_network(&network, request.clone()))
            .await
            .map_err(|e| {
                StackError::engine(format!("connecting {name} to network {network}"), e)
            })?;
    }
    Ok(created.id)
}

async fn settle_networks(ctx: &CreateContext<'_>) -> Result<(), StackError> {
    for name in ctx.network_ids.keys() {
        // The `up` that made the extra copy reports it when it settles.
        network_copies::settle(ctx.docker, &ctx.project.name, name, &Silent).await?;
    }
    Ok(())
}

/// What a replacement container takes from the one it replaces: the `replace` label's value
/// and the volumes it inherits (`mounts::inherited`).
pub struct Replacing {
    pub label: String,
    pub inherited: Vec<Mount>,
}

/// Replaces `old` by a fresh container with the same name: create under
/// `<old id[:12]>_<name>` with the `replace` label and the old one's anonymous volumes, stop
/// and remove the old one, rename.
pub async fn recreate(
    ctx: &CreateContext<'_>,
    service: &Service,
    old: &Observed,
    image: &crate::engine::image::images::ReadyImage,
    reporter: &dyn Reporter,
) -> Result<String, StackError> {
    let (old_id, old_name) = (old.id.as_str(), old.name.as_str());
    container(reporter, service.name.as_str(), old_name, Step::Recreating);
    let short: String = old_id.chars().take(12).collect();
    let temp = format!("{short}_{old_name}");
    let replacing = Replacing {
        label: format!("{}-{}", service.name, old.number),
        inherited: mounts::inherited(
            old.summary.mounts.as_deref().unwrap_or_default(),
            &image_volumes(ctx.docker, &image.id).await?,
            service,
        ),
    };
    let id = create(
        ctx,
        service,
        old.number,
        &temp,
        &image.reference,
        Some(&image.id),
        Some(&replacing),
    )
    .await?;
    stop(ctx.docker, old.into(), None, None, reporter).await?;
    remove(ctx.docker, old_id, old_name, false).await?;
    ctx.docker
        .rename_container(
            &id,
            RenameContainerOptions {
                name: old_name.to_owned(),
            },
        )
        .await
        .map_err(|e| StackError::engine(format!("renaming {temp} to {old_name}"), e))?;
    container(reporter, service.name.as_str(), old_name, Step::Recreated);
    Ok(id)
}

/// The paths an image declares with VOLUME.
async fn image_volumes(docker: &Docker, image_id: &str) -> Result<BTreeSet<String>, StackError> {
    let image = docker
        .inspect_image(image_id)
        .await
        .map_err(|e| StackError::engine(format!("inspecting image {image_id}"), e))?;
    Ok(image
        .config
        .and_then(|c| c.volumes)
        .map(|v| v.into_iter().collect())
        .unwrap_or_default())
}

/// Starts a container; a host port already taken is reported with the service and the port.
pub async fn start(docker: &Docker, id: &str, name: &str, service: &str) -> Result<(), StackError> {
    let started = network_copies::retry_ambiguous(|| {
        docker.start_container(id, None::<bollard::query_parameters::StartContainerOptions>)
    })
    .await;
    match started {
        Ok(()) => Ok(()),
        Err(e) if status_code(&e) == Some(304) => Ok(()),
        Err(e) => {
            let message = engine_message(&e);
            if let Some(port) = taken_port(&message) {
                return Err(StackError::PortTaken {
                    service: service.to_owned(),
                    port,
                    message,
                });
            }
            Err(StackError::Start {
                service: service.to_owned(),
                message: format!("container {name}: {message}"),
            })
        }
    }
}

/// Force-removes a container (and its anonymous volumes when `volumes`).
pub async fn remove(
    docker: &Docker,
    id: &str,
    name: &str,
    volumes: bool,
) -> Result<(), StackError> {
    let options = RemoveContainerOptionsBuilder::new()
        .force(true)
        .v(volumes)
        .build();
    match docker.remove_container(id, Some(options)).await {
        Ok(()) => Ok(()),
        Err(e) if status_code(&e) == Some(404) => Ok(()),
        Err(e) if engine_message(&e).contains("already in progress") => Ok(()),
        Err(e) => Err(StackError::engine(format!("removing {name}"), e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::compose::ServiceName;

    #[test]
    fn service_references_are_resolved_before_hashing() {
        let svc = Service {
            name: ServiceName::new("app"),
            network_mode: "service:db".to_owned(),
            volumes_from: vec!["db:ro".to_owned(), "container:x".to_owned()],
            ..Service::default()
        };
        let refs = HashMap::from([("db".to_owned(), "abc".to_owned())]);
        let r = resolved_for_hash(&svc, &refs);
        assert_eq!(r.network_mode, "container:abc");
        assert_eq!(
            r.volumes_from,
            vec!["container:abc:ro".to_owned(), "container:x".to_owned()]
        );
        let other = HashMap::from([("db".to_owned(), "def".to_owned())]);
        assert_ne!(expected_hash(&svc, &refs), expected_hash(&svc, &other));
    }
}
