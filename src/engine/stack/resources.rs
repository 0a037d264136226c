//! Project networks and volumes: created with Compose's names, labels and config hashes;
//! external ones must exist; listed and removed by label for `down`.

use std::collections::HashMap;

use bollard::Docker;
use bollard::models::{Ipam, IpamConfig, NetworkCreateRequest, VolumeCreateRequest};
use bollard::query_parameters::{ListNetworksOptions, ListVolumesOptions};

use crate::domain::compose::Project;
use crate::domain::compose::hash::{network_hash, volume_hash};

use super::labels;
use super::network_copies;
use crate::engine::error::{StackError, engine_message, status_code};
use crate::engine::progress::{Progress, Reporter, Resource, Step};

fn step(reporter: &dyn Reporter, resource: Resource, name: &str, step: Step) {
    reporter.report(Progress::Step {
        service: String::new(),
        resource,
        name: name.to_owned(),
        step,
        detail: String::new(),
    });
}

/// Network name → id, for every network of the project once `ensure_networks` ran.
pub type NetworkIds = HashMap<String, String>;

/// Ensures every network of the project exists (external ones are only checked). A network
/// of the project whose configuration changed (its config-hash label differs) is removed and
/// created again, as Compose does; the containers attached to it are stopped and disconnected
/// first and are recreated by the create phase (they miss the new network's id).
pub async fn ensure_networks(
    docker: &Docker,
    project: &Project,
    reporter: &dyn Reporter,
) -> Result<NetworkIds, StackError> {
    let mut ids = NetworkIds::new();
    for (key, net) in &project.networks {
        let name = labels::network_name(project, key);
        let hash = network_hash(net);
        match inspect_one(docker, &project.name, &name, reporter).await {
            Ok(existing) => {
                let existing_labels = existing.labels.clone().unwrap_or_default();
                let ours = existing_labels.get(labels::PROJECT) == Some(&project.name);
                if !net.external && !ours {
                    reporter.report(Progress::Warning(format!(
                        "a network with name {name} exists but was not created by compose.\nSet `external: true` to use an existing network"
                    )));
                }
                // A network without the label is never recreated (it predates config hashes).
                let diverged = !net.external
                    && ours
                    && existing_labels
                        .get(labels::CONFIG_HASH)
                        .is_some_and(|old| *old != hash);
                if !diverged {
                    ids.insert(name, existing.id.unwrap_or_default());
                    continue;
                }
                remove_diverged_network(docker, project, &name, reporter).await?;
            }
            Err(e) if status_code(&e) == Some(404) => {
                if net.external {
                    return Err(StackError::ExternalMissing {
                        kind: "network",
                        name,
                    });
                }
            }
            Err(e) => return Err(StackError::engine(format!("inspecting network {name}"), e)),
        }
        step(reporter, Resource::Network, &name, Step::Creating);
        let ipam = (!net.ipam.driver.is_empty()
            || !net.ipam.config.is_empty()
            || !net.ipam.options.is_empty())
        .then(|| Ipam {
            driver: (!net.ipam.driver.is_empty()).then(|| net.ipam.driver.clone()),
            config: Some(
                net.ipam
                    .config
                    .iter()
                    .map(|p| IpamConfig {
                        subnet: (!p.subnet.is_empty()).then(|| p.subnet.clone()),
                        ip_range: (!p.ip_range.is_empty()).then(|| p.ip_range.clone()),
                        gateway: (!p.gateway.is_empty()).then(|| p.gateway.clone()),
                        auxiliary_addresses: (!p.aux_addresses.is_empty()).then(|| {
                            p.aux_addresses
                                .iter()
                                .map(|(k, v)| (k.clone(), v.clone()))
                                .collect()
                        }),
                    })
                    .collect(),
            ),
            options: (!net.ipam.options.is_empty()).then(|| {
                net.ipam
                    .options
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect()
            }),
        });
        let request = NetworkCreateRequest {
            name: name.clone(),
            driver: (!net.driver.is_empty()).then(|| net.driver.clone()),
            internal: net.internal.then_some(true),
            attachable: net.attachable.then_some(true),
            enable_ipv6: net.enable_ipv6,
            options: (!net.driver_opts.is_empty()).then(|| {
                net.driver_opts
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect()
            }),
            labels: Some(labels::network_labels(
                &project.name,
                key,
                &hash,
                &net.labels,
            )),
            ipam,
            ..NetworkCreateRequest::default()
        };
        match docker.create_network(request).await {
            Ok(_) => step(reporter, Resource::Network, &name, Step::Created),
            // Another `up` created it meanwhile (Engine 25+ refuses the second copy): that is
            // the network we wanted.
            Err(e)
                if status_code(&e) == Some(409)
                    || engine_message(&e).contains("already exists") => {}
            Err(e) => return Err(StackError::engine(format!("creating network {name}"), e)),
        }
        // Older engines accept a second copy from a racing `up`: both settle on the same one.
        let id = network_copies::settle(docker, &project.name, &name, reporter)
            .await?
            .ok_or_else(|| StackError::NetworkVanished { name: name.clone() })?;
        ids.insert(name, id);
    }
    Ok(ids)
}

/// Inspects a network by name; two copies of it (a racing `up`) are settled first.
async fn inspect_one(
    docker: &Docker,
    project: &str,
    name: &str,
    reporter: &dyn Reporter,
) -> Result<bollard::models::NetworkInspect, bollard::errors::Error> {
    let inspect = |target: String| async move {
        docker
            .inspect_network(
                &target,
                None::<bollard::query_parameters::InspectNetworkOptions>,
            )
            .await
    };
    match inspect(name.to_owned()).await {
        Err(e) if network_copies::is_ambiguous(&engine_message(&e)) => {
            match network_copies::settle(docker, project, name, reporter).await {
                Ok(Some(kept)) => inspect(kept).await,
                _ => Err(e),
            }
        }
        other => other,
    }
}

/// Stops and disconnects the project's containers on a network whose configuration changed,
/// then removes it. A container of another project still attached makes the removal fail with
/// the engine's message, which names it; devbox never stops containers that are not the
/// project's.
async fn remove_diverged_network(
    docker: &Docker,
    project: &Project,
    name: &str,
    reporter: &dyn Reporter,
) -> Result<(), StackError> {
    reporter.report(Progress::Warning(format!(
        "network {name} changed in the compose file: recreating it (its containers are recreated too)"
    )));
    let mut filters = labels::project_filter(&project.name);
    filters.insert("network".to_owned(), vec![name.to_owned()]);
    let options = bollard::query_parameters::ListContainersOptionsBuilder::new()
        .all(true)
        .filters(&filters)
        .build();
    let attached = docker
        .list_containers(Some(options))
        .await
        .map_err(|e| StackError::engine(format!("listing the containers on network {name}"), e))?;
    for c in attached {
        let Some(id) = c.id else { continue };
        let container = c
            .names
            .and_then(|n| n.first().map(|n| n.trim_start_matches('/').to_owned()))
            .unwrap_or_else(|| id.clone());
        let target = super::stop::Target {
            id: &id,
            name: &container,
            service: "",
        };
        super::stop::stop(docker, target, None, None, reporter).await?;
        let request = bollard::models::NetworkDisconnectRequest {
            container: id.clone(),
            force: Some(true),
        };
        docker
            .disconnect_network(name, request)
            .await
            .map_err(|e| {
                StackError::engine(format!("disconnecting {container} from network {name}"), e)
            })?;
    }
    step(reporter, Resource::Network, name, Step::Removing);
    docker
        .remove_network(name)
        .await
        .map_err(|e| StackError::engine(format!("removing network {name}"), e))?;
    step(reporter, Resource::Network, name, Step::Removed);
    Ok(())
}

/// Ensures every volume of the project exists (external ones are only checked).
pub async fn ensure_volumes(
    docker: &Docker,
    project: &Project,
    reporter: &dyn Reporter,
) -> Result<(), StackError> {
    for (key, vol) in &project.volumes {
        let name = labels::volume_name(project, key);
        match docker.inspect_volume(&name).await {
            Ok(existing) => {
                let ours = existing.labels.get(labels::PROJECT) == Some(&project.name);
                if !vol.external && !ours {
                    reporter.report(Progress::Warning(format!(
                        "volume \"{name}\" already exists but was not created by Docker Compose. Use `external: true` to use an existing volume"
                    )));
                }
                // Compose asks before recreating (data would be lost) and defaults to no;
                // devbox keeps the volume and says how to recreate it.
                let diverged = ours
                    && !vol.external
                    && existing
                        .labels
                        .get(labels::CONFIG_HASH)
                        .is_some_and(|old| *old != volume_hash(vol));
                if diverged {
                    reporter.report(Progress::Warning(format!(
                        "volume \"{name}\" exists but doesn't match the configuration in the compose file (driver, options or labels changed); it is kept with its data. To recreate it (its data is lost): `devbox down -v`, then `devbox up`"
                    )));
                }
                continue;
            }
            Err(e) if status_code(&e) == Some(404) => {
                if vol.external {
                    return Err(StackError::ExternalMissing {
                        kind: "volume",
                        name,
                    });
                }
            }
            Err(e) => return Err(StackError::engine(format!("inspecting volume {name}"), e)),
        }
        step(reporter, Resource::Volume, &name, Step::Creating);
        let hash = volume_hash(vol);
        let request = VolumeCreateRequest {
            name: Some(name.clone()),
            driver: Some(if vol.driver.is_empty() {
                "local".to_owned()
            } else {
                vol.driver.clone()
            }),
            driver_opts: (!vol.driver_opts.is_empty()).then(|| {
                vol.driver_opts
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect()
            }),
            labels: Some(labels::volume_labels(
                &project.name,
                key,
                &hash,
                &vol.labels,
            )),
            ..VolumeCreateRequest::default()
        };
        docker
            .create_volume(request)
            .await
            .map_err(|e| StackError::engine(format!("creating volume {name}"), e))?;
        step(reporter, Resource::Volume, &name, Step::Created);
    }
    Ok(())
}

/// Networks labelled with the project: (name, id).
pub async fn project_networks(
    docker: &Docker,
    project: &str,
) -> Result<Vec<(String, String)>, StackError> {
    let options = ListNetworksOptions {
        filters: Some(labels::project_filter(project)),
    };
    let list = docker
        .list_networks(Some(options))
        .await
        .map_err(|e| StackError::engine(format!("listing networks of project {project}"), e))?;
    Ok(list
        .into_iter()
        .map(|n| (n.name.unwrap_or_default(), n.id.unwrap_or_default()))
        .collect())
}

/// Volumes labelled with the project: name → `com.docker.compose.volume` key.
pub async fn project_volumes(
    docker: &Docker,
    project: &str,
) -> Result<HashMap<String, String>, StackError> {
    let options = ListVolumesOptions {
        filters: Some(labels::project_filter(project)),
    };
    let list = docker
        .list_volumes(Some(options))
        .await
        .map_err(|e| StackError::engine(format!("listing volumes of project {project}"), e))?;
    Ok(list
        .volumes
        .unwrap_or_default()
        .into_iter()
        .map(|v| {
            let key = v.labels.get(labels::VOLUME).cloned().unwrap_or_default();
            (v.name, key)
        })
        .collect())
}
