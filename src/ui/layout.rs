//! Screen areas, computed from the screen size and the model alone, so drawing and mouse
//! hit-testing use the very same rectangles.

use ratatui::layout::{Constraint, Layout, Rect};

use crate::app::{ClickTarget, Model, Tab};

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

/// Below this width the Stack tab stacks its panels; from it up, details and the watch feed
/// sit beside the logs.
pub const WIDE: u16 = 120;

/// The Stack tab's panels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StackLayout {
    pub table: Rect,
    pub details: Rect,
    pub logs: Rect,
    /// Zero-sized when there is no feed to show on a narrow screen.
    pub feed: Rect,
}

impl StackLayout {
    pub fn compute(body: Rect, model: &Model) -> Self {
        let rows = model.stack.rows().len() as u16;
        // Borders and the header take three lines; the table never takes more than ~40%, and
        // a failed action's message below it (what the user must act on) up to ~60% with it.
        let table_h = (rows.max(1) + 3).min((body.height * 2 / 5).max(4));
        let failure_h = action_error_height(model, body.width);
        let table_h = (table_h + failure_h).min((body.height * 3 / 5).max(table_h));
        let [table, rest] =
            Layout::vertical([Constraint::Length(table_h), Constraint::Min(0)]).areas(body);
        if body.width >= WIDE {
            let [logs, side] =
                Layout::horizontal([Constraint::Min(0), Constraint::Length(52)]).areas(rest);
            let [details, feed] =
                Layout::vertical([Constraint::Percentage(55), Constraint::Min(0)]).areas(side);
            return Self {
                table,
                details,
                logs,
                feed,
            };
        }
        let show_feed = model.stack_ui.watching || !model.feed.is_empty();
        let feed_h = if show_feed { 4 } else { 0 };
        let [details, logs, feed] = Layout::vertical([
            Constraint::Length(5),
            Constraint::Min(0),
            Constraint::Length(feed_h),
        ])
        .areas(rest);
        Self {
            table,
            details,
            logs,
            feed,
        }
    }
}

/// Rows of the failed-action box under the services table (0 without one): the wrapped
/// message, at most 8 lines, and its borders.
pub fn action_error_height(model: &Model, width: u16) -> u16 {
    let Some(error) = &model.stack_ui.action_error else {
        return 0;
    };
    let inner = usize::from(width.saturating_sub(2)).max(1);
    let lines: usize = error
        .split('\n')
        .map(|l| l.chars().count().div_ceil(inner).max(1))
        .sum();
    // Word wrapping needs a little more than the character count.
    let lines = lines + lines / 4;
    u16::try_from(lines).unwrap_or(u16::MAX).clamp(1, 8) + 2
}

/// The first table row shown, so the selected row stays visible.
pub fn table_offset(table: Rect, selected: usize) -> usize {
    let visible = usize::from(table.height.saturating_sub(3)).max(1);
    selected.saturating_sub(visible - 1)
}

/// The x ranges of the tab titles as the tab bar draws them (` 1 Wizard │ 2 Stack `).
pub fn tab_spans(area: Rect) -> Vec<(Tab, u16, u16)> {
    let mut x = area.x;
    Tab::ALL
        .iter()
        .enumerate()
        .map(|(i, tab)| {
            let width = format!("{} {}", i + 1, tab.title()).chars().count() as u16;
            let start = x + 1;
            x = start + width + 2;
            (*tab, start, start + width)
        })
        .collect()
}

/// What is at a screen position, for mouse clicks and the wheel.
pub fn hit_test(model: &Model, size: (u16, u16), column: u16, row: u16) -> Option<ClickTarget> {
    let area = Rect::new(0, 0, size.0, size.1);
    let screen = ScreenLayout::compute(area);
    let inside = |r: Rect| r.contains(ratatui::layout::Position::new(column, row));
    if inside(screen.tabs) {
        return tab_spans(screen.tabs)
            .into_iter()
            .find(|(_, start, end)| (*start..*end).contains(&column))
            .map(|(tab, ..)| ClickTarget::Tab(tab));
    }
    if model.tab == Tab::Projects && inside(screen.body) {
        // Border and header, then the rows from the scroll offset (as `projects::draw` does).
        let first_row_y = screen.body.y + 2;
        let offset = table_offset(screen.body, model.projects.selected);
        let index = offset + usize::from(row.checked_sub(first_row_y)?);
        let last_row = screen.body.y + screen.body.height.saturating_sub(1);
        return (row < last_row && index < model.projects.rows.len())
            .then_some(ClickTarget::ProjectRow(index));
    }
    if model.tab != Tab::Stack || !inside(screen.body) {
        return None;
    }
    let stack = StackLayout::compute(screen.body, model);
    if inside(stack.logs) {
        return Some(ClickTarget::Logs);
    }
    if !inside(stack.table) {
        return None;
    }
    // Border and header, then the rows from the scroll offset.
    let first_row_y = stack.table.y + 2;
    if row < first_row_y || row + 1 >= stack.table.y + stack.table.height {
        return Some(ClickTarget::ServicesTable);
    }
    let index = table_offset(stack.table, model.stack_ui.selected) + usize::from(row - first_row_y);
    if index < model.stack.rows().len() {
        Some(ClickTarget::ServiceRow(index))
    } else {
        Some(ClickTarget::ServicesTable)
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
