//! How a service or container reads on screen: the state word with its tone, the rows of the
//! table, uptimes. Still pure: the caller passes `now`.

use super::{ContainerView, Health, RunState, ServiceView, Stack, human_duration};

/// How a state should look: the UI maps tones to colours (or to nothing under `NO_COLOR`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Good,
    Busy,
    Bad,
    Quiet,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateLabel {
    pub text: String,
    pub tone: Tone,
}

fn label(text: impl Into<String>, tone: Tone) -> StateLabel {
    StateLabel {
        text: text.into(),
        tone,
    }
}

/// One table row: a service and, when it has any, one of its containers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowRef {
    pub service: usize,
    pub container: Option<usize>,
}

impl Stack {
    /// One row per container, and one per service that has none.
    pub fn rows(&self) -> Vec<RowRef> {
        let mut rows = Vec::new();
        for (s, service) in self.services.iter().enumerate() {
            if service.containers.is_empty() {
                rows.push(RowRef {
                    service: s,
                    container: None,
                });
            }
            for c in 0..service.containers.len() {
                rows.push(RowRef {
                    service: s,
                    container: Some(c),
                });
            }
        }
        rows
    }

    pub fn row(&self, row: RowRef) -> Option<(&ServiceView, Option<&ContainerView>)> {
        let service = self.services.get(row.service)?;
        let container = match row.container {
            Some(c) => Some(service.containers.get(c)?),
            None => None,
        };
        Some((service, container))
    }

    /// The state column: `running`, `waiting: db healthy`, `completed`, `exited (1)`, ...
    pub fn state_label(
        &self,
        service: &ServiceView,
        container: Option<&ContainerView>,
    ) -> StateLabel {
        let waiting = || {
            let unmet = self.unmet_dependencies(service);
            (!unmet.is_empty()).then(|| label(format!("waiting: {}", unmet.join(", ")), Tone::Busy))
        };
        // An action or build in flight says what it is doing, whatever the last state was.
        if let Some(progress) = &service.progress {
            return label(progress.clone(), Tone::Busy);
        }
        let Some(c) = container else {
            if self.bringing_up {
                return waiting().unwrap_or_else(|| label("creating", Tone::Busy));
            }
            return label("not created", Tone::Quiet);
        };
        match c.info.state {
            RunState::Created => waiting().unwrap_or_else(|| label("created", Tone::Quiet)),
            RunState::Running => label("running", Tone::Good),
            RunState::Paused => label("paused", Tone::Quiet),
            RunState::Restarting => label("restarting", Tone::Busy),
            RunState::Removing => label("removing", Tone::Busy),
            RunState::Dead => label("dead", Tone::Bad),
            RunState::Exited => match c.info.exit_code {
                _ if c.info.oom_killed => label(
                    format!("oom-killed ({})", c.info.exit_code.unwrap_or(137)),
                    Tone::Bad,
                ),
                Some(0) if service.spec.one_shot => label("completed", Tone::Good),
                Some(0) => label("exited (0)", Tone::Quiet),
                Some(code) => label(format!("exited ({code})"), Tone::Bad),
                None => label("exited", Tone::Quiet),
            },
        }
    }

    /// The health column: only for running containers (the engine forces `unhealthy` on stop,
    /// which would read as a failure).
    pub fn health_label(container: Option<&ContainerView>) -> Option<StateLabel> {
        let c = container?;
        if !c.is_running() {
            return None;
        }
        let h = c.info.health.as_ref()?;
        Some(match h.status {
            Health::Healthy => label("healthy", Tone::Good),
            Health::Starting if h.failing_streak > 0 => {
                label(format!("starting ✗{}", h.failing_streak), Tone::Busy)
            }
            Health::Starting => label("starting", Tone::Busy),
            Health::Unhealthy => label(format!("unhealthy ✗{}", h.failing_streak), Tone::Bad),
        })
    }

    /// Uptime of a running container, given the current Unix time.
    pub fn uptime(container: Option<&ContainerView>, now: i64) -> Option<String> {
        let c = container?;
        if !c.is_running() {
            return None;
        }
        Some(human_duration(now - c.info.started_at?))
    }
}
