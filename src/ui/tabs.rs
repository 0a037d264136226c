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

pub fn draw_body(frame: &mut Frame, area: Rect, model: &Model) {
    let (title, text) = match model.tab {
        Tab::Wizard => (
            " Wizard ",
            "Scaffold this project: detection, the decision tree and a live preview of \
             Dockerfile, .dockerignore and compose.yaml.\n\nFrom a shell: devbox init",
        ),
        Tab::Stack => (
            " Stack ",
            "The compose stack of this folder: services, health, sizes, CPU and memory, logs.\n\n\
             From a shell: devbox config",
        ),
    };
    let body = Paragraph::new(text)
        .wrap(Wrap { trim: true })
        .block(Block::new().borders(Borders::ALL).title(title));
    frame.render_widget(body, area);
}
