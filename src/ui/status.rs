//! The status line: the engine endpoint and whether it answers.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::{EngineState, Model};

pub fn draw(frame: &mut Frame, area: Rect, model: &Model) {
    let line = match &model.engine {
        EngineState::Connecting => Line::from(Span::raw("engine: connecting…")),
        EngineState::Connected {
            endpoint,
            server_version,
            api_version,
        } => Line::from(vec![
            Span::styled("● ", Style::new().fg(Color::Green)),
            Span::raw(format!(
                "engine {server_version} (API {api_version}) at {endpoint}"
            )),
        ]),
        EngineState::Unreachable { endpoint, reason } => Line::from(vec![
            Span::styled("● ", Style::new().fg(Color::Red)),
            Span::raw(format!(
                "engine unreachable at {endpoint}: {reason} — Ctrl-R retries, `devbox doctor` explains"
            )),
        ]),
    };
    frame.render_widget(Paragraph::new(line), area);
}
