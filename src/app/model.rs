//! All UI state of the TUI: which tab is shown, the help overlay, the engine's state, the
//! observed stack with its logs, and the Stack tab's view state.

use super::settings::Settings;
use super::wizard::WizardState;
use crate::domain::stack::projects::{ProjectRef, ProjectSummary};
use crate::domain::stack::{LogQuery, LogStore, Ring, Stack};

pub use super::tab::Tab;

/// What the app knows about the engine connection.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum EngineState {
    #[default]
    Connecting,
    Connected {
        endpoint: String,
        server_version: String,
        api_version: String,
    },
    Unreachable {
        endpoint: String,
        reason: String,
    },
}

/// Which services the logs pane shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LogScope {
    /// Every service merged, a colour each.
    #[default]
    All,
    /// Only the selected row's service.
    Selected,
}

/// One line of the watch activity feed (file syncs, rebuilds, restarts done by the watch).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedEntry {
    pub service: String,
    pub text: String,
    pub ok: bool,
}

/// Where the wizard's "Start stack" is on its way to `up`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartStep {
    /// The files are being written; then the project is (re)loaded.
    Writing,
    /// The compose project is being (re)loaded; then the stack comes up.
    Loading,
}

/// Feed lines kept.
pub const FEED_LINES: usize = 200;

/// The Stack tab's view state.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StackUi {
    /// Index into `Stack::rows()`.
    pub selected: usize,
    pub scope: LogScope,
    /// The logs filter (`/`); empty = all lines.
    pub filter: String,
    /// Keys go to the filter text while this is set.
    pub editing_filter: bool,
    /// The newest log line shown when paused or scrolled; `None` follows new lines.
    pub anchor: Option<u64>,
    pub timestamps: bool,
    /// The watch (`w`) is on.
    pub watching: bool,
    /// Why the last up / down / service action failed, shown until the next one succeeds
    /// (a toast would vanish with the next key, and this is what the user must act on).
    pub action_error: Option<String>,
}

/// The Projects tab: every compose project on the engine, as last listed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProjectsUi {
    pub rows: Vec<ProjectSummary>,
    pub selected: usize,
    /// The list arrived at least once since the tab was opened.
    pub listed: bool,
    /// Why the last listing failed.
    pub error: Option<String>,
    /// The project the Stack tab shows when it is not the current folder's (opened here).
    pub opened: Option<ProjectRef>,
}

/// The whole UI state. Drawing reads it; only `update` writes it.
#[derive(Debug, Clone)]
pub struct Model {
    pub tab: Tab,
    pub show_help: bool,
    pub engine: EngineState,
    pub size: (u16, u16),
    pub quitting: bool,
    /// `NO_COLOR` is set: draw with modifiers only.
    pub no_color: bool,
    /// The newest Unix time seen in an engine fact (events and stats frames carry one), so
    /// uptimes advance without a timer.
    pub now: i64,
    /// Where the compose project could not be read, when it could not.
    pub project_error: Option<String>,
    pub stack: Stack,
    pub logs: LogStore,
    pub stack_ui: StackUi,
    /// The Wizard tab: the walk, detection and the live preview.
    pub wizard: WizardState,
    pub feed: Ring<FeedEntry>,
    /// A one-line message for the status bar (an action's outcome, a URL); cleared by the next key.
    pub toast: Option<String>,
    /// Reconnect attempts since the engine was last reachable, for the backoff.
    pub reconnect_attempts: u32,
    /// Seconds the connected engine has not answered a ping; the rows are as old as that.
    pub engine_silent: Option<u64>,
    /// The wizard's "Start stack" in flight.
    pub starting: Option<StartStep>,
    /// The tab is settled: the user (or `--tab`) chose one, or the first project load picked
    /// it. Later loads (the wizard writing a compose file) never move the user.
    pub tab_chosen: bool,
    pub projects: ProjectsUi,
    /// The settings file's values (or the defaults), with the keys in effect.
    pub settings: Settings,
    /// What was wrong in the settings file (`path:line: …`), for the help overlay.
    pub settings_problems: Vec<String>,
    /// Image pulls in flight, by service: their layers, for the service's progress line.
    pub pulls: std::collections::HashMap<String, crate::domain::pull_meter::PullMeter>,
}

impl Default for Model {
    fn default() -> Self {
        Self {
            tab: Tab::default(),
            show_help: false,
            engine: EngineState::default(),
            size: (0, 0),
            quitting: false,
            no_color: false,
            now: 0,
            project_error: None,
            stack: Stack::default(),
            logs: LogStore::default(),
            stack_ui: StackUi::default(),
            wizard: WizardState::default(),
            feed: Ring::new(FEED_LINES),
            toast: None,
            reconnect_attempts: 0,
            engine_silent: None,
            starting: None,
            tab_chosen: false,
            projects: ProjectsUi::default(),
            settings: Settings::default(),
            settings_problems: Vec::new(),
            pulls: std::collections::HashMap::new(),
        }
    }
}

impl Model {
    /// The service of the selected row.
    pub fn selected_service(&self) -> Option<&str> {
        let row = *self.stack.rows().get(self.stack_ui.selected)?;
        Some(self.stack.services.get(row.service)?.spec.name.as_str())
    }

    /// The container of the selected row, if it has one.
    pub fn selected_container(&self) -> Option<&crate::domain::stack::ContainerView> {
        let row = *self.stack.rows().get(self.stack_ui.selected)?;
        self.stack.row(row)?.1
    }

    /// The query for what the logs pane shows now.
    pub fn log_query(&self) -> LogQuery<'_> {
        LogQuery {
            service: self.log_service(),
            filter: &self.stack_ui.filter,
            until: self.stack_ui.anchor,
        }
    }

    /// The service whose logs the pane shows, or `None` for all.
    pub fn log_service(&self) -> Option<&str> {
        match self.stack_ui.scope {
            LogScope::All => None,
            LogScope::Selected => self.selected_service(),
        }
    }
}
