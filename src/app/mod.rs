//! The TUI state machine (The Elm Architecture): `Msg` are facts that happened, `Cmd` are
//! things the runtime must do, `Model` is all UI state, and `update` is the only place it changes.

pub mod keymap;
mod model;

pub use keymap::{Action, KEYMAP};
pub use model::{EngineState, Model, Tab};

use crossterm::event::{KeyEvent, KeyEventKind};

/// A fact delivered to `update`, in the past tense.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Msg {
    /// A key was pressed.
    KeyPressed(KeyEvent),
    /// The terminal was resized to (columns, rows).
    Resized(u16, u16),
    /// The engine connection task finished or the engine's state changed.
    EngineChanged(EngineState),
}

/// An instruction for the runtime, in the imperative.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cmd {
    /// Connect to the engine and report back with `Msg::EngineChanged`.
    ConnectEngine,
    /// Leave the app and restore the terminal.
    Quit,
}

/// Applies one message to the model and returns what the runtime must do next.
pub fn update(model: &mut Model, msg: Msg) -> Vec<Cmd> {
    match msg {
        Msg::KeyPressed(key) if key.kind != KeyEventKind::Release => match keymap::action_for(&key)
        {
            Some(action) => apply(model, action),
            None => Vec::new(),
        },
        Msg::KeyPressed(_) => Vec::new(),
        Msg::Resized(cols, rows) => {
            model.size = (cols, rows);
            Vec::new()
        }
        Msg::EngineChanged(state) => {
            model.engine = state;
            Vec::new()
        }
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
        // Esc closes the help overlay; elsewhere it does nothing yet.
        Action::Back => {
            model.show_help = false;
            Vec::new()
        }
        Action::NextTab => {
            model.tab = model.tab.next();
            Vec::new()
        }
        Action::PrevTab => {
            model.tab = model.tab.prev();
            Vec::new()
        }
        Action::ShowTab(tab) => {
            model.tab = tab;
            Vec::new()
        }
        Action::Reconnect => {
            model.engine = EngineState::Connecting;
            vec![Cmd::ConnectEngine]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyModifiers};

    fn press(model: &mut Model, code: KeyCode, mods: KeyModifiers) -> Vec<Cmd> {
        update(model, Msg::KeyPressed(KeyEvent::new(code, mods)))
    }

    #[test]
    fn question_mark_toggles_help_and_esc_closes_it() {
        let mut model = Model::default();
        press(&mut model, KeyCode::Char('?'), KeyModifiers::NONE);
        assert!(model.show_help);
        press(&mut model, KeyCode::Esc, KeyModifiers::NONE);
        assert!(!model.show_help);
    }

    #[test]
    fn q_and_ctrl_c_quit() {
        let mut model = Model::default();
        assert_eq!(
            press(&mut model, KeyCode::Char('q'), KeyModifiers::NONE),
            vec![Cmd::Quit]
        );
        let mut model = Model::default();
        assert_eq!(
            press(&mut model, KeyCode::Char('c'), KeyModifiers::CONTROL),
            vec![Cmd::Quit]
        );
        assert!(model.quitting);
    }

    #[test]
    fn tab_cycles_through_tabs() {
        let mut model = Model::default();
        assert_eq!(model.tab, Tab::Wizard);
        press(&mut model, KeyCode::Tab, KeyModifiers::NONE);
        assert_eq!(model.tab, Tab::Stack);
        press(&mut model, KeyCode::Tab, KeyModifiers::NONE);
        assert_eq!(model.tab, Tab::Wizard);
        press(&mut model, KeyCode::Char('2'), KeyModifiers::NONE);
        assert_eq!(model.tab, Tab::Stack);
    }

    #[test]
    fn engine_state_is_recorded_and_r_reconnects() {
        let mut model = Model::default();
        update(
            &mut model,
            Msg::EngineChanged(EngineState::Unreachable {
                endpoint: "unix:///x.sock".into(),
                reason: "the socket /x.sock does not exist".into(),
            }),
        );
        assert!(matches!(model.engine, EngineState::Unreachable { .. }));
        let cmds = press(&mut model, KeyCode::Char('r'), KeyModifiers::CONTROL);
        assert_eq!(cmds, vec![Cmd::ConnectEngine]);
        assert_eq!(model.engine, EngineState::Connecting);
    }
}
