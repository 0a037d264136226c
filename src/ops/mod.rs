//! The stack operations as async library calls: up, down, rebuild and recreate one service,
//! start/stop/restart a service's containers, and the watch loop. Each takes the project, the
//! engine client and a sink of typed events (`Event`: engine progress per service and phase,
//! the watch's `Activity`), and returns a typed outcome. The CLI prints the events; the
//! dashboard folds them into its model. Nothing here prints, and nothing runs `devbox` itself.

pub mod stack;
pub mod watch;
mod watch_session;

use std::sync::Arc;

pub use crate::domain::sync::Activity;
pub use crate::engine::progress::Progress;
use crate::engine::progress::Reporter;

/// One fact an operation reports while it runs.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// A step of the engine's work (building, creating, starting, healthy…), a build line or
    /// a warning.
    Progress(Progress),
    /// What the watch loop did (synced, restarted, rebuilt, skipped and why).
    Watch(Activity),
}

/// Receives an operation's events; must be cheap and never block (send to a channel, print).
pub trait Sink: Send + Sync {
    fn send(&self, event: Event);
}

impl<F: Fn(Event) + Send + Sync> Sink for F {
    fn send(&self, event: Event) {
        self(event);
    }
}

/// The engine's progress as events of a sink.
struct Forward(Arc<dyn Sink>);

impl Reporter for Forward {
    fn report(&self, progress: Progress) {
        self.0.send(Event::Progress(progress));
    }
}

/// A `Reporter` for the engine functions that sends to `sink`.
pub fn reporter(sink: Arc<dyn Sink>) -> Arc<dyn Reporter> {
    Arc::new(Forward(sink))
}
