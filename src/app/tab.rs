//! The app's tabs and their order.

/// The app's tabs, in the order the tab bar shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tab {
    #[default]
    Wizard,
    Stack,
    /// Every compose project on the engine.
    Projects,
}

impl Tab {
    pub const ALL: [Tab; 3] = [Tab::Wizard, Tab::Stack, Tab::Projects];

    pub fn title(self) -> &'static str {
        match self {
            Tab::Wizard => "Wizard",
            Tab::Stack => "Stack",
            Tab::Projects => "Projects",
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
