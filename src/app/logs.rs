//! The logs pane's half of `update`: appending lines, pause and scroll (an anchor on an
//! arrival number), the `/` filter, timestamps, saving the shown lines.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::keymap::StackAction;
use super::model::{LogScope, Model};
use super::msg::{Cmd, LogChunk};
use crate::domain::stack::{LogQuery, strip_ansi};

/// Appends lines. A paused view keeps its anchor, so the screen holds still.
pub fn append(model: &mut Model, chunk: LogChunk) {
    for (timestamp, text, stderr) in chunk.lines {
        model
            .logs
            .push(&chunk.container, &chunk.service, timestamp, text, stderr);
    }
}

/// Lines one page of the logs pane moves: about half the screen.
fn page(model: &Model) -> usize {
    usize::from(model.size.1 / 2).max(1)
}

/// Moves the view by `lines` (negative = up, older). Moving down past the newest follows again.
pub fn scroll(model: &mut Model, lines: isize) -> Vec<Cmd> {
    let q = model.log_query();
    let anchor = if lines < 0 {
        let newest = model.logs.seq_back(&q, 0);
        match model.logs.seq_back(&q, lines.unsigned_abs()) {
            Some(seq) => Some(seq),
            // Fewer lines than that: stop at the oldest.
            None => oldest(model).or(newest),
        }
    } else {
        match model.stack_ui.anchor {
            None => None,
            Some(from) => model.logs.seq_forward(&q, from, lines.unsigned_abs()),
        }
    };
    model.stack_ui.anchor = anchor;
    Vec::new()
}

fn oldest(model: &Model) -> Option<u64> {
    let q = LogQuery {
        until: model.stack_ui.anchor,
        ..model.log_query()
    };
    model.logs.tail(&q, usize::MAX).first().map(|f| f.line.seq)
}

pub fn action(model: &mut Model, action: StackAction) -> Vec<Cmd> {
    let ui = &mut model.stack_ui;
    match action {
        StackAction::ToggleScope => {
            ui.scope = match ui.scope {
                LogScope::All => LogScope::Selected,
                LogScope::Selected => LogScope::All,
            };
            ui.anchor = None;
        }
        StackAction::EditFilter => ui.editing_filter = true,
        StackAction::TogglePause => {
            ui.anchor = match ui.anchor {
                Some(_) => None,
                None => Some(model.logs.last_seq()),
            };
        }
        StackAction::ScrollUp => return scroll(model, -(page(model) as isize)),
        StackAction::ScrollDown => return scroll(model, page(model) as isize),
        StackAction::Follow => ui.anchor = None,
        StackAction::ToggleTimestamps => ui.timestamps = !ui.timestamps,
        StackAction::SaveLogs => return save(model),
        _ => {}
    }
    Vec::new()
}

/// Keys while the filter is being typed: text edits it, Enter keeps it, Esc clears it.
pub fn filter_key(model: &mut Model, key: KeyEvent) -> Vec<Cmd> {
    let ui = &mut model.stack_ui;
    match key.code {
        KeyCode::Enter => ui.editing_filter = false,
        KeyCode::Esc => {
            ui.editing_filter = false;
            ui.filter.clear();
        }
        KeyCode::Backspace => {
            ui.filter.pop();
        }
        KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => {
            model.quitting = true;
            return vec![Cmd::Quit];
        }
        KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => ui.filter.push(c),
        _ => {}
    }
    // A new filter shows the newest matches.
    model.stack_ui.anchor = None;
    Vec::new()
}

/// Saves the lines the pane would show (all of them, not only the visible page), without ANSI
/// escapes, to `<project>-<service|all>.log` in the project folder.
fn save(model: &mut Model) -> Vec<Cmd> {
    let q = model.log_query();
    let found = model.logs.tail(&q, usize::MAX);
    if found.is_empty() {
        model.toast = Some("no log lines to save".into());
        return Vec::new();
    }
    let mut text = String::new();
    for f in &found {
        if let Some(ts) = &f.line.timestamp {
            text.push_str(ts);
            text.push(' ');
        }
        text.push_str(f.service);
        text.push_str(" | ");
        text.push_str(&strip_ansi(&f.line.text));
        text.push('\n');
    }
    let project = if model.stack.project.is_empty() {
        "devbox"
    } else {
        &model.stack.project
    };
    let path = format!("{project}-{}.log", model.log_service().unwrap_or("all"));
    vec![Cmd::SaveFile { path, text }]
}
