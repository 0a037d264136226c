//! The observed state of a project: its containers as the engine lists them, grouped by the
//! compose labels (what `up` reconciles against and what `ps`/`down` act on).

use std::collections::{BTreeMap, HashMap};

use bollard::Docker;
use bollard::models::{ContainerSummary, ContainerSummaryStateEnum};
use bollard::query_parameters::ListContainersOptionsBuilder;

use super::labels;
use crate::engine::error::StackError;

/// One project container.
#[derive(Debug, Clone, PartialEq)]
pub struct Observed {
    pub id: String,
    pub name: String,
    pub service: String,
    pub number: u32,
    pub config_hash: Option<String>,
    pub image_label: Option<String>,
    /// `created`, `running`, `exited`, `paused`, `restarting`, `dead`...
    pub state: String,
    /// The engine's status text (`Up 3 seconds (healthy)`, `Exited (0) 2 minutes ago`).
    pub status: String,
    pub oneoff: bool,
    pub image: String,
    pub labels: BTreeMap<String, String>,
    pub summary: ContainerSummary,
}

impl Observed {
    pub fn is_running(&self) -> bool {
        self.state == "running" || self.state == "restarting"
    }
}

/// Every container labelled with the project, any state, sorted by service then number.
pub async fn project_containers(
    docker: &Docker,
    project: &str,
) -> Result<Vec<Observed>, StackError> {
    let what = format!("listing containers of project {project}");
    let mut out = listed(docker, &labels::project_filter(project), what).await?;
    out.sort_by(|a, b| {
        a.service
            .cmp(&b.service)
            .then(a.number.cmp(&b.number))
            .then(a.name.cmp(&b.name))
    });
    Ok(out)
}

/// Every container of every compose project on the engine (any state), for `ls`.
pub async fn compose_containers(docker: &Docker) -> Result<Vec<Observed>, StackError> {
    let filters = HashMap::from([("label".to_owned(), vec![labels::PROJECT.to_owned()])]);
    listed(
        docker,
        &filters,
        "listing the engine's compose containers".to_owned(),
    )
    .await
}

/// The containers with these ids (any state; ids that are gone are left out).
pub async fn containers_by_id(
    docker: &Docker,
    ids: &[String],
) -> Result<Vec<Observed>, StackError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let filters = HashMap::from([("id".to_owned(), ids.to_vec())]);
    listed(
        docker,
        &filters,
        "listing the selected containers".to_owned(),
    )
    .await
}

/// The containers matching `filters`, in any state; `what` names the request in an error.
async fn listed(
    docker: &Docker,
    filters: &HashMap<String, Vec<String>>,
    what: String,
) -> Result<Vec<Observed>, StackError> {
    let options = ListContainersOptionsBuilder::new()
        .all(true)
        .filters(filters)
        .build();
    let list = crate::engine::error::retry_transient_state(|| {
        docker.list_containers(Some(options.clone()))
    })
    .await
    .map_err(|e| StackError::engine(what, e))?;
    Ok(list.into_iter().map(observed).collect())
}

pub fn observed(summary: ContainerSummary) -> Observed {
    let labels: BTreeMap<String, String> = summary
        .labels
        .clone()
        .unwrap_or_default()
        .into_iter()
        .collect();
    let name = summary
        .names
        .as_ref()
        .and_then(|n| n.first())
        .map(|n| n.trim_start_matches('/').to_owned())
        .unwrap_or_default();
    let state = match summary.state {
        Some(ContainerSummaryStateEnum::EMPTY) | None => String::new(),
        Some(s) => s.to_string(),
    };
    Observed {
        id: summary.id.clone().unwrap_or_default(),
        name,
        service: labels.get(labels::SERVICE).cloned().unwrap_or_default(),
        number: labels
            .get(labels::CONTAINER_NUMBER)
            .and_then(|n| n.parse().ok())
            .unwrap_or(0),
        config_hash: labels.get(labels::CONFIG_HASH).cloned(),
        image_label: labels.get(labels::IMAGE).cloned(),
        state,
        status: summary.status.clone().unwrap_or_default(),
        oneoff: labels.get(labels::ONEOFF).is_some_and(|v| v == "True"),
        image: summary.image.clone().unwrap_or_default(),
        labels,
        summary,
    }
}
