//! The Wizard tab's half of `update`: its keys, the outcome of writing its files, and the
//! hand-over to the Stack tab ("Start stack": write if needed → reload the project → up).

use super::keymap::WizardAction;
use super::model::{FeedEntry, Model, StartStep, Tab};
use super::msg::Cmd;
use super::wizard::WizardState;

pub fn action(model: &mut Model, action: WizardAction) -> Vec<Cmd> {
    let page = model.size.1.saturating_sub(6);
    let WizardState::Ready(ui) = &mut model.wizard else {
        return Vec::new();
    };
    match action {
        WizardAction::Up => ui.move_cursor(false),
        WizardAction::Down => ui.move_cursor(true),
        WizardAction::Toggle => ui.toggle(),
        WizardAction::Answer => {
            if let Err(reason) = ui.answer() {
                model.toast = Some(reason);
            }
        }
        WizardAction::Back => ui.back(),
        WizardAction::CyclePreview => ui.cycle_preview(),
        WizardAction::ToggleDiff => ui.toggle_diff(),
        WizardAction::ScrollPreviewUp => ui.scroll_preview(false, page),
        WizardAction::ScrollPreviewDown => ui.scroll_preview(true, page),
        WizardAction::Write => return write(model, false),
        WizardAction::StartStack => return write(model, true),
    }
    Vec::new()
}

/// Writes what changed; with `then_start`, the stack is started once the files are on disk
/// (at once when they already are).
fn write(model: &mut Model, then_start: bool) -> Vec<Cmd> {
    let WizardState::Ready(ui) = &model.wizard else {
        return Vec::new();
    };
    match ui.write_cmd() {
        Some(Cmd::WriteFiles { files }) if files.is_empty() => {
            if then_start {
                return start_stack(model);
            }
            model.toast = Some("the files on disk are up to date: nothing to write".into());
            Vec::new()
        }
        Some(cmd) => {
            model.toast = Some("writing files…".into());
            if then_start {
                model.starting = Some(StartStep::Writing);
            }
            vec![cmd]
        }
        None => {
            model.toast = Some(match &ui.render_error {
                Some(err) => format!("cannot write: {err}"),
                None => "answer the remaining questions first (Enter takes the default)".into(),
            });
            Vec::new()
        }
    }
}

/// Switches to the Stack tab and reloads the project (the compose file may be new), after
/// which `up` runs (see `loaded`).
fn start_stack(model: &mut Model) -> Vec<Cmd> {
    model.tab = Tab::Stack;
    model.tab_chosen = true;
    model.starting = Some(StartStep::Loading);
    model.stack.bringing_up = true;
    model.stack_ui.action_error = None;
    model.toast = Some("starting the stack…".into());
    vec![super::projects::back_home(model)]
}

/// The project was (re)loaded: when the wizard is starting the stack, bring it up now.
pub fn loaded(model: &mut Model, ok: bool) -> Vec<Cmd> {
    if model.starting != Some(StartStep::Loading) {
        return Vec::new();
    }
    model.starting = None;
    if ok {
        vec![Cmd::Up]
    } else {
        // The loader's reason is on screen in place of the services.
        model.stack.bringing_up = false;
        model.toast = Some("the stack cannot start: the compose file does not load".into());
        Vec::new()
    }
}

pub fn files_written(
    model: &mut Model,
    outcome: Result<Vec<(String, String)>, String>,
) -> Vec<Cmd> {
    let starting = model.starting.take() == Some(StartStep::Writing);
    match outcome {
        Ok(files) => {
            let names: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
            let changed: Vec<&str> = match &model.wizard {
                WizardState::Ready(ui) => names
                    .iter()
                    .copied()
                    .filter(|n| ui.existing.contains_key(*n))
                    .collect(),
                _ => Vec::new(),
            };
            let mut text = format!("wrote {}", names.join(", "));
            if !changed.is_empty() {
                text.push_str(&format!(
                    " (previous kept as {}.bak)",
                    changed.join(".bak, ")
                ));
            }
            model.feed.push(FeedEntry {
                service: "wizard".into(),
                text: text.clone(),
                ok: true,
            });
            model.toast = Some(text);
            if let WizardState::Ready(ui) = &mut model.wizard {
                ui.written(&files);
            }
            if starting {
                return start_stack(model);
            }
        }
        Err(reason) => {
            model.feed.push(FeedEntry {
                service: "wizard".into(),
                text: reason.clone(),
                ok: false,
            });
            model.toast = Some(reason);
        }
    }
    Vec::new()
}
