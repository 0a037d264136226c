//! The tab bar and each tab's body.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Tabs, Wrap};

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

/// The Wizard tab until the live wizard is drawn: what it is for and the CLI equivalent.
pub fn draw_body(frame: &mut Frame, area: Rect, _model: &Model) {
    let body = Paragraph::new(
        "Scaffold this project: detection, the decision tree and a live preview of \
         Dockerfile, .dockerignore and compose.yaml.\n\nFrom a shell: devbox init",
    )
    .wrap(Wrap { trim: true })
    .block(Block::new().borders(Borders::ALL).title(" Wizard "));
    frame.render_widget(body, area);
}
