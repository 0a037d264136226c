//! The selected row in detail: image and sizes, restarts and exit code, published URLs, the
//! health streak and the last probe outputs with their exit codes.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::theme::Theme;
use crate::app::Model;
use crate::domain::stack::{Health, human_bytes};

pub fn draw(frame: &mut Frame, area: Rect, model: &Model) {
    let theme = Theme {
        no_color: model.no_color,
    };
    let rows = model.stack.rows();
    let selected = rows
        .get(model.stack_ui.selected)
        .and_then(|r| model.stack.row(*r));
    let Some((service, container)) = selected else {
        frame.render_widget(Block::new().borders(Borders::ALL).title(" Details "), area);
        return;
    };
    let mut lines: Vec<Line> = Vec::new();
    let Some(c) = container else {
        let unmet = model.stack.unmet_dependencies(service);
        lines.push(Line::from("no container yet"));
        if !unmet.is_empty() {
            lines.push(Line::from(format!("needs: {}", unmet.join(", "))));
        }
        let block = Block::new()
            .borders(Borders::ALL)
            .title(format!(" {} ", service.spec.name));
        frame.render_widget(Paragraph::new(lines).block(block), area);
        return;
    };
    let info = &c.info;
    let mut image = vec![info.image.clone()];
    if let Some(size) = info.image_size {
        image.push(human_bytes(size));
    }
    if let Some(rw) = info.rw_size {
        image.push(format!("· writable layer {}", human_bytes(rw)));
    }
    lines.push(Line::from(vec![
        Span::styled("image ", theme.dim()),
        Span::raw(image.join(" ")),
    ]));
    let mut facts = vec![format!("restarts {}", info.restarts)];
    if !c.is_running()
        && let Some(code) = info.exit_code
    {
        facts.push(format!("exit code {code}"));
    }
    if c.is_running()
        && let (Some(used), Some(limit)) = (c.mem.last(), c.mem_limit)
    {
        facts.push(format!(
            "mem {} of {}",
            human_bytes(*used),
            human_bytes(limit)
        ));
    }
    facts.extend(info.ports.iter().map(|p| p.url()));
    lines.push(Line::from(facts.join(" · ")));
    if let Some(h) = &info.health {
        let tone = match h.status {
            Health::Healthy => crate::domain::stack::Tone::Good,
            Health::Starting => crate::domain::stack::Tone::Busy,
            Health::Unhealthy => crate::domain::stack::Tone::Bad,
        };
        lines.push(Line::from(vec![
            Span::styled("health ", theme.dim()),
            Span::styled(h.status.word(), theme.tone(tone)),
            Span::raw(format!(", failing streak {}", h.failing_streak)),
        ]));
        // Newest probe first: it is the one that explains the current status.
        for probe in h.probes.iter().rev() {
            let output = probe.output.trim().replace('\n', " ⏎ ");
            lines.push(Line::from(vec![
                Span::styled(format!("  exit {:>2} ", probe.exit_code), theme.dim()),
                Span::raw(output),
            ]));
        }
    }
    let block = Block::new()
        .borders(Borders::ALL)
        .title(format!(" {} ", info.name));
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block),
        area,
    );
}
