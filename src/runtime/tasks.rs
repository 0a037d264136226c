//! Keyed, abortable background tasks: starting a task under a key aborts the one it replaces,
//! so a second "connect" never races the first.

use std::collections::HashMap;
use std::future::Future;

use tokio::task::JoinHandle;

/// What a background task is for; one task per key at a time.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TaskKey {
    Input,
    Engine,
}

#[derive(Default)]
pub struct Tasks {
    running: HashMap<TaskKey, JoinHandle<()>>,
}

impl Tasks {
    pub fn spawn(&mut self, key: TaskKey, task: impl Future<Output = ()> + Send + 'static) {
        if let Some(old) = self.running.insert(key, tokio::spawn(task)) {
            old.abort();
        }
    }

    pub fn abort_all(&mut self) {
        for (_, handle) in self.running.drain() {
            handle.abort();
        }
    }
}
