//! Waiting on containers the way `depends_on` conditions and `up --wait` need: driven by the
//! events stream (a `health_status` or `die` event wakes the waiter at once; Compose polls
//! every 500 ms instead), with each decision taken on a fresh inspect so no event can be
//! missed or misread.

use std::time::{Duration, Instant};

use bollard::Docker;
use bollard::models::{ContainerInspectResponse, ContainerStateStatusEnum, HealthStatusEnum};
use futures_util::StreamExt;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::engine::observe::events::container_events;

/// Counts the project's container events; waiters re-inspect when it moves.
pub struct Tracker {
    counter: watch::Receiver<u64>,
    pump: JoinHandle<()>,
}

impl Tracker {
    /// Subscribes now: start it before creating or starting anything.
    pub fn start(docker: &Docker, project: &str) -> Self {
        let (tx, rx) = watch::channel(0u64);
        let mut events = Box::pin(container_events(docker, project));
        let pump = tokio::spawn(async move {
            while let Some(item) = events.next().await {
                if item.is_err() {
                    break;
                }
                tx.send_modify(|n| *n += 1);
            }
        });
        Self { counter: rx, pump }
    }

    pub fn receiver(&self) -> watch::Receiver<u64> {
        self.counter.clone()
    }
}

impl Drop for Tracker {
    fn drop(&mut self) {
        self.pump.abort();
    }
}

/// What to wait for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Condition {
    /// Running (or already exited, for `service_started`).
    Started,
    /// Health `healthy`.
    Healthy,
    /// Exited with code 0.
    CompletedSuccessfully,
    /// `up --wait`: healthy if it has a healthcheck, else running.
    RunningOrHealthy,
}

impl Condition {
    pub fn from_compose(condition: &str) -> Self {
        match condition {
            "service_healthy" => Condition::Healthy,
            "service_completed_successfully" => Condition::CompletedSuccessfully,
            _ => Condition::Started,
        }
    }
}

/// How a wait ended when it did not succeed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WaitFailure {
    /// e.g. `is unhealthy`, `exited (1)`, `has no healthcheck configured`.
    Failed {
        reason: String,
        help: String,
    },
    TimedOut,
}

/// Outcome of a successful wait: how the container satisfied it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Satisfied {
    Running,
    Healthy,
    /// Exited 0 (a one-shot): completed, never shown as healthy or failed.
    Completed,
}

/// Decides a condition from one inspect; `None` = not decided yet.
pub fn decide(
    inspect: &ContainerInspectResponse,
    condition: Condition,
) -> Option<Result<Satisfied, WaitFailure>> {
    let state = inspect.state.clone().unwrap_or_default();
    let status = state.status.unwrap_or(ContainerStateStatusEnum::EMPTY);
    let exit_code = state.exit_code.unwrap_or(0);
    let exited = matches!(
        status,
        ContainerStateStatusEnum::EXITED | ContainerStateStatusEnum::DEAD
    );
    let health = state.health.as_ref().and_then(|h| h.status);
    let has_check = inspect
        .config
        .as_ref()
        .and_then(|c| c.healthcheck.as_ref())
        .and_then(|h| h.test.as_ref())
        .is_some_and(|t| !t.is_empty() && t[0] != "NONE")
        || matches!(
            health,
            Some(
                HealthStatusEnum::STARTING
                    | HealthStatusEnum::HEALTHY
                    | HealthStatusEnum::UNHEALTHY
            )
        );
    let fail = |reason: String, help: &str| {
        Some(Err(WaitFailure::Failed {
            reason,
            help: help.to_owned(),
        }))
    };
    match condition {
        Condition::Started => Some(Ok(if exited && exit_code == 0 {
            Satisfied::Completed
        } else {
            Satisfied::Running
        })),
        Condition::CompletedSuccessfully => {
            if exited {
                if exit_code == 0 {
                    Some(Ok(Satisfied::Completed))
                } else {
                    fail(
                        format!("didn't complete successfully: exit {exit_code}"),
                        "look at its output with `devbox logs <service>`; depends_on: service_completed_successfully needs exit code 0",
                    )
                }
            } else {
                None
            }
        }
        Condition::Healthy | Condition::RunningOrHealthy => {
            if exited {
                if condition == Condition::RunningOrHealthy && exit_code == 0 && !has_check {
                    return Some(Ok(Satisfied::Completed));
                }
                return fail(
                    format!("exited ({exit_code})"),
                    "the container stopped instead of becoming healthy; see `devbox logs <service>`",
                );
            }
            if !has_check {
                if condition == Condition::RunningOrHealthy {
                    return (status == ContainerStateStatusEnum::RUNNING)
                        .then_some(Ok(Satisfied::Running));
                }
                return fail(
                    "has no healthcheck configured".to_owned(),
                    "add a `healthcheck:` to that service, or use condition: service_started",
                );
            }
            match health {
                Some(HealthStatusEnum::HEALTHY) => Some(Ok(Satisfied::Healthy)),
                Some(HealthStatusEnum::UNHEALTHY) => {
                    let probe = last_probe(inspect);
                    fail(
                        format!("is unhealthy (last probe: {probe})"),
                        "fix what the healthcheck tests (see the probe output), or its command; `docker inspect` shows the last 5 probes",
                    )
                }
                _ => None,
            }
        }
    }
}

/// The last health probe: exit code and output, trimmed.
pub fn last_probe(inspect: &ContainerInspectResponse) -> String {
    let last = inspect
        .state
        .as_ref()
        .and_then(|s| s.health.as_ref())
        .and_then(|h| h.log.as_ref())
        .and_then(|l| l.last());
    match last {
        Some(r) => {
            let out = r.output.as_deref().unwrap_or("").trim();
            let out = if out.is_empty() { "no output" } else { out };
            format!("exit {}, {}", r.exit_code.unwrap_or(-1), out)
        }
        None => "none yet".to_owned(),
    }
}

/// Waits until container `id` satisfies `condition`, or fails, or `deadline` passes.
pub async fn wait_for(
    docker: &Docker,
    mut events: watch::Receiver<u64>,
    id: &str,
    condition: Condition,
    deadline: Option<Instant>,
) -> Result<Satisfied, WaitFailure> {
    loop {
        events.borrow_and_update();
        let inspected = crate::engine::error::retry_transient_state(|| {
            docker.inspect_container(
                id,
                None::<bollard::query_parameters::InspectContainerOptions>,
            )
        })
        .await;
        match inspected {
            Ok(inspect) => {
                if let Some(decision) = decide(&inspect, condition) {
                    return decision;
                }
            }
            Err(err) => {
                return Err(WaitFailure::Failed {
                    reason: format!(
                        "could not be inspected: {}",
                        crate::engine::error::engine_message(&err)
                    ),
                    help: "the container was removed while devbox waited for it".to_owned(),
                });
            }
        }
        // Events wake the waiter at once; the timer is only a safety net for a dropped
        // event (the engine drops events for slow subscribers, engine-api.md §1).
        let nap = Duration::from_secs(2);
        let nap = match deadline {
            Some(d) => {
                let left = d.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    return Err(WaitFailure::TimedOut);
                }
                nap.min(left)
            }
            None => nap,
        };
        tokio::select! {
            changed = events.changed() => {
                if changed.is_err() {
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
            }
            () = tokio::time::sleep(nap) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bollard::models::{
        ContainerConfig, ContainerState, Health, HealthConfig, HealthcheckResult,
    };

    fn inspect(
        status: ContainerStateStatusEnum,
        exit: i64,
        health: Option<HealthStatusEnum>,
    ) -> ContainerInspectResponse {
        ContainerInspectResponse {
            state: Some(ContainerState {
                status: Some(status),
                exit_code: Some(exit),
                health: health.map(|h| Health {
                    status: Some(h),
                    log: Some(vec![HealthcheckResult {
                        exit_code: Some(1),
                        output: Some("connection refused\n".to_owned()),
                        ..HealthcheckResult::default()
                    }]),
                    ..Health::default()
                }),
                ..ContainerState::default()
            }),
            config: Some(ContainerConfig {
                healthcheck: health.map(|_| HealthConfig {
                    test: Some(vec!["CMD".into(), "true".into()]),
                    ..HealthConfig::default()
                }),
                ..ContainerConfig::default()
            }),
            ..ContainerInspectResponse::default()
        }
    }

    #[test]
    fn a_one_shot_that_exits_zero_is_completed() {
        let done = inspect(ContainerStateStatusEnum::EXITED, 0, None);
        assert_eq!(
            decide(&done, Condition::CompletedSuccessfully),
            Some(Ok(Satisfied::Completed))
        );
        assert_eq!(
            decide(&done, Condition::RunningOrHealthy),
            Some(Ok(Satisfied::Completed))
        );
        let failed = inspect(ContainerStateStatusEnum::EXITED, 2, None);
        assert!(matches!(
            decide(&failed, Condition::CompletedSuccessfully),
            Some(Err(WaitFailure::Failed { reason, .. })) if reason == "didn't complete successfully: exit 2"
        ));
        let running = inspect(ContainerStateStatusEnum::RUNNING, 0, None);
        assert_eq!(decide(&running, Condition::CompletedSuccessfully), None);
    }

    #[test]
    fn health_conditions_report_the_last_probe() {
        let starting = inspect(
            ContainerStateStatusEnum::RUNNING,
            0,
            Some(HealthStatusEnum::STARTING),
        );
        assert_eq!(decide(&starting, Condition::Healthy), None);
        let healthy = inspect(
            ContainerStateStatusEnum::RUNNING,
            0,
            Some(HealthStatusEnum::HEALTHY),
        );
        assert_eq!(
            decide(&healthy, Condition::Healthy),
            Some(Ok(Satisfied::Healthy))
        );
        let sick = inspect(
            ContainerStateStatusEnum::RUNNING,
            0,
            Some(HealthStatusEnum::UNHEALTHY),
        );
        assert!(matches!(
            decide(&sick, Condition::Healthy),
            Some(Err(WaitFailure::Failed { reason, .. })) if reason == "is unhealthy (last probe: exit 1, connection refused)"
        ));
        let none = inspect(ContainerStateStatusEnum::RUNNING, 0, None);
        assert!(matches!(
            decide(&none, Condition::Healthy),
            Some(Err(WaitFailure::Failed { reason, .. })) if reason == "has no healthcheck configured"
        ));
        assert_eq!(
            decide(&none, Condition::RunningOrHealthy),
            Some(Ok(Satisfied::Running))
        );
    }
}
