//! `down`: stop and remove the project's containers in reverse dependency order (read from
//! the `depends_on` labels, so it works without the compose file), then its networks; with
//! options its volumes and images.

use std::collections::{BTreeMap, BTreeSet};

use bollard::Docker;
use bollard::query_parameters::{ListImagesOptionsBuilder, RemoveImageOptionsBuilder};
use futures_util::future::join_all;

use crate::domain::compose::Project;

use super::create::{remove, stop};
use super::error::{StackError, engine_message, status_code};
use super::labels;
use super::progress::{Progress, Reporter, Resource, Step, container};
use super::resources::{project_networks, project_volumes};
use super::state::{Observed, project_containers};
use super::up::is_orphan;

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

/// Service → dependencies, from the `depends_on` labels (`dep:condition:restart,...`).
fn label_graph(containers: &[Observed]) -> BTreeMap<String, BTreeSet<String>> {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for c in containers {
        let deps = graph.entry(c.service.clone()).or_default();
        if let Some(label) = c.labels.get(labels::DEPENDS_ON) {
            for entry in label.split(',').filter(|e| !e.is_empty()) {
                deps.insert(entry.split(':').next().unwrap_or_default().to_owned());
            }
        }
    }
    graph
}

/// Waves of services to stop: dependents before their dependencies.
pub fn stop_waves(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    let mut remaining: BTreeSet<String> = graph.keys().cloned().collect();
    let mut waves = Vec::new();
    while !remaining.is_empty() {
        // A service can stop once nothing remaining depends on it.
        let wave: Vec<String> = remaining
            .iter()
            .filter(|s| {
                !remaining
                    .iter()
                    .any(|o| graph.get(o).is_some_and(|d| d.contains(*s)))
            })
            .cloned()
            .collect();
        // A cycle in labels (hand-made containers): stop the rest together.
        let wave = if wave.is_empty() {
            remaining.iter().cloned().collect()
        } else {
            wave
        };
        for s in &wave {
            remaining.remove(s);
        }
        waves.push(wave);
    }
    waves
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
    for wave in stop_waves(&graph) {
        let batch: Vec<&Observed> = targets
            .iter()
            .filter(|c| wave.contains(&c.service) || c.service.is_empty())
            .collect();
        let results = join_all(batch.iter().map(|c| async move {
            if c.is_running() {
                container(reporter, &c.name, Step::Stopping);
                stop(docker, &c.id, &c.name, options.timeout).await?;
                container(reporter, &c.name, Step::Stopped);
            }
            container(reporter, &c.name, Step::Removing);
            remove(docker, &c.id, &c.name, options.volumes).await?;
            container(reporter, &c.name, Step::Removed);
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
                resource: Resource::Network,
                name: name.clone(),
                step: Step::Removing,
                detail: String::new(),
            });
            match docker.remove_network(&id).await {
                Ok(()) => {
                    reporter.report(Progress::Step {
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
        let declared_external: BTreeSet<String> = project
            .map(|p| {
                p.volumes
                    .iter()
                    .filter(|(_, v)| v.external)
                    .map(|(k, _)| labels::volume_name(p, k))
                    .collect()
            })
            .unwrap_or_default();
        for (name, _key) in project_volumes(docker, project_name).await? {
            if declared_external.contains(&name) {
                continue;
            }
            reporter.report(Progress::Step {
                resource: Resource::Volume,
                name: name.clone(),
                step: Step::Removing,
                detail: String::new(),
            });
            match docker
                .remove_volume(
                    &name,
                    None::<bollard::query_parameters::RemoveVolumeOptions>,
                )
                .await
            {
                Ok(()) => {
                    reporter.report(Progress::Step {
                        resource: Resource::Volume,
                        name: name.clone(),
                        step: Step::Removed,
                        detail: String::new(),
                    });
                    outcome.volumes.push(name);
                }
                Err(e) if status_code(&e) == Some(404) => {}
                Err(e) => reporter.report(Progress::Warning(format!(
                    "volume {name}: {}",
                    engine_message(&e)
                ))),
            }
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dependents_stop_before_their_dependencies() {
        let graph: BTreeMap<String, BTreeSet<String>> = [
            ("db".to_owned(), BTreeSet::new()),
            ("api".to_owned(), ["db".to_owned()].into()),
            ("web".to_owned(), ["api".to_owned()].into()),
            ("tool".to_owned(), BTreeSet::new()),
        ]
        .into();
        assert_eq!(
            stop_waves(&graph),
            vec![
                vec!["tool".to_owned(), "web".to_owned()],
                vec!["api".to_owned()],
                vec!["db".to_owned()]
            ]
        );
    }
}
