//! The messages (`Msg`, facts in the past tense) and commands (`Cmd`, imperatives) of the app.

use std::collections::BTreeMap;

use crossterm::event::KeyEvent;

use super::model::{EngineState, Tab};
use crate::domain::detect::Detected;
use crate::domain::progress::Progress;
use crate::domain::stack::projects::{ProjectRef, ProjectSummary};
use crate::domain::stack::{ContainerEvent, ContainerInfo, ServiceSpec, StatsSample};
use crate::domain::sync::Activity;

/// What the runtime found in the current folder, for the wizard to start from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WizardSeed {
    pub detected: Detected,
    /// The project's name (the folder's name).
    pub name: String,
    /// Current contents of the files the wizard writes (path relative to the folder).
    pub existing: BTreeMap<String, String>,
    /// Template overrides from the devbox templates directory, by template name.
    pub overrides: BTreeMap<String, String>,
    /// At a monorepo root: each app in a sub-directory, detected there (empty otherwise).
    pub apps: Vec<AppSeed>,
    /// At a monorepo root: a workspace's Node lockfile there (`plan::monorepo::root_lockfile`).
    pub root_lockfile: Option<String>,
}

/// One app of a monorepo root, as `devbox init DIR` would see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppSeed {
    /// Relative to the root (`services/api`).
    pub dir: String,
    pub name: String,
    pub detected: Detected,
}

/// What a mouse position is over, found by the UI's layout hit-test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClickTarget {
    Tab(Tab),
    /// A row of the services table (index into `Stack::rows()`).
    ServiceRow(usize),
    ServicesTable,
    Logs,
    /// A row of the Projects tab's table (index into its rows).
    ProjectRow(usize),
}

/// Log lines that arrived for one container: `(timestamp, text, stderr)` each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogChunk {
    pub container: String,
    pub service: String,
    pub lines: Vec<(Option<String>, String, bool)>,
}

/// A fact delivered to `update`, in the past tense.
#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    /// A key was pressed.
    KeyPressed(KeyEvent),
    /// The terminal was resized to (columns, rows).
    Resized(u16, u16),
    /// The mouse was clicked over something.
    Clicked(ClickTarget),
    /// The mouse wheel turned over something.
    Wheel { target: ClickTarget, down: bool },
    /// The engine connection task finished or the engine's state changed.
    EngineChanged(EngineState),
    /// A stream from the engine ended or failed: the engine went away.
    EngineLost { reason: String },
    /// The engine has not answered a ping for this many seconds (stopped, overloaded, or a
    /// dead remote link): its socket stays open, so no stream ends to say so.
    EngineSilent { seconds: u64 },
    /// The engine answered a ping again after being silent.
    EngineAnswered,
    /// The compose project of this folder was read.
    ProjectLoaded {
        project: String,
        services: Vec<ServiceSpec>,
    },
    /// The compose project could not be read.
    ProjectFailed { reason: String },
    /// Every compose project on the engine was listed (again, after a change), or why not.
    ProjectsListed(Result<Vec<ProjectSummary>, String>),
    /// The project's containers were listed and inspected (after subscribing to events).
    ContainersListed(Vec<ContainerInfo>),
    /// One container was (re-)inspected.
    ContainerInspected(ContainerInfo),
    /// An engine event for one of the project's containers.
    ContainerEvent(ContainerEvent),
    /// A stats frame for a running container.
    Stats { id: String, sample: StatsSample },
    /// Log lines arrived.
    Logs(LogChunk),
    /// A step of a running operation (building, creating, starting, healthy…, a build line).
    Progress(Progress),
    /// The watch did something (synced files, rebuilt, restarted, skipped and why).
    WatchActivity(Activity),
    /// The current folder was scanned and detected, for the Wizard tab.
    WizardScanned(Box<WizardSeed>),
    /// The current folder could not be scanned.
    WizardScanFailed { reason: String },
    /// The wizard's files were written (`(path, contents)` each), or why not.
    FilesWritten {
        outcome: Result<Vec<(String, String)>, String>,
    },
    /// An action finished; `Err` carries what went wrong and what to do.
    ActionDone {
        op: Operation,
        outcome: Result<(), String>,
    },
}

/// An action the user started, as its outcome reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Operation {
    Up,
    Down,
    Watch,
    Service { op: ServiceOp, service: String },
    Container { op: ContainerOp, service: String },
    SaveLogs { path: String },
    Shell { container: String },
}

impl Operation {
    /// The service it worked on, when it was one service's.
    pub fn service(&self) -> Option<&str> {
        match self {
            Operation::Service { service, .. } | Operation::Container { service, .. } => {
                Some(service)
            }
            _ => None,
        }
    }

    /// `up` and `down`: the whole stack.
    pub fn stack_wide(&self) -> bool {
        matches!(self, Operation::Up | Operation::Down)
    }

    /// Whether it went through the compose engine (its failure stays on screen).
    pub fn compose(&self) -> bool {
        self.stack_wide() || matches!(self, Operation::Service { .. })
    }
}

impl std::fmt::Display for Operation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Operation::Up => f.write_str("up"),
            Operation::Down => f.write_str("down"),
            Operation::Watch => f.write_str("watch"),
            Operation::Service { op, service } => {
                let verb = match op {
                    ServiceOp::Rebuild => "rebuild",
                    ServiceOp::Recreate => "recreate",
                };
                write!(f, "{verb} {service}")
            }
            Operation::Container { op, service } => {
                let verb = match op {
                    ContainerOp::Start => "start",
                    ContainerOp::Stop => "stop",
                    ContainerOp::Restart => "restart",
                };
                write!(f, "{verb} {service}")
            }
            Operation::SaveLogs { path } => write!(f, "save logs to {path}"),
            Operation::Shell { container } => write!(f, "shell in {container}"),
        }
    }
}

/// A container-level operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContainerOp {
    Start,
    Stop,
    Restart,
}

/// A service-level operation that goes through the compose engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServiceOp {
    Rebuild,
    Recreate,
}

/// An instruction for the runtime, in the imperative.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cmd {
    /// Connect to the engine after a delay (0 = now) and report back with `Msg::EngineChanged`.
    ConnectEngine {
        after_ms: u64,
    },
    /// (Re)load the compose project the Stack tab shows and report `Msg::ProjectLoaded`
    /// or `Msg::ProjectFailed`.
    LoadProject,
    /// Show another project in the Stack tab (`None`: the current folder's): stop the old
    /// project's streams, then load it.
    OpenProject(Option<ProjectRef>),
    /// List every compose project on the engine now and after each change, until `StopProjects`.
    WatchProjects,
    StopProjects,
    /// Subscribe to the project's events, then list and inspect its containers.
    WatchStack {
        project: String,
    },
    /// Inspect one container and report `Msg::ContainerInspected`. `sizes` asks the engine
    /// to walk the writable layer, which costs a full directory walk: only on state changes.
    Inspect {
        id: String,
        sizes: bool,
    },
    /// Stream stats of a running container until told to stop.
    FollowStats {
        id: String,
    },
    StopStats {
        id: String,
    },
    /// Follow a container's logs, from `since` (RFC 3339) or the last lines when `None`.
    FollowLogs {
        id: String,
        service: String,
        since: Option<String>,
    },
    /// Run a container operation on every container of a service.
    Container {
        op: ContainerOp,
        service: String,
        ids: Vec<String>,
    },
    /// Run a compose operation on one service.
    Service {
        op: ServiceOp,
        service: String,
    },
    /// Bring the whole stack up / take it down.
    Up,
    Down,
    /// Start or stop the file watch.
    Watch {
        on: bool,
    },
    /// Suspend the app, run an interactive shell in the container, resume.
    Shell {
        id: String,
        name: String,
    },
    /// Write text to a file in the project folder and report `Msg::ActionDone`.
    SaveFile {
        path: String,
        text: String,
    },
    /// Scan and detect the current folder and report `Msg::WizardScanned`.
    ScanProject,
    /// Write the wizard's files (`(path, contents)`, relative to the current folder) with
    /// existing ones kept as FILE.bak, and report `Msg::FilesWritten`.
    WriteFiles {
        files: Vec<(String, String)>,
    },
    /// Leave the app and restore the terminal.
    Quit,
}
