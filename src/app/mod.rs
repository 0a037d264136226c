//! The TUI state machine (The Elm Architecture): `Msg` are facts that happened, `Cmd` are
//! things the runtime must do, `Model` is all UI state, and `update` is the only place it changes.

pub mod keymap;
pub mod keytable;
mod logs;
mod model;
mod msg;
mod progress;
mod projects;
pub mod settings;
mod stack;
mod tab;
mod wizard;
mod wizard_flow;

pub use keymap::{Action, KEYMAP, ProjectsAction, StackAction, WizardAction};
pub use model::{
    EngineState, FEED_LINES, FeedEntry, LogScope, Model, ProjectsUi, StackUi, StartStep, Tab,
};
pub use msg::{AppSeed, WizardSeed};
pub use msg::{ClickTarget, Cmd, ContainerOp, LogChunk, Msg, Operation, ServiceOp};
pub use wizard::{WizardState, WizardUi};

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind};

/// Backoff between reconnect attempts: 250 ms doubling up to 8 s.
pub fn reconnect_delay_ms(attempt: u32) -> u64 {
    (250u64 << attempt.min(5)).min(8000)
}

/// Applies one message to the model and returns what the runtime must do next.
pub fn update(model: &mut Model, msg: Msg) -> Vec<Cmd> {
    match msg {
        Msg::KeyPressed(key) if key.kind != KeyEventKind::Release => key_pressed(model, key),
        Msg::KeyPressed(_) => Vec::new(),
        Msg::Resized(cols, rows) => {
            model.size = (cols, rows);
            Vec::new()
        }
        Msg::Clicked(target) => stack::clicked(model, target),
        Msg::Wheel { target, down } => stack::wheel(model, target, down),
        Msg::EngineChanged(state) => engine_changed(model, state),
        Msg::EngineLost { reason } => {
            let endpoint = match &model.engine {
                EngineState::Connected { endpoint, .. }
                | EngineState::Unreachable { endpoint, .. } => endpoint.clone(),
                EngineState::Connecting => String::new(),
            };
            model.engine = EngineState::Unreachable { endpoint, reason };
            model.engine_silent = None;
            reconnect(model)
        }
        Msg::EngineSilent { seconds } => {
            model.engine_silent = Some(seconds);
            Vec::new()
        }
        // What happened while it was silent may be missing or stale: subscribe and list again.
        Msg::EngineAnswered if model.engine_silent.take().is_some() => {
            if model.engine_connected() && !model.stack.project.is_empty() {
                vec![Cmd::WatchStack {
                    project: model.stack.project.clone(),
                }]
            } else {
                Vec::new()
            }
        }
        Msg::EngineAnswered => Vec::new(),
        Msg::WizardScanned(seed) => {
            model.wizard = WizardState::Ready(Box::new(WizardUi::new(*seed)));
            Vec::new()
        }
        Msg::WizardScanFailed { reason } => {
            model.wizard = WizardState::Failed(reason);
            Vec::new()
        }
        Msg::FilesWritten { outcome } => wizard_flow::files_written(model, outcome),
        Msg::ProjectsListed(outcome) => projects::listed(model, outcome),
        other => stack::fact(model, other),
    }
}

fn engine_changed(model: &mut Model, state: EngineState) -> Vec<Cmd> {
    let unreachable = matches!(state, EngineState::Unreachable { .. });
    model.engine = state;
    model.engine_silent = None;
    if unreachable {
        // Keep trying with backoff: the user may be starting the engine right now.
        return reconnect(model);
    }
    if !model.engine_connected() {
        return Vec::new();
    }
    model.reconnect_attempts = 0;
    let mut cmds = projects::start(model);
    if !model.stack.project.is_empty() {
        cmds.push(Cmd::WatchStack {
            project: model.stack.project.clone(),
        });
    }
    cmds
}

fn reconnect(model: &mut Model) -> Vec<Cmd> {
    let after_ms = reconnect_delay_ms(model.reconnect_attempts);
    model.reconnect_attempts = model.reconnect_attempts.saturating_add(1);
    vec![Cmd::ConnectEngine { after_ms }]
}

fn key_pressed(model: &mut Model, key: KeyEvent) -> Vec<Cmd> {
    model.toast = None;
    if model.tab == Tab::Stack && model.stack_ui.editing_filter {
        return logs::filter_key(model, key);
    }
    let action = model.settings.keys.action_for(&key, model.tab);
    if model.show_help && action != Some(Action::Quit) {
        // Over the overlay only the help key and Esc do something (close it), and quit quits,
        // whichever keys the settings gave them.
        if action == Some(Action::ToggleHelp) || key.code == KeyCode::Esc {
            model.show_help = false;
        }
        return Vec::new();
    }
    if let (Tab::Wizard, KeyCode::Char(c), WizardState::Ready(ui)) =
        (model.tab, key.code, &mut model.wizard)
        && c.is_ascii_digit()
        && ui.type_digit(c)
    {
        return Vec::new();
    }
    match action {
        Some(action) => apply(model, action),
        None => Vec::new(),
    }
}

fn apply(model: &mut Model, action: Action) -> Vec<Cmd> {
    match action {
        Action::Quit => {
            model.quitting = true;
            vec![Cmd::Quit]
        }
        Action::ToggleHelp => {
            model.show_help = !model.show_help;
            Vec::new()
        }
        Action::Back => {
            model.show_help = false;
            Vec::new()
        }
        Action::NextTab => projects::show(model, model.tab.next()),
        Action::PrevTab => projects::show(model, model.tab.prev()),
        Action::ShowTab(tab) => projects::show(model, tab),
        Action::Reconnect => {
            model.engine = EngineState::Connecting;
            model.reconnect_attempts = 0;
            vec![Cmd::ConnectEngine { after_ms: 0 }]
        }
        Action::Stack(action) => stack::action(model, action),
        Action::Wizard(action) => wizard_flow::action(model, action),
        Action::Projects(action) => projects::action(model, action),
    }
}

#[cfg(test)]
mod projects_tests;
#[cfg(test)]
mod settings_tests;
#[cfg(test)]
mod stack_tests;
#[cfg(test)]
mod test_support;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod wizard_tests;
#[cfg(test)]
pub use test_support::gen_monorepo_seed;
#[cfg(test)]
pub use wizard::gen_node_seed;
