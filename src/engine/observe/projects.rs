//! Every compose project on the engine for the Projects view: the containers with a Compose
//! project label (health from the engine's own `health` filter, never from the status text),
//! and the stream of their lifecycle events that says when to list again.

use std::collections::HashMap;

use bollard::Docker;
use bollard::query_parameters::{EventsOptions, ListContainersOptionsBuilder};
use futures_util::{Stream, StreamExt};

use super::feed::StreamEnded;
use crate::domain::stack::RunState;
use crate::domain::stack::projects::{
    ProbeHealth, ProjectContainer, ProjectSummary, split_list, summarise,
};
use crate::engine::stack::labels;

async fn ids_with(
    docker: &Docker,
    health: Option<&str>,
) -> Result<Vec<bollard::models::ContainerSummary>, StreamEnded> {
    let mut filters = HashMap::from([("label".to_owned(), vec![labels::PROJECT.to_owned()])]);
    if let Some(h) = health {
        filters.insert("health".to_owned(), vec![h.to_owned()]);
    }
    let options = ListContainersOptionsBuilder::new()
        .all(true)
        .filters(&filters)
        .build();
    crate::engine::error::retry_transient_state(|| docker.list_containers(Some(options.clone())))
        .await
        .map_err(StreamEnded::from)
}

/// Every project with at least one container, summarised.
pub async fn list(docker: &Docker) -> Result<Vec<ProjectSummary>, StreamEnded> {
    let all = ids_with(docker, None).await?;
    let mut health: HashMap<String, ProbeHealth> = HashMap::new();
    for (word, h) in [
        ("starting", ProbeHealth::Starting),
        ("healthy", ProbeHealth::Healthy),
        ("unhealthy", ProbeHealth::Unhealthy),
    ] {
        for c in ids_with(docker, Some(word)).await? {
            if let Some(id) = c.id {
                health.insert(id, h);
            }
        }
    }
    let containers: Vec<ProjectContainer> = all
        .into_iter()
        .map(|c| {
            let labels = c.labels.unwrap_or_default();
            let label = |key: &str| labels.get(key).cloned().unwrap_or_default();
            ProjectContainer {
                project: label(labels::PROJECT),
                working_dir: label(labels::WORKING_DIR),
                config_files: split_list(&label(labels::CONFIG_FILES)),
                env_files: split_list(&label(labels::ENVIRONMENT_FILE)),
                service: label(labels::SERVICE),
                state: c
                    .state
                    .map(|s| RunState::parse(s.as_ref()))
                    .unwrap_or_default(),
                health: c.id.as_ref().and_then(|id| health.get(id).copied()),
                oneoff: label(labels::ONEOFF).eq_ignore_ascii_case("true"),
            }
        })
        .collect();
    Ok(summarise(&containers))
}

/// The lifecycle actions that change a project row (probes' `exec_*` events are left out: a
/// health check sends three every interval, and `health_status` already says what changed).
const ACTIONS: [&str; 9] = [
    "create",
    "start",
    "die",
    "destroy",
    "pause",
    "unpause",
    "health_status",
    "rename",
    "kill",
];

/// One item per event that may change a project row; ends with an error when the engine goes.
pub fn changes(docker: &Docker) -> impl Stream<Item = Result<(), StreamEnded>> + use<> {
    let filters = HashMap::from([
        ("type".to_owned(), vec!["container".to_owned()]),
        ("label".to_owned(), vec![labels::PROJECT.to_owned()]),
        (
            "event".to_owned(),
            ACTIONS.iter().map(|a| (*a).to_owned()).collect(),
        ),
    ]);
    let options = EventsOptions {
        filters: Some(filters),
        ..EventsOptions::default()
    };
    docker
        .events(Some(options))
        .map(|item| item.map(drop).map_err(StreamEnded::from))
}
