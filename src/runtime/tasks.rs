//! Keyed, abortable background tasks: starting a task under a key aborts the one it replaces,
//! so a second "connect" never races the first and a container has at most one stats stream.

use std::collections::HashMap;
use std::future::Future;

use tokio::task::JoinHandle;

/// What a background task is for; one task per key at a time.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TaskKey {
    /// Terminal resizes (the input itself has its own thread: `input.rs`).
    Resize,
    Engine,
    /// Pings the connected engine: a stopped one keeps its sockets open and sends nothing.
    Heartbeat,
    Project,
    Scan,
    /// The engine's event stream for the stack.
    Watch,
    /// The file watch (`devbox watch` child), on while the user keeps it on.
    FileWatch,
    /// The Projects tab's listing of every compose project.
    Projects,
    Stats(String),
    Logs(String),
    Inspect(String),
    /// User actions run side by side, each under its own number.
    Action(u64),
}

#[derive(Default)]
pub struct Tasks {
    running: HashMap<TaskKey, JoinHandle<()>>,
    next_action: u64,
}

impl Tasks {
    pub fn spawn(&mut self, key: TaskKey, task: impl Future<Output = ()> + Send + 'static) {
        // Finished tasks are dropped here so the map does not grow with every inspect.
        self.running.retain(|_, handle| !handle.is_finished());
        if let Some(old) = self.running.insert(key, tokio::spawn(task)) {
            old.abort();
        }
    }

    pub fn spawn_action(&mut self, task: impl Future<Output = ()> + Send + 'static) {
        self.next_action += 1;
        self.spawn(TaskKey::Action(self.next_action), task);
    }

    pub fn abort(&mut self, key: &TaskKey) {
        if let Some(handle) = self.running.remove(key) {
            handle.abort();
        }
    }

    /// Aborts every task whose key matches, e.g. all streams when the engine is gone.
    pub fn abort_where(&mut self, matches: impl Fn(&TaskKey) -> bool) {
        self.running.retain(|key, handle| {
            if matches(key) {
                handle.abort();
                false
            } else {
                true
            }
        });
    }

    pub fn abort_all(&mut self) {
        for (_, handle) in self.running.drain() {
            handle.abort();
        }
    }
}
