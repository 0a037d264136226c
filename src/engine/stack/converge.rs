//! The create phase of `up` for one service: keep, recreate (config hash or image changed,
//! or forced) or create its replicas up to `scale`, remove the extra ones; plus Compose's
//! `restart: true` dependents and orphan handling.

use std::collections::BTreeSet;

use bollard::Docker;
use futures_util::future::join_all;

use crate::domain::compose::diff::{self, Desired, Member, Replica, ReplicaOp, diff_service};
use crate::domain::compose::{Project, Service};

use super::create::{CreateContext, create, expected_hash, recreate, remove};
use super::labels;
use super::start::{PlannedContainer, StartPlan};
use super::state::Observed;
use super::stop::{Target, stop};
use crate::domain::compose::diff::RecreatePolicy;
use crate::engine::error::StackError;
use crate::engine::image::images::ReadyImage;
use crate::engine::progress::{Progress, Reporter, Step, container};

/// What the create phase did for one service.
pub struct Converged {
    pub containers: Vec<PlannedContainer>,
    pub created: Vec<String>,
    pub recreated: Vec<String>,
}

/// Carries out the domain's decisions (`domain::compose::diff`) for one service: removes the
/// replicas over its scale, keeps or recreates the others, creates the missing ones.
pub async fn converge_service(
    ctx: &CreateContext<'_>,
    service: &Service,
    image: &ReadyImage,
    existing: Vec<&Observed>,
    policy: RecreatePolicy,
    reporter: &dyn Reporter,
) -> Result<Converged, StackError> {
    let desired = Desired {
        scale: if service.container_name.is_empty() {
            u32::try_from(service.effective_scale().max(0)).unwrap_or(1)
        } else {
            1
        },
        config_hash: expected_hash(service, &ctx.service_containers),
        image_id: image.id.clone(),
    };
    let replicas: Vec<Replica> = existing
        .iter()
        .map(|c| Replica {
            number: c.number,
            config_hash: c.config_hash.clone(),
            image_id: c.image_label.clone(),
            running: c.is_running(),
            network_changed: misses_a_network(ctx, service, c),
        })
        .collect();
    // Two containers of one number (made by hand) are told apart by taking each once.
    let mut unused = existing;
    let mut take = |number: u32| {
        let at = unused.iter().position(|c| c.number == number)?;
        Some(unused.swap_remove(at))
    };
    let mut out = Converged {
        containers: Vec::new(),
        created: Vec::new(),
        recreated: Vec::new(),
    };
    for op in diff_service(&desired, &replicas, policy) {
        match op {
            ReplicaOp::Remove { number } => {
                let Some(c) = take(number) else { continue };
                container(reporter, &c.service, &c.name, Step::Stopping);
                stop(ctx.docker, c.into(), None, None, reporter).await?;
                remove(ctx.docker, &c.id, &c.name, false).await?;
                container(reporter, &c.service, &c.name, Step::Removed);
            }
            ReplicaOp::Keep { number, running } => {
                let Some(c) = take(number) else { continue };
                if running {
                    container(reporter, &c.service, &c.name, Step::Running);
                }
                out.containers.push(PlannedContainer {
                    id: c.id.clone(),
                    name: c.name.clone(),
                    running,
                });
            }
            ReplicaOp::Recreate { number, .. } => {
                let Some(c) = take(number) else { continue };
                let id = recreate(ctx, service, c, image, reporter).await?;
                out.recreated.push(c.name.clone());
                out.containers.push(PlannedContainer {
                    id,
                    name: c.name.clone(),
                    running: false,
                });
            }
            ReplicaOp::Create { number } => {
                let name = labels::container_name(&ctx.project.name, service, number);
                container(reporter, service.name.as_str(), &name, Step::Creating);
                let id = create(
                    ctx,
                    service,
                    number,
                    &name,
                    &image.reference,
                    Some(&image.id),
                    None,
                )
                .await?;
                container(reporter, service.name.as_str(), &name, Step::Created);
                out.created.push(name.clone());
                out.containers.push(PlannedContainer {
                    id,
                    name,
                    running: false,
                });
            }
        }
    }
    Ok(out)
}

/// Whether the container lacks one of its service's networks: not attached by name, or
/// attached to an older network of that name (a network recreated because its configuration
/// changed has a new id; a never-started container has no id yet and is fine). Compose checks
/// this for running containers only; devbox checks stopped ones too, because the diverged
/// network's containers were disconnected from it and would start without it.
fn misses_a_network(ctx: &CreateContext<'_>, service: &Service, c: &Observed) -> bool {
    if !service.network_mode.is_empty() {
        return false;
    }
    let endpoints = c
        .summary
        .network_settings
        .as_ref()
        .and_then(|n| n.networks.as_ref());
    service.networks.keys().any(|key| {
        let name = labels::network_name(ctx.project, key);
        let Some(expected) = ctx.network_ids.get(&name).filter(|id| !id.is_empty()) else {
            return false;
        };
        match endpoints.and_then(|e| e.get(&name)) {
            None => true,
            Some(endpoint) => endpoint
                .network_id
                .as_deref()
                // Podman before 5.4 reports the network's name as its id (docs/podman.md).
                .is_some_and(|id| !id.is_empty() && id != expected && *id != name),
        }
    })
}

/// Compose stops the dependents declared with `restart: true` when their dependency was
/// recreated; the start phase then starts them again.
pub async fn stop_restart_dependents(
    docker: &Docker,
    project: &Project,
    recreated: &BTreeSet<String>,
    plans: &mut [StartPlan],
    reporter: &dyn Reporter,
) -> Result<(), StackError> {
    if recreated.is_empty() {
        return Ok(());
    }
    for plan in plans.iter_mut() {
        let restart = project
            .services
            .get(plan.service.as_str())
            .is_some_and(|s| {
                s.depends_on
                    .iter()
                    .any(|(dep, d)| d.restart && recreated.contains(dep.as_str()))
            });
        if !restart || recreated.contains(&plan.service) {
            continue;
        }
        for c in plan.containers.iter_mut().filter(|c| c.running) {
            container(reporter, &plan.service, &c.name, Step::Stopping);
            let target = Target {
                id: &c.id,
                name: &c.name,
                service: &plan.service,
            };
            stop(docker, target, None, None, reporter).await?;
            container(reporter, &plan.service, &c.name, Step::Stopped);
            // The start phase starts it again once its dependency is back.
            c.running = false;
        }
    }
    Ok(())
}

pub async fn handle_orphans(
    docker: &Docker,
    project: &Project,
    observed: &[Observed],
    remove_orphans: bool,
    reporter: &dyn Reporter,
) -> Result<(), StackError> {
    let orphans: Vec<&Observed> = observed.iter().filter(|c| is_orphan(project, c)).collect();
    if orphans.is_empty() {
        return Ok(());
    }
    if remove_orphans {
        join_all(orphans.iter().map(|c| async move {
            container(reporter, &c.service, &c.name, Step::Removing);
            stop(docker, (*c).into(), None, None, reporter).await?;
            remove(docker, &c.id, &c.name, false).await?;
            container(reporter, &c.service, &c.name, Step::Removed);
            Ok::<(), StackError>(())
        }))
        .await
        .into_iter()
        .collect::<Result<Vec<()>, _>>()?;
    } else if std::env::var("COMPOSE_IGNORE_ORPHANS")
        .map_or(true, |v| v != "1" && !v.eq_ignore_ascii_case("true"))
    {
        let names: Vec<&str> = orphans.iter().map(|c| c.name.as_str()).collect();
        reporter.report(Progress::Warning(format!(
            "Found orphan containers ([{}]) for this project. If you removed or renamed this service in your compose file, you can run this command with the --remove-orphans flag to clean it up.",
            names.join(" ")
        )));
    }
    Ok(())
}

/// A project container whose service is neither enabled nor disabled by profiles, or an
/// exited one-off (`run`) container (the decision is `domain::compose::diff::is_orphan`).
pub fn is_orphan(project: &Project, c: &Observed) -> bool {
    let services: BTreeSet<&str> = project
        .services
        .keys()
        .chain(project.disabled_services.keys())
        .map(|name| name.as_str())
        .collect();
    let member = Member {
        service: &c.service,
        oneoff: c.oneoff,
        running: c.is_running(),
    };
    diff::is_orphan(&services, &member)
}
