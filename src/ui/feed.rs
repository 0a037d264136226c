//! The watch activity feed: what the file watch synced, rebuilt or restarted, newest last.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::theme::Theme;
use crate::app::Model;
use crate::domain::stack::Tone;

pub fn draw(frame: &mut Frame, area: Rect, model: &Model) {
    if area.height == 0 {
        return;
    }
    let theme = Theme {
        no_color: model.no_color,
    };
    let state = if model.stack_ui.watching { "on" } else { "off" };
    let block = Block::new()
        .borders(Borders::ALL)
        .title(format!(" Watch: {state} "));
    let visible = usize::from(area.height.saturating_sub(2));
    let skip = model.feed.len().saturating_sub(visible);
    let lines: Vec<Line> = model
        .feed
        .iter()
        .skip(skip)
        .map(|e| {
            let (mark, tone) = if e.ok {
                ("✓ ", Tone::Good)
            } else {
                ("✗ ", Tone::Bad)
            };
            let index = model
                .stack
                .services
                .iter()
                .position(|s| s.spec.name == e.service)
                .unwrap_or(0);
            Line::from(vec![
                Span::styled(mark, theme.tone(tone)),
                Span::styled(format!("{} ", e.service), theme.service(index)),
                Span::raw(e.text.clone()),
            ])
        })
        .collect();
    let lines = if lines.is_empty() {
        vec![Line::styled(
            if model.stack_ui.watching {
                "waiting for file changes"
            } else {
                "w turns the watch on"
            },
            theme.dim(),
        )]
    } else {
        lines
    };
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
