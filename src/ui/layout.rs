//! Screen areas, computed once per frame and reused for mouse hit-testing.

use ratatui::layout::{Constraint, Layout, Rect};

/// Where each part of the screen goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScreenLayout {
    pub tabs: Rect,
    pub body: Rect,
    pub status: Rect,
}

impl ScreenLayout {
    pub fn compute(area: Rect) -> Self {
        let [tabs, body, status] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(0),
            Constraint::Length(1),
        ])
        .areas(area);
        Self { tabs, body, status }
    }
}

/// A rectangle of at most `width` x `height` centred in `area`.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}
