//! The create phase of `up` for one service: keep, recreate (config hash or image changed,
//! or forced) or create its replicas up to `scale`, remove the extra ones; plus Compose's
//! `restart: true` dependents and orphan handling.

use std::collections::BTreeSet;

use bollard::Docker;
use futures_util::future::join_all;

use crate::domain::compose::{Project, Service};

use super::create::{CreateContext, create, expected_hash, recreate, remove, stop};
use super::error::StackError;
use super::images::ReadyImage;
use super::labels;
use super::progress::{Progress, Reporter, Step, container};
use super::start::StartPlan;
use super::state::Observed;
use super::up::RecreatePolicy;

/// A container `up` keeps or created, and whether the start phase must start it.
#[derive(Debug, Clone)]
pub struct PlannedContainer {
    pub id: String,
    pub name: String,
    pub running: bool,
}

/// What the create phase did for one service.
pub struct Converged {
    pub containers: Vec<PlannedContainer>,
    pub created: Vec<String>,
    pub recreated: Vec<String>,
}

pub async fn converge_service(
    ctx: &CreateContext<'_>,
    service: &Service,
    image: &ReadyImage,
    mut existing: Vec<&Observed>,
    policy: RecreatePolicy,
    reporter: &dyn Reporter,
) -> Result<Converged, StackError> {
    let scale = if service.container_name.is_empty() {
        u32::try_from(service.effective_scale().max(0)).unwrap_or(1)
    } else {
        1
    };
    existing.sort_by_key(|c| c.number);
    let expected = expected_hash(service, &ctx.service_containers);
    let mut out = Converged {
        containers: Vec::new(),
        created: Vec::new(),
        recreated: Vec::new(),
    };
    let keep = existing.len().min(scale as usize);
    for extra in existing.iter().skip(keep).rev() {
        container(reporter, &extra.name, Step::Stopping);
        stop(ctx.docker, &extra.id, &extra.name, None).await?;
        remove(ctx.docker, &extra.id, &extra.name, false).await?;
        container(reporter, &extra.name, Step::Removed);
    }
    for c in existing.iter().take(keep) {
        let diverged = c.config_hash.as_deref() != Some(expected.as_str())
            || c.image_label.as_deref() != Some(image.id.as_str())
            || misses_a_network(ctx, service, c);
        let must = match policy {
            RecreatePolicy::Force => true,
            RecreatePolicy::Never => false,
            RecreatePolicy::Diverged => diverged,
        };
        if must {
            let id = recreate(ctx, service, &c.id, &c.name, c.number, image, reporter).await?;
            out.recreated.push(c.name.clone());
            out.containers.push(PlannedContainer {
                id,
                name: c.name.clone(),
                running: false,
            });
        } else {
            if c.is_running() {
                container(reporter, &c.name, Step::Running);
            }
            out.containers.push(PlannedContainer {
                id: c.id.clone(),
                name: c.name.clone(),
                running: c.is_running(),
            });
        }
    }
    let mut next = existing.iter().map(|c| c.number).max().unwrap_or(0);
    for _ in keep..scale as usize {
        next += 1;
        let name = labels::container_name(&ctx.project.name, service, next);
        container(reporter, &name, Step::Creating);
        let id = create(
            ctx,
            service,
            next,
            &name,
            &image.reference,
            Some(&image.id),
            &[],
        )
        .await?;
        container(reporter, &name, Step::Created);
        out.created.push(name.clone());
        out.containers.push(PlannedContainer {
            id,
            name,
            running: false,
        });
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
                .is_some_and(|id| !id.is_empty() && id != expected),
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
            container(reporter, &c.name, Step::Stopping);
            stop(docker, &c.id, &c.name, None).await?;
            container(reporter, &c.name, Step::Stopped);
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
            container(reporter, &c.name, Step::Removing);
            stop(docker, &c.id, &c.name, None).await?;
            remove(docker, &c.id, &c.name, false).await?;
            container(reporter, &c.name, Step::Removed);
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
/// exited one-off (`run`) container.
pub fn is_orphan(project: &Project, c: &Observed) -> bool {
    if c.oneoff {
        return !c.is_running();
    }
    !project.services.contains_key(c.service.as_str())
        && !project.disabled_services.contains_key(c.service.as_str())
}
