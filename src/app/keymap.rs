//! Keys as data: one table maps key presses to actions, and the help overlay is drawn from it.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::model::Tab;

/// What a key asks the app to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    ToggleHelp,
    Back,
    NextTab,
    PrevTab,
    ShowTab(Tab),
    Reconnect,
}

/// One row of the key map: the key, its modifiers, the action and the help text.
pub struct Binding {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
    pub action: Action,
    pub keys: &'static str,
    pub help: &'static str,
}

const fn bind(
    code: KeyCode,
    modifiers: KeyModifiers,
    action: Action,
    keys: &'static str,
    help: &'static str,
) -> Binding {
    Binding {
        code,
        modifiers,
        action,
        keys,
        help,
    }
}

/// Every global key binding, in the order the help overlay lists them.
pub const KEYMAP: &[Binding] = &[
    bind(
        KeyCode::Char('?'),
        KeyModifiers::NONE,
        Action::ToggleHelp,
        "?",
        "show or hide this help",
    ),
    bind(
        KeyCode::Esc,
        KeyModifiers::NONE,
        Action::Back,
        "Esc",
        "close the overlay",
    ),
    bind(
        KeyCode::Tab,
        KeyModifiers::NONE,
        Action::NextTab,
        "Tab",
        "next tab",
    ),
    bind(
        KeyCode::BackTab,
        KeyModifiers::SHIFT,
        Action::PrevTab,
        "Shift-Tab",
        "previous tab",
    ),
    bind(
        KeyCode::Char('1'),
        KeyModifiers::NONE,
        Action::ShowTab(Tab::Wizard),
        "1",
        "Wizard tab",
    ),
    bind(
        KeyCode::Char('2'),
        KeyModifiers::NONE,
        Action::ShowTab(Tab::Stack),
        "2",
        "Stack tab",
    ),
    bind(
        KeyCode::Char('r'),
        KeyModifiers::CONTROL,
        Action::Reconnect,
        "Ctrl-R",
        "reconnect to the engine",
    ),
    bind(
        KeyCode::Char('q'),
        KeyModifiers::NONE,
        Action::Quit,
        "q",
        "quit",
    ),
    bind(
        KeyCode::Char('c'),
        KeyModifiers::CONTROL,
        Action::Quit,
        "Ctrl-C",
        "quit",
    ),
];

/// The action bound to a key press, if any. Shift is ignored for characters because terminals
/// report `?` both with and without it.
pub fn action_for(key: &KeyEvent) -> Option<Action> {
    KEYMAP
        .iter()
        .find(|b| {
            b.code == key.code
                && (b.modifiers == key.modifiers
                    || (matches!(key.code, KeyCode::Char(_) | KeyCode::BackTab)
                        && b.modifiers | KeyModifiers::SHIFT
                            == key.modifiers | KeyModifiers::SHIFT))
        })
        .map(|b| b.action)
}
