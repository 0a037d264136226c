//! Start, stop, restart, kill and remove of a project's existing containers: the verbs
//! `devbox start|stop|restart|kill|rm` and the dashboard's keys share this. Containers go in
//! waves of dependency order (read from the `depends_on` labels, so no compose file is
//! needed), each step is reported, and a stop that outlives its signal says what it waits for.

use bollard::Docker;
use bollard::query_parameters::KillContainerOptions;

use crate::domain::compose::{Project, Service};

use super::create::{remove, start};
use super::hooks::{self, Hook};
use super::order::{label_graph, stop_waves};
use super::state::Observed;
use super::stop::stop;
use crate::engine::error::{StackError, status_code};
use crate::engine::progress::{Reporter, Step, container};

/// What to do to each container.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Start,
    Stop,
    Restart,
    Kill {
        signal: String,
    },
    /// Removes stopped containers (all of them with `stop_first`).
    Remove {
        volumes: bool,
        stop_first: bool,
    },
}

/// Applies `action` to `containers` in dependency order; returns the names acted on. `timeout`
/// (seconds) overrides each container's own stop timeout. With the compose `project` at hand,
/// the services' `pre_stop` and `post_start` hooks run as Compose runs them.
pub async fn apply(
    docker: &Docker,
    action: &Action,
    containers: &[Observed],
    project: Option<&Project>,
    timeout: Option<i32>,
    reporter: &dyn Reporter,
) -> Result<Vec<String>, StackError> {
    let mut waves = stop_waves(&label_graph(containers));
    if matches!(action, Action::Start | Action::Restart) {
        waves.reverse();
    }
    let mut done = Vec::new();
    for wave in waves {
        let batch = containers.iter().filter(|c| wave.contains(&c.service));
        let results = futures_util::future::join_all(batch.map(|c| {
            let service = project.and_then(|p| p.services.get(c.service.as_str()));
            one(docker, action, c, service, timeout, reporter)
        }))
        .await;
        for r in results {
            if let Some(name) = r? {
                done.push(name);
            }
        }
    }
    Ok(done)
}

/// One container; `None` when there was nothing to do (already in the state asked for).
async fn one(
    docker: &Docker,
    action: &Action,
    c: &Observed,
    service: Option<&Service>,
    timeout: Option<i32>,
    reporter: &dyn Reporter,
) -> Result<Option<String>, StackError> {
    let step = |s: Step| container(reporter, &c.service, &c.name, s);
    let post_start = || async {
        match service {
            Some(s) => hooks::run(docker, s, &c.id, &c.name, Hook::PostStart, reporter).await,
            None => Ok(()),
        }
    };
    match action {
        Action::Start if c.is_running() => return Ok(None),
        Action::Start => {
            step(Step::Starting);
            start(docker, &c.id, &c.name, &c.service).await?;
            post_start().await?;
            step(Step::Started);
        }
        Action::Stop if !c.is_running() => return Ok(None),
        Action::Stop => {
            step(Step::Stopping);
            stop(docker, c.into(), service, timeout, reporter).await?;
            step(Step::Stopped);
        }
        Action::Restart => {
            step(Step::Restarting);
            if c.is_running() {
                stop(docker, c.into(), service, timeout, reporter).await?;
            }
            start(docker, &c.id, &c.name, &c.service).await?;
            post_start().await?;
            step(Step::Restarted);
        }
        Action::Kill { .. } if !c.is_running() => return Ok(None),
        Action::Kill { signal } => {
            step(Step::Killing);
            let options = KillContainerOptions {
                signal: signal.clone(),
            };
            match docker.kill_container(&c.id, Some(options)).await {
                Ok(()) => {}
                Err(e) if status_code(&e) == Some(409) => return Ok(None),
                Err(e) => return Err(StackError::engine(format!("killing {}", c.name), e)),
            }
            step(Step::Killed);
        }
        Action::Remove { .. }
            if c.is_running()
                && !matches!(
                    action,
                    Action::Remove {
                        stop_first: true,
                        ..
                    }
                ) =>
        {
            return Ok(None);
        }
        Action::Remove { volumes, .. } => {
            if c.is_running() {
                step(Step::Stopping);
                stop(docker, c.into(), service, timeout, reporter).await?;
                step(Step::Stopped);
            }
            step(Step::Removing);
            remove(docker, &c.id, &c.name, *volumes).await?;
            step(Step::Removed);
        }
    }
    Ok(Some(c.name.clone()))
}
