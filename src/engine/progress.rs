//! Progress of stack operations as typed values: the engine functions report through a
//! `Reporter`, the CLI draws them with indicatif, the TUI and `watch` forward them as messages.

use std::sync::Mutex;

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
    Removing,
    Removed,
    Building,
    Built,
    Pulling,
    Pulled,
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
            Step::Removing => "Removing",
            Step::Removed => "Removed",
            Step::Building => "Building",
            Step::Built => "Built",
            Step::Pulling => "Pulling",
            Step::Pulled => "Pulled",
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
        resource: Resource,
        name: String,
        step: Step,
        detail: String,
    },
    /// One line of build output for a service (a BuildKit vertex or a legacy step line).
    BuildLine { service: String, line: String },
    /// Pull progress of one layer of an image.
    PullLayer {
        image: String,
        layer: String,
        status: String,
        current: u64,
        total: u64,
    },
    /// A warning Compose would print too (orphans, a resource not created by compose...).
    Warning(String),
}

/// Receives progress; implementations must be cheap and never block.
pub trait Reporter: Send + Sync {
    fn report(&self, progress: Progress);
}

/// Drops everything (tests, quiet mode).
pub struct Silent;

impl Reporter for Silent {
    fn report(&self, _progress: Progress) {}
}

/// Keeps everything in order (tests, the TUI's batch forwarding).
#[derive(Default)]
pub struct Recorder(pub Mutex<Vec<Progress>>);

impl Recorder {
    pub fn take(&self) -> Vec<Progress> {
        self.0
            .lock()
            .map(|mut v| std::mem::take(&mut *v))
            .unwrap_or_default()
    }
}

impl Reporter for Recorder {
    fn report(&self, progress: Progress) {
        if let Ok(mut v) = self.0.lock() {
            v.push(progress);
        }
    }
}

/// Shorthand for a container step.
pub fn container(reporter: &dyn Reporter, name: &str, step: Step) {
    reporter.report(Progress::Step {
        resource: Resource::Container,
        name: name.to_owned(),
        step,
        detail: String::new(),
    });
}
