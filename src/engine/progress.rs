//! How the engine functions report progress: a `Reporter` receives the typed `Progress`
//! values (defined in `domain::progress`); `ops` forwards them as events to the CLI printer
//! and the dashboard.

use std::sync::Mutex;

pub use crate::domain::progress::{Progress, Resource, Step};

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

/// Shorthand for a container step of `service`.
pub fn container(reporter: &dyn Reporter, service: &str, name: &str, step: Step) {
    reporter.report(Progress::Step {
        service: service.to_owned(),
        resource: Resource::Container,
        name: name.to_owned(),
        step,
        detail: String::new(),
    });
}
