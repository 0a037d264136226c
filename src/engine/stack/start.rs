//! The start phase of `up`: one future per service, each waiting until its dependencies were
//! started and their conditions hold, then starting its containers; and `--wait`.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bollard::Docker;
use futures_util::future::{join_all, try_join_all};
use tokio::sync::watch;

use crate::domain::compose::Project;

use super::create::start;
use super::hooks::{self, Hook};
use super::wait::{Condition, Satisfied, Tracker, WaitFailure, wait_for};
use crate::engine::error::StackError;
use crate::engine::progress::{Progress, Reporter, Step, container};

/// A container `up` keeps or created, and whether the start phase must start it.
#[derive(Debug, Clone)]
pub struct PlannedContainer {
    pub id: String,
    pub name: String,
    pub running: bool,
}

/// One service's containers for the start phase.
#[derive(Debug, Clone)]
pub struct StartPlan {
    pub service: String,
    pub containers: Vec<PlannedContainer>,
}

/// Reports each (container, step) once, however many dependents wait on it.
struct Once {
    reporter: Arc<dyn Reporter>,
    seen: Mutex<HashSet<(String, &'static str)>>,
}

impl Once {
    fn step(&self, service: &str, name: &str, step: Step) {
        let fresh = self
            .seen
            .lock()
            .map(|mut s| s.insert((name.to_owned(), step.word())))
            .unwrap_or(true);
        if fresh {
            container(self.reporter.as_ref(), service, name, step);
        }
    }
}

fn satisfied_step(s: Satisfied) -> Option<Step> {
    match s {
        Satisfied::Healthy => Some(Step::Healthy),
        Satisfied::Completed => Some(Step::Completed),
        Satisfied::Running => None,
    }
}

/// Starts every planned container in dependency order; independent services concurrently.
pub async fn start_all(
    docker: &Docker,
    project: &Project,
    plans: &[StartPlan],
    tracker: &Tracker,
    deadline: Option<Instant>,
    reporter: Arc<dyn Reporter>,
) -> Result<(), StackError> {
    let once = Once {
        reporter: reporter.clone(),
        seen: Mutex::new(HashSet::new()),
    };
    let by_service: HashMap<&str, &StartPlan> =
        plans.iter().map(|p| (p.service.as_str(), p)).collect();
    let signals: HashMap<&str, watch::Sender<Option<bool>>> = plans
        .iter()
        .map(|p| (p.service.as_str(), watch::channel(None).0))
        .collect();
    // Services others depend on are on the critical path: their containers start first, and
    // the ones nobody waits for start once no critical start is in flight (the engine starts
    // containers slowly when many start at once, which would delay the chain).
    let critical: HashSet<&str> = plans
        .iter()
        .filter_map(|p| project.services.get(p.service.as_str()))
        .flat_map(|s| s.depends_on.keys())
        .map(|d| d.as_str())
        .filter(|d| by_service.contains_key(d))
        .collect();
    let first_wave = plans
        .iter()
        .filter(|p| critical.contains(p.service.as_str()))
        .filter(|p| {
            project.services.get(p.service.as_str()).is_none_or(|s| {
                !s.depends_on
                    .keys()
                    .any(|d| by_service.contains_key(d.as_str()))
            })
        })
        .count();
    let shared = Shared {
        docker,
        project,
        by_service,
        signals,
        tracker,
        deadline,
        once,
        critical,
        in_flight: watch::channel(first_wave).0,
    };
    let tasks = plans.iter().map(|plan| {
        let shared = &shared;
        async move {
            let result = start_service(shared, plan).await;
            if let Some(tx) = shared.signals.get(plan.service.as_str()) {
                tx.send_replace(Some(result.is_ok()));
            }
            result
        }
    });
    try_join_all(tasks).await.map(|_| ())
}

/// What every service's start future shares.
struct Shared<'a> {
    docker: &'a Docker,
    project: &'a Project,
    by_service: HashMap<&'a str, &'a StartPlan>,
    signals: HashMap<&'a str, watch::Sender<Option<bool>>>,
    tracker: &'a Tracker,
    deadline: Option<Instant>,
    once: Once,
    critical: HashSet<&'a str>,
    /// Critical-path container starts not finished yet (first wave counted up front).
    in_flight: watch::Sender<usize>,
}

async fn start_service(shared: &Shared<'_>, plan: &StartPlan) -> Result<(), StackError> {
    let Shared {
        docker,
        project,
        by_service,
        signals,
        tracker,
        deadline,
        once,
        ..
    } = shared;
    let (docker, deadline) = (*docker, *deadline);
    let Some(service) = project.services.get(plan.service.as_str()) else {
        return Ok(());
    };
    for (dep, d) in &service.depends_on {
        let Some(tx) = signals.get(dep.as_str()) else {
            continue;
        };
        let mut rx = tx.subscribe();
        let started = match rx.wait_for(Option::is_some).await {
            Ok(v) => v.unwrap_or(false),
            Err(_) => false,
        };
        if !started && d.required {
            return Err(StackError::Dependency {
                service: plan.service.clone(),
                dependency: dep.to_string(),
                reason: "failed to start".to_owned(),
                help: format!("fix service \"{dep}\" first (see the error above)"),
            });
        }
    }
    let waits = service.depends_on.iter().filter_map(|(dep, d)| {
        let dep_plan = by_service.get(dep.as_str())?;
        let condition = Condition::from_compose(&d.condition);
        Some(async move {
            for c in &dep_plan.containers {
                if condition != Condition::Started {
                    once.step(dep.as_str(), &c.name, Step::Waiting);
                }
                match wait_for(docker, tracker.receiver(), &c.id, condition, deadline).await {
                    Ok(s) => {
                        if let Some(step) = satisfied_step(s) {
                            once.step(dep.as_str(), &c.name, step);
                        }
                    }
                    Err(WaitFailure::TimedOut) => {
                        return Err(StackError::Dependency {
                            service: plan.service.clone(),
                            dependency: dep.to_string(),
                            reason: format!(
                                "was not {} in time (timeout waiting for dependencies)",
                                d.condition
                            ),
                            help: "raise --wait-timeout or look at `devbox logs` of that service"
                                .to_owned(),
                        });
                    }
                    Err(WaitFailure::Failed { reason, help }) => {
                        if d.required {
                            return Err(StackError::Dependency {
                                service: plan.service.clone(),
                                dependency: dep.to_string(),
                                reason: format!("(container {}) {reason}", c.name),
                                help,
                            });
                        }
                        once.reporter.report(Progress::Warning(format!(
                            "optional dependency \"{dep}\" of \"{}\": container {} {reason}",
                            plan.service, c.name
                        )));
                    }
                }
            }
            Ok::<(), StackError>(())
        })
    });
    try_join_all(waits).await?;
    let critical = shared.critical.contains(plan.service.as_str());
    let first_wave = critical
        && !service
            .depends_on
            .keys()
            .any(|d| by_service.contains_key(d.as_str()));
    if critical && !first_wave {
        shared.in_flight.send_modify(|n| *n += 1);
    } else if !critical {
        let mut rx = shared.in_flight.subscribe();
        let _ = rx.wait_for(|n| *n == 0).await;
    }
    let starts = plan
        .containers
        .iter()
        .filter(|c| !c.running)
        .map(|c| async move {
            once.step(&plan.service, &c.name, Step::Starting);
            start(docker, &c.id, &c.name, &plan.service).await?;
            hooks::run(
                docker,
                service,
                &c.id,
                &c.name,
                Hook::PostStart,
                once.reporter.as_ref(),
            )
            .await?;
            once.step(&plan.service, &c.name, Step::Started);
            Ok::<(), StackError>(())
        });
    let result = try_join_all(starts).await.map(|_| ());
    if critical {
        shared.in_flight.send_modify(|n| *n = n.saturating_sub(1));
    }
    result
}

/// `up --wait`: every container running and healthy (with a healthcheck), or exited 0 when a
/// dependent waits for it to complete.
pub async fn wait_all(
    docker: &Docker,
    project: &Project,
    plans: &[StartPlan],
    tracker: &Tracker,
    deadline: Option<Instant>,
    timeout: Option<Duration>,
    reporter: Arc<dyn Reporter>,
) -> Result<(), StackError> {
    let once = Once {
        reporter,
        seen: Mutex::new(HashSet::new()),
    };
    let completes: HashSet<&str> = project
        .services
        .values()
        .flat_map(|s| s.depends_on.iter())
        .filter(|(_, d)| d.condition == "service_completed_successfully")
        .map(|(n, _)| n.as_str())
        .collect();
    let waits = plans.iter().flat_map(|p| {
        let condition = if completes.contains(p.service.as_str()) {
            Condition::CompletedSuccessfully
        } else {
            Condition::RunningOrHealthy
        };
        let once = &once;
        p.containers.iter().map(move |c| async move {
            once.step(&p.service, &c.name, Step::Waiting);
            let result = wait_for(docker, tracker.receiver(), &c.id, condition, deadline).await;
            match &result {
                Ok(s) => once.step(
                    &p.service,
                    &c.name,
                    satisfied_step(*s).unwrap_or(Step::Running),
                ),
                Err(_) => once.step(&p.service, &c.name, Step::Error),
            }
            (p.service.clone(), c.name.clone(), result)
        })
    });
    let results = join_all(waits).await;
    let mut pending = Vec::new();
    for (service, name, result) in results {
        match result {
            Ok(_) => {}
            Err(WaitFailure::TimedOut) => pending.push(name),
            Err(WaitFailure::Failed { reason, .. }) => {
                return Err(StackError::Start {
                    service,
                    message: format!("container {name} {reason}"),
                });
            }
        }
    }
    if pending.is_empty() {
        Ok(())
    } else {
        Err(StackError::WaitTimeout {
            seconds: timeout.map_or(0, |t| t.as_secs()),
            pending: pending.join(", "),
        })
    }
}
