//! Stack-wide and per-service operations over the engine: `up` (with Compose's options),
//! `down`, rebuilding or recreating one service, and start/stop/restart of a service's
//! containers. The dashboard's keys and the watch's rebuild rules call these, as the CLI does.

use std::sync::Arc;

use bollard::Docker;

use super::{Sink, reporter};
use crate::domain::compose::Project;
use crate::engine::error::StackError;
use crate::engine::image::images::BuildPolicy;
use crate::engine::stack::down::{DownOptions, DownOutcome};
use crate::engine::stack::lifecycle::{self, Action};
use crate::engine::stack::state::containers_by_id;
use crate::engine::stack::up::{RecreatePolicy, UpOptions, UpOutcome};

/// Creates and starts the stack (or the services of `options`), as `devbox up`.
pub async fn up(
    docker: &Docker,
    project: &Project,
    options: &UpOptions,
    sink: Arc<dyn Sink>,
) -> Result<UpOutcome, StackError> {
    crate::engine::stack::up::up(docker, project, options, reporter(sink)).await
}

/// Stops and removes the stack's containers and networks, as `devbox down`.
pub async fn down(
    docker: &Docker,
    project: &Project,
    options: &DownOptions,
    sink: Arc<dyn Sink>,
) -> Result<DownOutcome, StackError> {
    let reporter = reporter(sink);
    crate::engine::stack::down::down(
        docker,
        &project.name,
        Some(project),
        options,
        reporter.as_ref(),
    )
    .await
}

/// Builds the service's image again and replaces its containers (not its dependencies'). The
/// build runs first: a failed build leaves the old containers running.
pub async fn rebuild(
    docker: &Docker,
    project: &Project,
    service: &str,
    sink: Arc<dyn Sink>,
) -> Result<UpOutcome, StackError> {
    let options = one_service(service, BuildPolicy::Always);
    up(docker, project, &options, sink).await
}

/// Replaces the service's containers with fresh ones from its current configuration.
pub async fn recreate(
    docker: &Docker,
    project: &Project,
    service: &str,
    sink: Arc<dyn Sink>,
) -> Result<UpOutcome, StackError> {
    let options = one_service(service, BuildPolicy::IfMissing);
    up(docker, project, &options, sink).await
}

/// `up --no-deps --force-recreate SERVICE` with the given build policy.
fn one_service(service: &str, build: BuildPolicy) -> UpOptions {
    UpOptions {
        services: vec![service.to_owned()],
        no_deps: true,
        build,
        recreate: RecreatePolicy::Force,
        ..UpOptions::default()
    }
}

/// Starts, stops or restarts the given containers (the dashboard's keys), in dependency
/// order, reporting each step; a slow stop says what it waits for.
pub async fn containers(
    docker: &Docker,
    project: Option<&Project>,
    ids: &[String],
    action: &Action,
    sink: Arc<dyn Sink>,
) -> Result<Vec<String>, StackError> {
    let containers = containers_by_id(docker, ids).await?;
    let reporter = reporter(sink);
    lifecycle::apply(
        docker,
        action,
        &containers,
        project,
        None,
        reporter.as_ref(),
    )
    .await
}
