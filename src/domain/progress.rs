//! Progress of stack operations as typed values, per service and phase (Compose's words:
//! `Creating`, `Started`, `Healthy`…), build lines and warnings: what the engine reports and
//! the CLI and the dashboard show.

/// A resource's step, with Compose's words (`Creating`, `Created`, `Started`, `Healthy`...).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Creating,
    Created,
    Recreating,
    Recreated,
    Running,
    Starting,
    Started,
    Waiting,
    Healthy,
    /// A one-shot service that exited 0: its work is done (never a failure, never "Healthy").
    Completed,
    Exited,
    Stopping,
    Stopped,
    Killing,
    Killed,
    Restarting,
    Restarted,
    Removing,
    Removed,
    Building,
    Built,
    Pulling,
    Pulled,
    Pushing,
    Pushed,
    Error,
}

impl Step {
    pub fn word(self) -> &'static str {
        match self {
            Step::Creating => "Creating",
            Step::Created => "Created",
            Step::Recreating => "Recreate",
            Step::Recreated => "Recreated",
            Step::Running => "Running",
            Step::Starting => "Starting",
            Step::Started => "Started",
            Step::Waiting => "Waiting",
            Step::Healthy => "Healthy",
            Step::Completed => "Completed",
            Step::Exited => "Exited",
            Step::Stopping => "Stopping",
            Step::Stopped => "Stopped",
            Step::Killing => "Killing",
            Step::Killed => "Killed",
            Step::Restarting => "Restarting",
            Step::Restarted => "Restarted",
            Step::Removing => "Removing",
            Step::Removed => "Removed",
            Step::Building => "Building",
            Step::Built => "Built",
            Step::Pulling => "Pulling",
            Step::Pulled => "Pulled",
            Step::Pushing => "Pushing",
            Step::Pushed => "Pushed",
            Step::Error => "Error",
        }
    }
}

/// What kind of resource a step is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource {
    Container,
    Network,
    Volume,
    Image,
}

impl Resource {
    pub fn word(self) -> &'static str {
        match self {
            Resource::Container => "Container",
            Resource::Network => "Network",
            Resource::Volume => "Volume",
            Resource::Image => "Image",
        }
    }
}

/// One progress fact.
#[derive(Debug, Clone, PartialEq)]
pub enum Progress {
    /// `Container p-web-1  Started`.
    Step {
        /// The compose service the resource belongs to (empty for networks and volumes,
        /// which several services share).
        service: String,
        resource: Resource,
        name: String,
        step: Step,
        detail: String,
    },
    /// One line of build output for a service (a BuildKit vertex or a legacy step line).
    BuildLine { service: String, line: String },
    /// Pull progress of one layer of an image.
    PullLayer {
        service: String,
        image: String,
        layer: String,
        status: String,
        current: u64,
        total: u64,
    },
    /// Container `name` is still running a second after its stop signal: the engine kills it
    /// `left` seconds later.
    StopPending {
        service: String,
        name: String,
        signal: String,
        left: u64,
    },
    /// One line a `post_start` or `pre_stop` hook printed, from container `name`.
    HookLine {
        service: String,
        name: String,
        line: String,
    },
    /// A warning Compose would print too (orphans, a resource not created by compose...).
    Warning(String),
}
