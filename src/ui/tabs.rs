//! The tab bar.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Tabs};

use crate::app::{Model, Tab};

pub fn draw(frame: &mut Frame, area: Rect, model: &Model) {
    let titles = Tab::ALL
        .iter()
        .enumerate()
        .map(|(i, tab)| Line::from(format!("{} {}", i + 1, tab.title())));
    let tabs = Tabs::new(titles)
        .select(model.tab.index())
        .highlight_style(Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED))
        .divider("│");
    let [left, right] = ratatui::layout::Layout::horizontal([
        ratatui::layout::Constraint::Min(0),
        ratatui::layout::Constraint::Length(14),
    ])
    .areas(area);
    frame.render_widget(tabs, left);
    frame.render_widget(
        Paragraph::new(Line::from(vec![Span::raw("devbox "), Span::raw("? help")]))
            .alignment(ratatui::layout::Alignment::Right),
        right,
    );
}
