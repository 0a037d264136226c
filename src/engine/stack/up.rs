//! `up` as a library function: select services, ensure networks, volumes and images, create
//! or recreate containers (Compose's config-hash rules), then start them in dependency order
//! with as much parallelism as the graph allows, following `depends_on` conditions through
//! the events stream. `ops` calls `up` for the CLI, the dashboard and the watch.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bollard::Docker;
use futures_util::future::{join_all, try_join_all};

use crate::domain::compose::graph::start_order;
use crate::domain::compose::{Project, Service, ServiceName};

pub use super::converge::is_orphan;
use super::converge::{converge_service, handle_orphans, stop_restart_dependents};
use super::create::CreateContext;
use super::resources::{ensure_networks, ensure_volumes};
pub use super::start::PlannedContainer;
use super::start::{StartPlan, start_all, wait_all};
use super::state::{Observed, project_containers};
use super::wait::Tracker;
use crate::engine::error::StackError;
use crate::engine::image::build::detect_builder;
use crate::engine::image::images::{BuildPolicy, ReadyImage, ensure_image};
use crate::engine::progress::Reporter;

pub use crate::domain::compose::diff::RecreatePolicy;

/// Options of one `up`.
#[derive(Debug, Clone, Default)]
pub struct UpOptions {
    /// Services to start (empty = all enabled services), with their dependencies unless
    /// `no_deps`.
    pub services: Vec<String>,
    pub no_deps: bool,
    pub recreate: RecreatePolicy,
    pub build: BuildPolicy,
    pub remove_orphans: bool,
    /// `--wait`: return only when every service is running/healthy (or completed).
    pub wait: bool,
    /// Bounds the dependency waits and `--wait`.
    pub wait_timeout: Option<Duration>,
    /// `--no-start`: create the containers (and networks, volumes) but start nothing.
    pub no_start: bool,
}

/// One container `up` left running (or completed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpContainer {
    pub service: String,
    pub name: String,
    pub id: String,
}

/// What `up` did.
#[derive(Debug, Clone, Default)]
pub struct UpOutcome {
    pub containers: Vec<UpContainer>,
    pub recreated: Vec<String>,
    pub created: Vec<String>,
}

/// Services to act on: the named ones (all when none) plus, unless `no_deps`, everything they
/// depend on. Errors name an unknown service.
pub fn select_services(
    project: &Project,
    names: &[String],
    no_deps: bool,
) -> Result<BTreeSet<String>, StackError> {
    let known = || {
        project
            .services
            .keys()
            .map(ServiceName::as_str)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut selected: BTreeSet<String> = BTreeSet::new();
    let mut todo: Vec<String> = if names.is_empty() {
        project.services.keys().map(|n| n.to_string()).collect()
    } else {
        names.to_vec()
    };
    for name in &todo {
        if !project.services.contains_key(name.as_str()) {
            return Err(StackError::NoSuchService {
                name: name.clone(),
                known: known(),
            });
        }
    }
    while let Some(name) = todo.pop() {
        if !selected.insert(name.clone()) || no_deps {
            continue;
        }
        if let Some(service) = project.services.get(name.as_str()) {
            for dep in service.depends_on.keys() {
                if project.services.contains_key(dep.as_str()) {
                    todo.push(dep.to_string());
                }
            }
        }
    }
    Ok(selected)
}

/// Brings the project (or the selected services) up.
pub async fn up(
    docker: &Docker,
    project: &Project,
    options: &UpOptions,
    reporter: Arc<dyn Reporter>,
) -> Result<UpOutcome, StackError> {
    let selected = select_services(project, &options.services, options.no_deps)?;
    let order: Vec<String> = start_order(project)?
        .into_iter()
        .map(|n| n.to_string())
        .filter(|n| selected.contains(n))
        .collect();
    // Subscribe before touching anything so no health or exit event can be missed.
    let tracker = Tracker::start(docker, &project.name);
    let deadline = options.wait_timeout.map(|t| Instant::now() + t);

    let builder = detect_builder(docker).await;
    let mut images: HashMap<String, ReadyImage> = HashMap::new();
    let services: Vec<&Service> = order
        .iter()
        .filter_map(|n| project.services.get(n.as_str()))
        .collect();
    // Builds run one at a time (they share the machine's cores); pulls and inspects of
    // image-only services run concurrently.
    for service in services.iter().filter(|s| s.build.is_some()) {
        let ready = ensure_image(
            docker,
            project,
            service,
            options.build,
            builder,
            reporter.as_ref(),
        )
        .await?;
        images.insert(service.name.to_string(), ready);
    }
    let pulled = try_join_all(
        services
            .iter()
            .filter(|s| s.build.is_none())
            .map(|service| {
                let reporter = reporter.clone();
                async move {
                    let ready = ensure_image(
                        docker,
                        project,
                        service,
                        options.build,
                        builder,
                        reporter.as_ref(),
                    )
                    .await?;
                    Ok::<_, StackError>((service.name.to_string(), ready))
                }
            }),
    )
    .await?;
    images.extend(pulled);
    // Images first (as Compose does): a typo'd image name fails before anything is created.
    let network_ids = ensure_networks(docker, project, reporter.as_ref()).await?;
    ensure_volumes(docker, project, reporter.as_ref()).await?;

    let observed = project_containers(docker, &project.name).await?;
    handle_orphans(
        docker,
        project,
        &observed,
        options.remove_orphans,
        reporter.as_ref(),
    )
    .await?;

    let api_1_44 = api_at_least(docker, (1, 44));
    let mut ctx = CreateContext {
        docker,
        project,
        api_at_least_1_44: api_1_44,
        service_containers: first_containers(&observed),
        network_ids,
    };
    let mut outcome = UpOutcome::default();
    let mut plans: Vec<StartPlan> = Vec::new();
    let mut recreated_services: BTreeSet<String> = BTreeSet::new();
    for level in levels(project, &order) {
        // Every create of the wave runs to its end even when one fails: a dropped request
        // could still create its container after `up` reported, behind the user's back.
        let results = join_all(level.iter().map(|name| {
            let service = &project.services[name.as_str()];
            let image = &images[name];
            let existing: Vec<&Observed> = observed
                .iter()
                .filter(|c| c.service == *name && !c.oneoff)
                .collect();
            let forced = options.recreate == RecreatePolicy::Force;
            converge_service(
                &ctx,
                service,
                image,
                existing,
                if forced {
                    RecreatePolicy::Force
                } else {
                    options.recreate
                },
                reporter.as_ref(),
            )
        }))
        .await
        .into_iter()
        .collect::<Result<Vec<_>, _>>()?;
        for (name, result) in level.iter().zip(results) {
            if let Some(first) = result.containers.first() {
                ctx.service_containers
                    .insert(name.clone(), first.id.clone());
            }
            if !result.recreated.is_empty() {
                recreated_services.insert(name.clone());
            }
            outcome.created.extend(result.created);
            outcome.recreated.extend(result.recreated);
            plans.push(StartPlan {
                service: name.clone(),
                containers: result.containers,
            });
        }
    }
    stop_restart_dependents(
        docker,
        project,
        &recreated_services,
        &mut plans,
        reporter.as_ref(),
    )
    .await?;

    if !options.no_start {
        start_all(
            docker,
            project,
            &plans,
            &tracker,
            deadline,
            reporter.clone(),
        )
        .await?;
    }
    if options.wait && !options.no_start {
        wait_all(
            docker,
            project,
            &plans,
            &tracker,
            deadline,
            options.wait_timeout,
            reporter.clone(),
        )
        .await?;
    }
    outcome.containers = plans
        .iter()
        .flat_map(|p| {
            p.containers.iter().map(|c| UpContainer {
                service: p.service.clone(),
                name: c.name.clone(),
                id: c.id.clone(),
            })
        })
        .collect();
    Ok(outcome)
}

/// Whether the negotiated API version is at least `min`.
pub fn api_at_least(docker: &Docker, min: (u32, u32)) -> bool {
    let version = docker.client_version();
    let have = (
        u32::try_from(version.major_version).unwrap_or(0),
        u32::try_from(version.minor_version).unwrap_or(0),
    );
    have >= min
}

pub fn first_containers(observed: &[Observed]) -> HashMap<String, String> {
    let mut out: BTreeMap<String, (u32, String)> = BTreeMap::new();
    for c in observed.iter().filter(|c| !c.oneoff) {
        let entry = out
            .entry(c.service.clone())
            .or_insert((c.number, c.id.clone()));
        if c.number < entry.0 {
            *entry = (c.number, c.id.clone());
        }
    }
    out.into_iter().map(|(k, (_, id))| (k, id)).collect()
}

/// Groups `order` into waves: a service's wave comes after all of its dependencies' waves.
pub fn levels(project: &Project, order: &[String]) -> Vec<Vec<String>> {
    let mut level_of: HashMap<&str, usize> = HashMap::new();
    let mut out: Vec<Vec<String>> = Vec::new();
    for name in order {
        let deps = project
            .services
            .get(name.as_str())
            .map(|s| {
                s.depends_on
                    .keys()
                    .filter_map(|d| level_of.get(d.as_str()).copied())
                    .max()
            })
            .unwrap_or(None);
        let level = deps.map_or(0, |l| l + 1);
        level_of.insert(name.as_str(), level);
        if out.len() <= level {
            out.resize_with(level + 1, Vec::new);
        }
        out[level].push(name.clone());
    }
    out
}

#[cfg(test)]
#[path = "up_tests.rs"]
mod tests;
