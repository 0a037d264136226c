//! Keys as data: one table maps key presses to actions per tab, and the help overlay is drawn
//! from it, so the two can never disagree.

use crossterm::event::{KeyCode, KeyModifiers};

use super::tab::Tab;

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
    Stack(StackAction),
    Wizard(WizardAction),
    Projects(ProjectsAction),
}

/// Projects tab actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProjectsAction {
    SelectUp,
    SelectDown,
    Open,
}

/// Wizard tab actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WizardAction {
    Up,
    Down,
    Toggle,
    Answer,
    Back,
    CyclePreview,
    ToggleDiff,
    ScrollPreviewUp,
    ScrollPreviewDown,
    Write,
    StartStack,
}

/// Stack tab actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StackAction {
    SelectUp,
    SelectDown,
    Start,
    Stop,
    Restart,
    Rebuild,
    Recreate,
    Up,
    Down,
    ToggleWatch,
    Shell,
    ShowUrl,
    ToggleScope,
    EditFilter,
    TogglePause,
    ScrollUp,
    ScrollDown,
    Follow,
    ToggleTimestamps,
    SaveLogs,
}

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Global,
    Only(Tab),
}

/// One row of the key map: the key, its modifiers, where it applies, the action and the help.
pub struct Binding {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
    pub scope: Scope,
    pub action: Action,
    pub keys: &'static str,
    pub help: &'static str,
}

const NONE: KeyModifiers = KeyModifiers::NONE;
const CTRL: KeyModifiers = KeyModifiers::CONTROL;

const fn global(
    code: KeyCode,
    modifiers: KeyModifiers,
    action: Action,
    keys: &'static str,
    help: &'static str,
) -> Binding {
    Binding {
        code,
        modifiers,
        scope: Scope::Global,
        action,
        keys,
        help,
    }
}

const fn stack(
    code: KeyCode,
    action: StackAction,
    keys: &'static str,
    help: &'static str,
) -> Binding {
    Binding {
        code,
        modifiers: NONE,
        scope: Scope::Only(Tab::Stack),
        action: Action::Stack(action),
        keys,
        help,
    }
}

const fn wizard(
    code: KeyCode,
    action: WizardAction,
    keys: &'static str,
    help: &'static str,
) -> Binding {
    Binding {
        code,
        modifiers: NONE,
        scope: Scope::Only(Tab::Wizard),
        action: Action::Wizard(action),
        keys,
        help,
    }
}

const fn projects(
    code: KeyCode,
    action: ProjectsAction,
    keys: &'static str,
    help: &'static str,
) -> Binding {
    Binding {
        code,
        modifiers: NONE,
        scope: Scope::Only(Tab::Projects),
        action: Action::Projects(action),
        keys,
        help,
    }
}

use KeyCode::Char;
use ProjectsAction as P;
use StackAction as S;
use WizardAction as W;

/// Every key binding, in the order the help overlay lists them. The first binding of an action
/// with a given `keys` text is the one shown; aliases have an empty `help`.
pub const KEYMAP: &[Binding] = &[
    global(
        Char('?'),
        NONE,
        Action::ToggleHelp,
        "?",
        "show or hide this help",
    ),
    global(KeyCode::Esc, NONE, Action::Back, "Esc", "close the overlay"),
    global(KeyCode::Tab, NONE, Action::NextTab, "Tab", "next tab"),
    global(
        KeyCode::BackTab,
        KeyModifiers::SHIFT,
        Action::PrevTab,
        "Shift-Tab",
        "previous tab",
    ),
    global(
        Char('1'),
        NONE,
        Action::ShowTab(Tab::Wizard),
        "1",
        "Wizard tab",
    ),
    global(
        Char('2'),
        NONE,
        Action::ShowTab(Tab::Stack),
        "2",
        "Stack tab",
    ),
    global(
        Char('3'),
        NONE,
        Action::ShowTab(Tab::Projects),
        "3",
        "Projects tab (every compose project on the engine)",
    ),
    global(
        Char('r'),
        CTRL,
        Action::Reconnect,
        "Ctrl-R",
        "reconnect to the engine",
    ),
    global(Char('q'), NONE, Action::Quit, "q", "quit"),
    global(Char('c'), CTRL, Action::Quit, "Ctrl-C", "quit"),
    wizard(KeyCode::Up, W::Up, "↑/k", "highlight the choice above"),
    wizard(Char('k'), W::Up, "", ""),
    wizard(KeyCode::Down, W::Down, "↓/j", "highlight the choice below"),
    wizard(Char('j'), W::Down, "", ""),
    wizard(
        Char(' '),
        W::Toggle,
        "Space",
        "tick or untick (multiple choice)",
    ),
    wizard(
        KeyCode::Enter,
        W::Answer,
        "Enter",
        "answer (port: type digits first)",
    ),
    wizard(
        KeyCode::Backspace,
        W::Back,
        "Backspace",
        "back to the previous question",
    ),
    wizard(Char('f'), W::CyclePreview, "f", "preview the next file"),
    wizard(
        Char('d'),
        W::ToggleDiff,
        "d",
        "preview: whole file or diff against disk",
    ),
    wizard(
        KeyCode::PageUp,
        W::ScrollPreviewUp,
        "PgUp/PgDn",
        "preview: scroll",
    ),
    wizard(KeyCode::PageDown, W::ScrollPreviewDown, "", ""),
    wizard(
        Char('W'),
        W::Write,
        "W",
        "write the files (old ones kept as .bak)",
    ),
    wizard(
        Char('S'),
        W::StartStack,
        "S",
        "write if needed, then start the stack",
    ),
    stack(KeyCode::Up, S::SelectUp, "↑/k", "select the row above"),
    stack(Char('k'), S::SelectUp, "", ""),
    stack(KeyCode::Down, S::SelectDown, "↓/j", "select the row below"),
    stack(Char('j'), S::SelectDown, "", ""),
    stack(Char('s'), S::Start, "s", "start the service"),
    stack(Char('x'), S::Stop, "x", "stop the service"),
    stack(Char('r'), S::Restart, "r", "restart the service"),
    stack(Char('b'), S::Rebuild, "b", "rebuild image, recreate"),
    stack(Char('c'), S::Recreate, "c", "recreate the container"),
    stack(Char('u'), S::Up, "u", "bring the whole stack up"),
    stack(Char('D'), S::Down, "D", "take the whole stack down"),
    stack(Char('w'), S::ToggleWatch, "w", "file watch on/off"),
    stack(Char('e'), S::Shell, "e", "shell in the container"),
    stack(Char('o'), S::ShowUrl, "o", "URLs of published ports"),
    stack(Char('a'), S::ToggleScope, "a", "logs: all / selected"),
    stack(Char('/'), S::EditFilter, "/", "logs: filter (Esc clears)"),
    stack(
        Char('p'),
        S::TogglePause,
        "p/Space",
        "logs: pause or follow",
    ),
    stack(Char(' '), S::TogglePause, "", ""),
    stack(KeyCode::PageUp, S::ScrollUp, "PgUp/PgDn", "logs: scroll"),
    stack(KeyCode::PageDown, S::ScrollDown, "", ""),
    stack(KeyCode::End, S::Follow, "End/G", "logs: follow newest"),
    stack(Char('G'), S::Follow, "", ""),
    stack(
        Char('t'),
        S::ToggleTimestamps,
        "t",
        "logs: timestamps on or off",
    ),
    stack(Char('S'), S::SaveLogs, "S", "logs: save to a file"),
    projects(KeyCode::Up, P::SelectUp, "↑/k", "select the project above"),
    projects(Char('k'), P::SelectUp, "", ""),
    projects(
        KeyCode::Down,
        P::SelectDown,
        "↓/j",
        "select the project below",
    ),
    projects(Char('j'), P::SelectDown, "", ""),
    projects(
        KeyCode::Enter,
        P::Open,
        "Enter",
        "open the project's stack in the Stack tab",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    use crate::app::keytable::KeyTable;
    use crossterm::event::KeyEvent;

    fn action_for(key: &KeyEvent, tab: Tab) -> Option<Action> {
        KeyTable::default().action_for(key, tab)
    }

    #[test]
    fn tab_bindings_win_and_globals_apply_everywhere() {
        let r = KeyEvent::new(Char('r'), NONE);
        assert_eq!(action_for(&r, Tab::Stack), Some(Action::Stack(S::Restart)));
        assert_eq!(action_for(&r, Tab::Wizard), None);
        let q = KeyEvent::new(Char('q'), NONE);
        assert_eq!(action_for(&q, Tab::Stack), Some(Action::Quit));
        let big_g = KeyEvent::new(Char('G'), KeyModifiers::SHIFT);
        assert_eq!(
            action_for(&big_g, Tab::Stack),
            Some(Action::Stack(S::Follow))
        );
    }

    #[test]
    fn every_key_is_bound_once_per_scope() {
        for (i, a) in KEYMAP.iter().enumerate() {
            for b in &KEYMAP[i + 1..] {
                assert!(
                    !(a.code == b.code && a.modifiers == b.modifiers && a.scope == b.scope),
                    "{:?} is bound twice",
                    a.code
                );
            }
        }
    }

    #[test]
    fn help_lists_globals_and_the_tab_without_aliases() {
        let table = KeyTable::default();
        let stack: Vec<&str> = table
            .help_for(Tab::Stack)
            .map(|b| b.keys.as_str())
            .collect();
        assert!(stack.contains(&"?") && stack.contains(&"r") && !stack.contains(&""));
        assert!(!table.help_for(Tab::Wizard).any(|b| b.keys == "r"));
    }
}
