//! The observed stack: what each service's containers are doing (state, health, uptime,
//! restarts, ports, sizes, CPU and memory history), fed by engine facts and read by the TUI.
//! Pure: the edge converts engine JSON into these types; time comes in as `now` values.

mod clock;
mod logs;
pub mod projects;
mod ring;
mod stats;
mod view;

pub use clock::{days_from_civil, rfc3339_unix};
pub use logs::{Found, LINES_PER_CONTAINER, LogLine, LogQuery, LogStore, strip_ansi};
pub use ring::Ring;
pub use stats::{
    IoCounters, IoRates, StatsSample, cpu_percent, human_bytes, human_duration, io_rates,
    memory_used,
};
pub use view::{RowRef, StateLabel, Tone};

/// Samples of CPU and memory kept per container for the sparklines.
pub const HISTORY: usize = 60;

/// A container's run state, as the engine reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RunState {
    #[default]
    Created,
    Running,
    Paused,
    Restarting,
    Removing,
    Exited,
    Dead,
}

impl RunState {
    /// The engine's `State.Status` word.
    pub fn parse(status: &str) -> Self {
        match status {
            "running" => Self::Running,
            "paused" => Self::Paused,
            "restarting" => Self::Restarting,
            "removing" => Self::Removing,
            "exited" => Self::Exited,
            "dead" => Self::Dead,
            _ => Self::Created,
        }
    }
}

/// A healthcheck's status. Absent (`None` on the container) when there is no healthcheck.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Health {
    Starting,
    Healthy,
    Unhealthy,
}

impl Health {
    pub fn parse(status: &str) -> Option<Self> {
        match status {
            "starting" => Some(Self::Starting),
            "healthy" => Some(Self::Healthy),
            "unhealthy" => Some(Self::Unhealthy),
            _ => None,
        }
    }

    pub fn word(self) -> &'static str {
        match self {
            Self::Starting => "starting",
            Self::Healthy => "healthy",
            Self::Unhealthy => "unhealthy",
        }
    }
}

/// One healthcheck result (the engine keeps the last five).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    pub exit_code: i64,
    pub output: String,
    /// When the probe finished (Unix seconds), when the engine said.
    pub ended: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HealthView {
    pub status: Health,
    pub failing_streak: u32,
    pub probes: Vec<Probe>,
}

/// A published port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortView {
    pub host_ip: String,
    pub host_port: u16,
    pub container_port: u16,
    pub protocol: String,
}

impl PortView {
    /// The URL to open for this port on this machine.
    pub fn url(&self) -> String {
        let host = match self.host_ip.as_str() {
            "" | "0.0.0.0" | "::" => "localhost",
            ip => ip,
        };
        if host.contains(':') {
            format!("http://[{host}]:{}", self.host_port)
        } else {
            format!("http://{host}:{}", self.host_port)
        }
    }
}

/// What an inspect of one container says (converted by the engine edge).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ContainerInfo {
    pub id: String,
    /// Without the leading `/`.
    pub name: String,
    pub service: String,
    pub state: RunState,
    pub exit_code: Option<i64>,
    pub oom_killed: bool,
    /// Unix seconds of the last start.
    pub started_at: Option<i64>,
    pub restarts: u32,
    pub health: Option<HealthView>,
    pub ports: Vec<PortView>,
    pub image: String,
    pub image_size: Option<u64>,
    /// The writable layer (`SizeRw`).
    pub rw_size: Option<u64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ContainerView {
    pub info: ContainerInfo,
    pub cpu: Ring<f64>,
    /// Memory in use, bytes.
    pub mem: Ring<u64>,
    pub mem_limit: Option<u64>,
    /// Network and block I/O rates, bytes per second, one per stats sample after the first.
    pub io: Ring<IoRates>,
    /// The last counters and when they were read, for the next rate.
    last_io: Option<(i64, IoCounters)>,
}

impl ContainerView {
    fn new(info: ContainerInfo) -> Self {
        Self {
            info,
            cpu: Ring::new(HISTORY),
            mem: Ring::new(HISTORY),
            mem_limit: None,
            io: Ring::new(HISTORY),
            last_io: None,
        }
    }

    pub fn is_running(&self) -> bool {
        matches!(self.info.state, RunState::Running | RunState::Paused)
    }
}

/// A `depends_on` condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaitCondition {
    Started,
    Healthy,
    CompletedSuccessfully,
}

impl WaitCondition {
    pub fn parse(condition: &str) -> Self {
        match condition {
            "service_healthy" => Self::Healthy,
            "service_completed_successfully" => Self::CompletedSuccessfully,
            _ => Self::Started,
        }
    }

    fn word(self) -> &'static str {
        match self {
            Self::Started => "started",
            Self::Healthy => "healthy",
            Self::CompletedSuccessfully => "completed",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dependency {
    pub service: String,
    pub condition: WaitCondition,
}

/// What the compose file says about a service, as far as the dashboard needs it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ServiceSpec {
    pub name: String,
    pub depends_on: Vec<Dependency>,
    /// Another service waits for it with `service_completed_successfully`, so exiting 0 is its job.
    pub one_shot: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ServiceView {
    pub spec: ServiceSpec,
    pub containers: Vec<ContainerView>,
    /// Build or pull progress, while `up` works on this service.
    pub progress: Option<String>,
}

/// The whole observed stack of one compose project.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Stack {
    pub project: String,
    pub services: Vec<ServiceView>,
    /// `up` was asked for and has not finished: services without containers are waiting.
    pub bringing_up: bool,
    /// Containers whose destroy event has arrived, newest last. An inspect sent before the
    /// destroy can answer after it (with state `removing`); without this it would bring the
    /// container back as a row that nothing ever removes. Engine ids are never reused, and the
    /// list is bounded because only recent removals can still have an inspect in flight.
    destroyed: std::collections::VecDeque<String>,
}

/// Destroyed container ids remembered against late inspect answers.
const DESTROYED_KEPT: usize = 256;

/// Whether a container started or stopped running with an update, so the caller can start or
/// stop its streams.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    Unchanged,
    Started,
    Stopped,
}

impl Stack {
    /// A stack with the services of the compose file, marking those another service waits for
    /// with `service_completed_successfully` as one-shot.
    pub fn new(project: &str, mut specs: Vec<ServiceSpec>) -> Self {
        let one_shots: Vec<String> = specs
            .iter()
            .flat_map(|s| &s.depends_on)
            .filter(|d| d.condition == WaitCondition::CompletedSuccessfully)
            .map(|d| d.service.clone())
            .collect();
        for spec in &mut specs {
            spec.one_shot |= one_shots.contains(&spec.name);
        }
        Self {
            project: project.to_owned(),
            services: specs
                .into_iter()
                .map(|spec| ServiceView {
                    spec,
                    containers: Vec::new(),
                    progress: None,
                })
                .collect(),
            bringing_up: false,
            destroyed: std::collections::VecDeque::new(),
        }
    }

    /// The same stack for a reloaded compose file: the remembered removals carry over, since
    /// inspects sent before the reload can still answer.
    pub fn reloaded(&self, project: &str, specs: Vec<ServiceSpec>) -> Self {
        let mut next = Self::new(project, specs);
        next.bringing_up = self.bringing_up;
        next.destroyed = self.destroyed.clone();
        next
    }

    pub fn service(&self, name: &str) -> Option<&ServiceView> {
        self.services.iter().find(|s| s.spec.name == name)
    }

    pub fn container(&self, id: &str) -> Option<&ContainerView> {
        self.services
            .iter()
            .flat_map(|s| &s.containers)
            .find(|c| c.info.id == id)
    }

    fn container_mut(&mut self, id: &str) -> Option<&mut ContainerView> {
        self.services
            .iter_mut()
            .flat_map(|s| &mut s.containers)
            .find(|c| c.info.id == id)
    }

    /// Records an inspect result. A service the compose file does not name (a removed service
    /// still running) gets a row of its own.
    /// An inspect without sizes (a quick health refresh) keeps the sizes already known.
    /// An inspect of a container already destroyed is stale and changes nothing.
    pub fn upsert(&mut self, mut info: ContainerInfo) -> Transition {
        if self.destroyed.contains(&info.id) {
            return Transition::Unchanged;
        }
        let running_now = matches!(info.state, RunState::Running | RunState::Paused);
        if let Some(existing) = self.container_mut(&info.id) {
            let was = existing.is_running();
            info.image_size = info.image_size.or(existing.info.image_size);
            info.rw_size = info.rw_size.or(existing.info.rw_size);
            existing.info = info;
            return transition(was, running_now);
        }
        let index = match self
            .services
            .iter()
            .position(|s| s.spec.name == info.service)
        {
            Some(i) => i,
            None => {
                self.services.push(ServiceView {
                    spec: ServiceSpec {
                        name: info.service.clone(),
                        ..ServiceSpec::default()
                    },
                    containers: Vec::new(),
                    progress: None,
                });
                self.services.len() - 1
            }
        };
        let containers = &mut self.services[index].containers;
        containers.push(ContainerView::new(info));
        containers.sort_by(|a, b| a.info.name.cmp(&b.info.name));
        transition(false, running_now)
    }

    /// Forgets a destroyed container.
    pub fn remove(&mut self, id: &str) -> Transition {
        for service in &mut self.services {
            if let Some(i) = service.containers.iter().position(|c| c.info.id == id) {
                let was = service.containers.remove(i).is_running();
                return transition(was, false);
            }
        }
        Transition::Unchanged
    }

    /// Applies what an event says before the re-inspect arrives, so the screen follows the
    /// event at once.
    pub fn apply_event(&mut self, event: &ContainerEvent) -> Transition {
        // Before the lookup: a container destroyed before its first inspect answered is
        // remembered too.
        if event.action == EventAction::Destroy {
            if self.destroyed.len() == DESTROYED_KEPT {
                self.destroyed.pop_front();
            }
            self.destroyed.push_back(event.id.clone());
            return self.remove(&event.id);
        }
        let Some(c) = self.container_mut(&event.id) else {
            return Transition::Unchanged;
        };
        let was = c.is_running();
        match &event.action {
            EventAction::Start => {
                c.info.state = RunState::Running;
                c.info.exit_code = None;
                c.info.oom_killed = false;
                c.info.started_at = Some(event.time_nano / 1_000_000_000);
                // The engine resets health to starting on every start, without an event.
                if let Some(h) = &mut c.info.health {
                    h.status = Health::Starting;
                    h.failing_streak = 0;
                }
            }
            EventAction::Restart => c.info.state = RunState::Running,
            EventAction::Die { exit_code } => {
                c.info.state = RunState::Exited;
                c.info.exit_code = *exit_code;
            }
            EventAction::Oom => c.info.oom_killed = true,
            EventAction::Pause => c.info.state = RunState::Paused,
            EventAction::Unpause => c.info.state = RunState::Running,
            EventAction::HealthStatus(status) => match &mut c.info.health {
                Some(h) => h.status = *status,
                None => {
                    c.info.health = Some(HealthView {
                        status: *status,
                        failing_streak: 0,
                        probes: Vec::new(),
                    })
                }
            },
            // Handled above.
            EventAction::Destroy
            | EventAction::Create
            | EventAction::Stop
            | EventAction::Kill
            | EventAction::ExecDie
            | EventAction::HealthProbed
            | EventAction::Other => {}
        }
        transition(was, c.is_running())
    }

    /// Records one stats frame for a container.
    pub fn record_stats(&mut self, id: &str, sample: &StatsSample) {
        if let Some(c) = self.container_mut(id) {
            c.cpu.push(cpu_percent(sample));
            if let Some(used) = memory_used(sample) {
                c.mem.push(used);
            }
            c.mem_limit = sample.mem_limit;
            if let Some((ms, before)) = c.last_io
                && let Some(rates) = io_rates(&before, &sample.io, sample.read_ms - ms)
            {
                c.io.push(rates);
            }
            c.last_io = Some((sample.read_ms, sample.io));
        }
    }

    /// Sets or clears the build/pull progress line of a service.
    pub fn set_progress(&mut self, service: &str, progress: Option<String>) {
        if let Some(s) = self.services.iter_mut().find(|s| s.spec.name == service) {
            s.progress = progress;
        }
    }

    /// The unmet `depends_on` conditions of a service, e.g. `db healthy`.
    pub fn unmet_dependencies(&self, service: &ServiceView) -> Vec<String> {
        service
            .spec
            .depends_on
            .iter()
            .filter(|d| !self.condition_met(d))
            .map(|d| format!("{} {}", d.service, d.condition.word()))
            .collect()
    }

    fn condition_met(&self, dep: &Dependency) -> bool {
        let Some(service) = self.service(&dep.service) else {
            return false;
        };
        let mut containers = service.containers.iter();
        match dep.condition {
            WaitCondition::Started => containers.any(|c| c.is_running()),
            WaitCondition::Healthy => containers.any(|c| {
                c.is_running()
                    && c.info
                        .health
                        .as_ref()
                        .is_none_or(|h| h.status == Health::Healthy)
            }),
            WaitCondition::CompletedSuccessfully => {
                containers.any(|c| c.info.state == RunState::Exited && c.info.exit_code == Some(0))
            }
        }
    }
}

fn transition(was: bool, now: bool) -> Transition {
    match (was, now) {
        (false, true) => Transition::Started,
        (true, false) => Transition::Stopped,
        _ => Transition::Unchanged,
    }
}

/// A container event, converted from the engine's event stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerEvent {
    pub id: String,
    pub name: String,
    pub service: String,
    pub action: EventAction,
    pub time_nano: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventAction {
    Create,
    Start,
    Restart,
    Stop,
    Kill,
    Die {
        exit_code: Option<i64>,
    },
    Oom,
    Pause,
    Unpause,
    HealthStatus(Health),
    Destroy,
    /// An exec ended: healthchecks run as execs, so the failing streak may have changed.
    ExecDie,
    /// A probe ran and the event does not say its result (Podman): inspect for it.
    HealthProbed,
    Other,
}

impl EventAction {
    /// The engine's `Action` (with `exitCode` from the attributes for `die`).
    pub fn parse(action: &str, exit_code: Option<i64>) -> Self {
        if let Some(status) = action.strip_prefix("health_status: ") {
            return Health::parse(status).map_or(Self::Other, Self::HealthStatus);
        }
        match action {
            "create" => Self::Create,
            "start" => Self::Start,
            "restart" => Self::Restart,
            "stop" => Self::Stop,
            "kill" => Self::Kill,
            "die" => Self::Die { exit_code },
            "oom" => Self::Oom,
            "pause" => Self::Pause,
            "unpause" => Self::Unpause,
            "destroy" => Self::Destroy,
            "exec_die" => Self::ExecDie,
            _ => Self::Other,
        }
    }

    /// Whether the container's sizes or health details may have changed, so it is worth a
    /// re-inspect (probe execs and attaches are not).
    pub fn needs_inspect(&self) -> bool {
        !matches!(
            self,
            Self::Other | Self::Kill | Self::Destroy | Self::ExecDie
        )
    }
}

#[cfg(test)]
mod tests;
