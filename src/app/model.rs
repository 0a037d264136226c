//! All UI state of the TUI: which tab is shown, the help overlay, the engine's state.

/// The app's tabs, in the order the tab bar shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tab {
    #[default]
    Wizard,
    Stack,
}

impl Tab {
    pub const ALL: [Tab; 2] = [Tab::Wizard, Tab::Stack];

    pub fn title(self) -> &'static str {
        match self {
            Tab::Wizard => "Wizard",
            Tab::Stack => "Stack",
        }
    }

    pub fn index(self) -> usize {
        Self::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }

    pub fn next(self) -> Tab {
        Self::ALL[(self.index() + 1) % Self::ALL.len()]
    }

    pub fn prev(self) -> Tab {
        Self::ALL[(self.index() + Self::ALL.len() - 1) % Self::ALL.len()]
    }
}

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

/// The whole UI state. Drawing reads it; only `update` writes it.
#[derive(Debug, Clone, Default)]
pub struct Model {
    pub tab: Tab,
    pub show_help: bool,
    pub engine: EngineState,
    pub size: (u16, u16),
    pub quitting: bool,
}
