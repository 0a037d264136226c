//! The key bindings in effect: `KEYMAP`'s defaults with the settings file's changes, each
//! action named (`quit`, `stack.restart`) so the file can rebind it. The help overlay and key
//! handling both read this table.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::keymap::{Action, KEYMAP, ProjectsAction, Scope, StackAction, WizardAction};
use super::tab::Tab;

/// One binding in effect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bound {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
    pub scope: Scope,
    pub action: Action,
    /// How the help overlay writes the key (`↑/k`, `Ctrl-R`); empty for an alias.
    pub keys: String,
    pub help: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyTable {
    bound: Vec<Bound>,
}

impl Default for KeyTable {
    fn default() -> Self {
        Self {
            bound: KEYMAP
                .iter()
                .map(|b| Bound {
                    code: b.code,
                    modifiers: b.modifiers,
                    scope: b.scope,
                    action: b.action,
                    keys: b.keys.to_owned(),
                    help: b.help,
                })
                .collect(),
        }
    }
}

fn fits(b: &Bound, key: &KeyEvent) -> bool {
    // Shift is ignored for characters: terminals report `?` or `G` both with and without it.
    b.code == key.code
        && (b.modifiers == key.modifiers
            || (matches!(key.code, KeyCode::Char(_) | KeyCode::BackTab)
                && b.modifiers | KeyModifiers::SHIFT == key.modifiers | KeyModifiers::SHIFT))
}

impl KeyTable {
    /// The action bound to a key press on a tab, if any. Tab bindings win over global ones.
    pub fn action_for(&self, key: &KeyEvent, tab: Tab) -> Option<Action> {
        let mut fitting = self.bound.iter().filter(|b| fits(b, key));
        let all: Vec<&Bound> = fitting.by_ref().collect();
        all.iter()
            .find(|b| b.scope == Scope::Only(tab))
            .or_else(|| all.iter().find(|b| b.scope == Scope::Global))
            .map(|b| b.action)
    }

    /// The bindings the help overlay lists for a tab: global ones, then the tab's, aliases hidden.
    pub fn help_for(&self, tab: Tab) -> impl Iterator<Item = &Bound> {
        self.bound.iter().filter(move |b| {
            !b.help.is_empty() && (b.scope == Scope::Global || b.scope == Scope::Only(tab))
        })
    }

    /// Binds the action named `name` (`quit`, `stack.restart`) to a key instead of its default
    /// one (aliases such as the arrow keys stay); refused when the key already does something
    /// else where the action applies.
    pub fn rebind(
        &mut self,
        name: &str,
        code: KeyCode,
        modifiers: KeyModifiers,
        written: &str,
    ) -> Result<(), String> {
        let Some(at) = self
            .bound
            .iter()
            .position(|b| !b.help.is_empty() && full_name(b.scope, b.action) == name)
        else {
            let names: Vec<String> = self
                .bound
                .iter()
                .filter(|b| !b.help.is_empty())
                .map(|b| full_name(b.scope, b.action))
                .fold(Vec::new(), |mut v, n| {
                    if !v.contains(&n) {
                        v.push(n);
                    }
                    v
                });
            return Err(format!(
                "unknown action `{name}` (one of: {})",
                names.join(", ")
            ));
        };
        let (scope, action) = (self.bound[at].scope, self.bound[at].action);
        let probe = KeyEvent::new(code, modifiers);
        let clash = self.bound.iter().find(|b| {
            b.action != action
                && fits(b, &probe)
                && (b.scope == scope || b.scope == Scope::Global || scope == Scope::Global)
        });
        if let Some(other) = clash {
            return Err(format!(
                "`{written}` already does {} ({})",
                full_name(other.scope, other.action),
                other.help_or_alias()
            ));
        }
        let b = &mut self.bound[at];
        b.code = code;
        b.modifiers = modifiers;
        b.keys = written.to_owned();
        Ok(())
    }
}

impl Bound {
    fn help_or_alias(&self) -> &str {
        if self.help.is_empty() {
            "an alias"
        } else {
            self.help
        }
    }
}

/// `quit`, `stack.restart`: what the settings file calls an action.
pub fn full_name(scope: Scope, action: Action) -> String {
    let name = action_name(action);
    match scope {
        Scope::Global => name.to_owned(),
        Scope::Only(tab) => format!("{}.{name}", tab.title().to_ascii_lowercase()),
    }
}

fn action_name(action: Action) -> &'static str {
    use ProjectsAction as P;
    use StackAction as S;
    use WizardAction as W;
    match action {
        Action::Quit => "quit",
        Action::ToggleHelp => "help",
        Action::Back => "back",
        Action::NextTab => "next-tab",
        Action::PrevTab => "prev-tab",
        Action::ShowTab(Tab::Wizard) => "wizard-tab",
        Action::ShowTab(Tab::Stack) => "stack-tab",
        Action::ShowTab(Tab::Projects) => "projects-tab",
        Action::Reconnect => "reconnect",
        Action::Stack(s) => match s {
            S::SelectUp => "select-up",
            S::SelectDown => "select-down",
            S::Start => "start",
            S::Stop => "stop",
            S::Restart => "restart",
            S::Rebuild => "rebuild",
            S::Recreate => "recreate",
            S::Up => "up",
            S::Down => "down",
            S::ToggleWatch => "watch",
            S::Shell => "shell",
            S::ShowUrl => "urls",
            S::ToggleScope => "log-scope",
            S::EditFilter => "log-filter",
            S::TogglePause => "log-pause",
            S::ScrollUp => "log-scroll-up",
            S::ScrollDown => "log-scroll-down",
            S::Follow => "log-follow",
            S::ToggleTimestamps => "log-timestamps",
            S::SaveLogs => "log-save",
        },
        Action::Wizard(w) => match w {
            W::Up => "up",
            W::Down => "down",
            W::Toggle => "toggle",
            W::Answer => "answer",
            W::Back => "back",
            W::CyclePreview => "next-file",
            W::ToggleDiff => "diff",
            W::ScrollPreviewUp => "scroll-up",
            W::ScrollPreviewDown => "scroll-down",
            W::Write => "write",
            W::StartStack => "start-stack",
        },
        Action::Projects(p) => match p {
            P::SelectUp => "select-up",
            P::SelectDown => "select-down",
            P::Open => "open",
        },
    }
}

/// `r`, `R`, `ctrl-r`, `alt-x`, `enter`, `esc`, `tab`, `space`, `up`, `pgdn`, `f5`: a key as the
/// settings file writes it.
pub fn parse_key(text: &str) -> Option<(KeyCode, KeyModifiers)> {
    let mut modifiers = KeyModifiers::NONE;
    let mut rest = text.trim();
    loop {
        let lower = rest.to_ascii_lowercase();
        let (flag, len) = if lower.starts_with("ctrl-") || lower.starts_with("ctrl+") {
            (KeyModifiers::CONTROL, 5)
        } else if lower.starts_with("alt-") || lower.starts_with("alt+") {
            (KeyModifiers::ALT, 4)
        } else if lower.starts_with("shift-") || lower.starts_with("shift+") {
            (KeyModifiers::SHIFT, 6)
        } else {
            break;
        };
        modifiers |= flag;
        rest = &rest[len..];
    }
    let mut chars = rest.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        let c = if modifiers.contains(KeyModifiers::CONTROL) {
            c.to_ascii_lowercase()
        } else {
            c
        };
        return Some((KeyCode::Char(c), modifiers));
    }
    let code = match rest.to_ascii_lowercase().as_str() {
        "enter" | "return" => KeyCode::Enter,
        "esc" | "escape" => KeyCode::Esc,
        "tab" => KeyCode::Tab,
        "backtab" => KeyCode::BackTab,
        "space" => KeyCode::Char(' '),
        "backspace" => KeyCode::Backspace,
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        "pgup" | "pageup" => KeyCode::PageUp,
        "pgdn" | "pagedown" => KeyCode::PageDown,
        "delete" | "del" => KeyCode::Delete,
        "insert" | "ins" => KeyCode::Insert,
        f if f.starts_with('f') => {
            KeyCode::F(f[1..].parse().ok().filter(|n| (1..=24).contains(n))?)
        }
        _ => return None,
    };
    Some((code, modifiers))
}
