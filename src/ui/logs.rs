//! The logs pane: the selected service or all services merged (a colour each), ANSI colours
//! kept (or stripped under `NO_COLOR`), filter, pause, timestamps. Only the visible lines are
//! fetched and parsed, whatever the buffers hold.

use ansi_to_tui::IntoText;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::theme::Theme;
use crate::app::Model;
use crate::domain::stack::{Found, strip_ansi};

pub fn draw(frame: &mut Frame, area: Rect, model: &Model) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let theme = Theme::of(model);
    let ui = &model.stack_ui;
    let mut title = format!(" Logs: {} ", model.log_service().unwrap_or("all"));
    if !ui.filter.is_empty() && !ui.editing_filter {
        title.push_str(&format!("· /{} ", ui.filter));
    }
    if ui.anchor.is_some() {
        title.push_str("· paused ");
    }
    let dropped = model.logs.dropped();
    if dropped > 0 {
        title.push_str(&format!("· {dropped} older dropped "));
    }
    let block = Block::new().borders(Borders::ALL).title(title);
    let inner = block.inner(area);
    let prompt = usize::from(ui.editing_filter);
    let visible = usize::from(inner.height).saturating_sub(prompt);
    let found = model.logs.tail(&model.log_query(), visible);
    let width = usize::from(inner.width);
    let name_width = model
        .stack
        .services
        .iter()
        .map(|s| s.spec.name.chars().count())
        .max()
        .unwrap_or(0)
        .min(16);
    let mut lines: Vec<Line> = found
        .iter()
        .map(|f| log_line(model, theme, f, name_width, width))
        .collect();
    if lines.is_empty() && prompt == 0 {
        lines.push(Line::styled(
            if ui.filter.is_empty() {
                "no log lines yet"
            } else {
                "no line matches the filter"
            },
            theme.dim(),
        ));
    }
    if ui.editing_filter {
        // Keep the prompt on the last line of the pane.
        while lines.len() < visible {
            lines.push(Line::raw(""));
        }
        lines.push(Line::from(vec![
            Span::styled("/", theme.bold()),
            Span::raw(ui.filter.clone()),
            Span::styled("▏", theme.bold()),
        ]));
    }
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

fn log_line<'a>(
    model: &Model,
    theme: Theme,
    f: &Found<'_>,
    name_width: usize,
    width: usize,
) -> Line<'a> {
    let index = model
        .stack
        .services
        .iter()
        .position(|s| s.spec.name == f.service)
        .unwrap_or(0);
    let mut spans = Vec::new();
    if model.stack_ui.timestamps
        && let Some(ts) = &f.line.timestamp
    {
        spans.push(Span::styled(format!("{} ", short_time(ts)), theme.dim()));
    }
    if model.log_service().is_none() {
        let name: String = f.service.chars().take(name_width).collect();
        spans.push(Span::styled(
            format!("{name:<name_width$} │ "),
            theme.service(index),
        ));
    }
    let used: usize = spans.iter().map(|s| s.content.chars().count()).sum();
    let room = width.saturating_sub(used);
    spans.extend(message(theme, &f.line.text, f.line.stderr, room));
    Line::from(spans)
}

/// The message, cut to `room` columns: ANSI colours parsed into spans, or stripped under
/// `NO_COLOR` (and when the escapes cannot be parsed).
fn message<'a>(theme: Theme, text: &str, stderr: bool, room: usize) -> Vec<Span<'a>> {
    let base = if stderr {
        theme.stderr()
    } else {
        ratatui::style::Style::new()
    };
    if !theme.no_color
        && text.contains('\u{1b}')
        && let Ok(parsed) = text.as_bytes().into_text()
    {
        let mut left = room;
        let mut spans = Vec::new();
        for span in parsed.lines.into_iter().flat_map(|l| l.spans) {
            if left == 0 {
                break;
            }
            let content: String = span.content.chars().take(left).collect();
            left -= content.chars().count();
            spans.push(Span::styled(content, base.patch(span.style)));
        }
        return spans;
    }
    let plain: String = strip_ansi(text).chars().take(room).collect();
    vec![Span::styled(plain, base)]
}

/// `12:34:56.789` from an RFC 3339 timestamp; the date rarely matters in a dev session.
fn short_time(ts: &str) -> &str {
    ts.get(11..23).or_else(|| ts.get(11..19)).unwrap_or(ts)
}
