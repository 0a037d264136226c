//! The watch activity feed: what the file watch synced, rebuilt or restarted, newest last.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::theme::Theme;
use crate::app::Model;
use crate::domain::stack::Tone;

pub fn draw(frame: &mut Frame, area: Rect, model: &Model) {
    if area.height == 0 {
        return;
    }
    let theme = Theme::of(model);
    let state = if model.stack_ui.watching { "on" } else { "off" };
    let block = Block::new()
        .borders(Borders::ALL)
        .title(format!(" Watch: {state} "));
    let visible = usize::from(area.height.saturating_sub(2));
    let width = usize::from(area.width.saturating_sub(2)).max(1);
    // Entries wrap (a failure's message is the point of it): take the newest that fit, and
    // scroll the first of them when it is only partly shown.
    let rows = |e: &crate::app::FeedEntry| {
        let chars = 2 + e.service.chars().count() + 1 + e.text.chars().count();
        chars.div_ceil(width).max(1)
    };
    let (mut taken, mut height) = (0, 0);
    for entry in model.feed.iter().rev() {
        if height >= visible {
            break;
        }
        height += rows(entry);
        taken += 1;
    }
    let skip = model.feed.len().saturating_sub(taken);
    let scroll = u16::try_from(height.saturating_sub(visible)).unwrap_or(u16::MAX);
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
    let paragraph = Paragraph::new(lines)
        .block(block)
        .wrap(Wrap { trim: false })
        .scroll((scroll, 0));
    frame.render_widget(paragraph, area);
}
