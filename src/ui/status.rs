//! The status line: the last action's message, else the engine endpoint and whether it answers.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::{EngineState, Model};

pub fn draw(frame: &mut Frame, area: Rect, model: &Model) {
    let colour = |c: Color| {
        if model.no_color {
            Style::new()
        } else {
            Style::new().fg(c)
        }
    };
    if let Some(toast) = &model.toast {
        frame.render_widget(Paragraph::new(Line::from(toast.as_str())), area);
        return;
    }
    let line = match &model.engine {
        EngineState::Connecting => Line::from(Span::raw("engine: connecting…")),
        EngineState::Connected {
            endpoint,
            server_version,
            api_version,
        } if let Some(seconds) = model.engine_silent => Line::from(vec![
            Span::styled("● ", colour(Color::Yellow)),
            Span::raw(format!(
                "engine not answering for {seconds} s (stopped or overloaded?) · rows are {seconds} s old · {endpoint}; `devbox doctor` checks it"
            )),
        ]),
        EngineState::Connected {
            endpoint,
            server_version,
            api_version,
        } => Line::from(vec![
            Span::styled("● ", colour(Color::Green)),
            Span::raw(format!(
                "engine {server_version} (API {api_version}) at {endpoint}"
            )),
        ]),
        EngineState::Unreachable { endpoint, reason } => Line::from(vec![
            Span::styled("● ", colour(Color::Red)),
            Span::raw(format!(
                "engine unreachable: {reason} · {endpoint} · retrying; Ctrl-R now, `devbox doctor` explains"
            )),
        ]),
    };
    frame.render_widget(Paragraph::new(line), area);
}
