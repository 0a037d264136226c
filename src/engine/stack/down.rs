//! `down`: stop and remove the project's containers in reverse dependency order (read from
//! the `depends_on` labels, so it works without the compose file), then its networks; with
//! options its volumes and images.

use std::collections::BTreeSet;

use bollard::Docker;
use bollard::query_parameters::{ListImagesOptionsBuilder, RemoveImageOptionsBuilder};
use futures_util::future::join_all;

use crate::domain::compose::Project;

use super::create::remove;
use super::down_volumes::{mounted_volumes, remove_volumes};
use super::labels;
use super::order::{label_graph, stop_waves};
use super::resources::project_networks;
use super::state::{Observed, project_containers};
use super::stop::stop;
use super::up::is_orphan;
use crate::engine::error::{StackError, engine_message, status_code};
use crate::engine::progress::{Progress, Reporter, Resource, Step, container};

/// `--rmi local|all`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RemoveImages {
    /// Images built for the project (labelled, or named `<project>-<service>`).
    Local,
    /// Also every `image:` the services use.
    All,
}

#[derive(Debug, Clone, Default)]
pub struct DownOptions {
    /// `-v`: named volumes of the project and anonymous volumes of its containers.
    pub volumes: bool,
    pub remove_images: Option<RemoveImages>,
    pub remove_orphans: bool,
    /// `-t`: seconds before SIGKILL (default: each container's stop timeout).
    pub timeout: Option<i32>,
    /// Only these services (and their dependents); networks are then kept.
    pub services: Vec<String>,
}

/// What `down` removed.
#[derive(Debug, Clone, Default)]
pub struct DownOutcome {
    pub containers: Vec<String>,
    pub networks: Vec<String>,
    pub volumes: Vec<String>,
    pub images: Vec<String>,
}

impl DownOutcome {
    pub fn is_empty(&self) -> bool {
        self.containers.is_empty()
            && self.networks.is_empty()
            && self.volumes.is_empty()
            && self.images.is_empty()
    }
}

/// Takes the project down. `project` is the loaded model when a compose file is at hand; without
/// it everything labelled with `project_name` goes.
pub async fn down(
    docker: &Docker,
    project_name: &str,
    project: Option<&Project>,
    options: &DownOptions,
    reporter: &dyn Reporter,
) -> Result<DownOutcome, StackError> {
    let mut outcome = DownOutcome::default();
    let all = project_containers(docker, project_name).await?;
    let graph = label_graph(&all);
    let mut targets: Vec<Observed> = all
        .into_iter()
        .filter(|c| match project {
            Some(p) if !options.remove_orphans => !is_orphan(p, c),
            _ => true,
        })
        .collect();
    if !options.services.is_empty() {
        let mut wanted: BTreeSet<String> = options.services.iter().cloned().collect();
        // Dependents of a named service go too.
        loop {
            let more: Vec<String> = graph
                .iter()
                .filter(|(s, deps)| !wanted.contains(*s) && deps.iter().any(|d| wanted.contains(d)))
                .map(|(s, _)| s.clone())
                .collect();
            if more.is_empty() {
                break;
            }
            wanted.extend(more);
        }
        targets.retain(|c| wanted.contains(&c.service));
    }
    let mounted = mounted_volumes(&targets);
    for wave in stop_waves(&graph) {
        let batch: Vec<&Observed> = targets
            .iter()
            .filter(|c| wave.contains(&c.service) || c.service.is_empty())
            .collect();
        let results = join_all(batch.iter().map(|c| async move {
            if c.is_running() {
                container(reporter, &c.service, &c.name, Step::Stopping);
                let service = project.and_then(|p| p.services.get(c.service.as_str()));
                stop(docker, (*c).into(), service, options.timeout, reporter).await?;
                container(reporter, &c.service, &c.name, Step::Stopped);
            }
            container(reporter, &c.service, &c.name, Step::Removing);
            remove(docker, &c.id, &c.name, options.volumes).await?;
            container(reporter, &c.service, &c.name, Step::Removed);
            Ok::<String, StackError>(c.name.clone())
        }))
        .await;
        for r in results {
            outcome.containers.push(r?);
        }
        targets.retain(|c| !wave.contains(&c.service) && !c.service.is_empty());
    }
    if options.services.is_empty() {
        for (name, id) in project_networks(docker, project_name).await? {
            reporter.report(Progress::Step {
                service: String::new(),
                resource: Resource::Network,
                name: name.clone(),
                step: Step::Removing,
                detail: String::new(),
            });
            match docker.remove_network(&id).await {
                Ok(()) => {
                    reporter.report(Progress::Step {
                        service: String::new(),
                        resource: Resource::Network,
                        name: name.clone(),
                        step: Step::Removed,
                        detail: String::new(),
                    });
                    outcome.networks.push(name);
                }
                Err(e) if status_code(&e) == Some(404) => {}
                Err(e) => reporter.report(Progress::Warning(format!(
                    "network {name}: Resource is still in use ({})",
                    engine_message(&e)
                ))),
            }
        }
    }
    if options.volumes {
        outcome.volumes = remove_volumes(docker, project_name, project, &mounted, reporter).await?;
    }
    if let Some(which) = options.remove_images {
        outcome.images = remove_images(docker, project_name, project, which, reporter).await?;
    }
    if outcome.is_empty() {
        reporter.report(Progress::Warning(format!(
            "No resource found to remove for project \"{project_name}\"."
        )));
    }
    Ok(outcome)
}

async fn remove_images(
    docker: &Docker,
    project_name: &str,
    project: Option<&Project>,
    which: RemoveImages,
    reporter: &dyn Reporter,
) -> Result<Vec<String>, StackError> {
    let mut refs: BTreeSet<String> = BTreeSet::new();
    let options = ListImagesOptionsBuilder::new()
        .filters(&labels::project_filter(project_name))
        .build();
    let labelled = docker
        .list_images(Some(options))
        .await
        .map_err(|e| StackError::engine(format!("listing images of project {project_name}"), e))?;
    for image in labelled {
        match image.repo_tags.iter().find(|t| *t != "<none>:<none>") {
            Some(tag) => refs.insert(tag.clone()),
            None => refs.insert(image.id.clone()),
        };
    }
    if let Some(p) = project {
        for s in p.services.values() {
            if s.image.is_empty() {
                refs.insert(format!("{}-{}", p.name, s.name));
            } else if which == RemoveImages::All {
                refs.insert(s.image.clone());
            }
        }
    }
    let mut removed = Vec::new();
    for r in refs {
        let opts = RemoveImageOptionsBuilder::new().force(false).build();
        match docker.remove_image(&r, Some(opts), None).await {
            Ok(_) => {
                reporter.report(Progress::Step {
                    service: String::new(),
                    resource: Resource::Image,
                    name: r.clone(),
                    step: Step::Removed,
                    detail: String::new(),
                });
                removed.push(r);
            }
            Err(e) if status_code(&e) == Some(404) => {}
            Err(e) => reporter.report(Progress::Warning(format!(
                "image {r}: {}",
                engine_message(&e)
            ))),
        }
    }
    Ok(removed)
}
