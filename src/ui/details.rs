//! The selected row in detail: image and sizes, restarts and exit code, published URLs, the
//! CPU and memory history, the health streak and the last probes with their times, exit codes
//! and outputs.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::theme::{Theme, sparkline};
use crate::app::Model;
use crate::domain::stack::{HISTORY, Health, IoRates, human_bytes, human_duration};

/// Picks the two rates of one I/O row (in and out) from a sample's rates.
type Pick = fn(&IoRates) -> (Option<f64>, Option<f64>);

pub fn draw(frame: &mut Frame, area: Rect, model: &Model) {
    let theme = Theme::of(model);
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
            let when = match probe.ended {
                Some(t) if model.now > 0 => {
                    format!("{:>4} ago", human_duration(model.now.saturating_sub(t)))
                }
                _ => String::new(),
            };
            let tone = if probe.exit_code == 0 {
                crate::domain::stack::Tone::Good
            } else {
                crate::domain::stack::Tone::Bad
            };
            lines.push(Line::from(vec![
                Span::styled(format!("  {when} "), theme.dim()),
                Span::styled(format!("exit {:>2} ", probe.exit_code), theme.tone(tone)),
                Span::raw(output),
            ]));
        }
    }
    // The selected container's history at any width (after the health, which matters more
    // when the panel is short): the table only has room for it on wide screens.
    if c.is_running() && !c.cpu.is_empty() {
        let width = usize::from(area.width.saturating_sub(18)).min(HISTORY);
        let cpu = c.cpu.last().copied().unwrap_or(0.0);
        lines.push(Line::from(vec![
            Span::styled("cpu ", theme.dim()),
            Span::raw(sparkline(c.cpu.iter().copied(), width, 100.0)),
            Span::raw(format!(" {cpu:.1}%")),
        ]));
        if let Some(mem) = c.mem.last() {
            lines.push(Line::from(vec![
                Span::styled("mem ", theme.dim()),
                Span::raw(sparkline(
                    c.mem.iter().map(|m| *m as f64),
                    width,
                    c.mem_limit.map_or(0.0, |l| l as f64),
                )),
                Span::raw(format!(" {}", human_bytes(*mem))),
            ]));
        }
        // Network and disk rates, drawn from the same samples (no extra engine call).
        if let Some(last) = c.io.last() {
            let rows: [(&str, Pick, [&str; 2]); 2] = [
                ("net ", |r| (r.net_rx, r.net_tx), ["↓", "↑"]),
                ("blk ", |r| (r.blk_read, r.blk_write), ["r ", "w "]),
            ];
            for (label, pick, marks) in rows {
                let (a, b) = pick(last);
                if a.is_none() && b.is_none() {
                    continue;
                }
                let total = |r: &IoRates| {
                    let (a, b) = pick(r);
                    a.unwrap_or(0.0) + b.unwrap_or(0.0)
                };
                let rate = |v: Option<f64>| {
                    v.map_or("-".to_owned(), |v| format!("{}/s", human_bytes(v as u64)))
                };
                lines.push(Line::from(vec![
                    Span::styled(label, theme.dim()),
                    Span::raw(sparkline(
                        c.io.iter().map(total),
                        width.saturating_sub(22),
                        0.0,
                    )),
                    Span::raw(format!(" {}{} {}{}", marks[0], rate(a), marks[1], rate(b))),
                ]));
            }
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
