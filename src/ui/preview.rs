//! The Wizard tab's live preview: the selected generated file (Dockerfile, .dockerignore,
//! compose.yaml) as it would be written now, marked new / changed / unchanged versus disk,
//! with lines that differ from the file on disk highlighted.

use std::collections::BTreeSet;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::theme::Theme;
use crate::app::WizardUi;
use crate::domain::plan::diff::Change;
use crate::domain::stack::Tone;

pub fn draw(frame: &mut Frame, area: Rect, ui: &WizardUi, theme: Theme) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    if let Some(err) = &ui.render_error {
        let body = Paragraph::new(err.as_str())
            .style(theme.tone(Tone::Bad))
            .wrap(ratatui::widgets::Wrap { trim: true })
            .block(Block::new().borders(Borders::ALL).title(" Preview "));
        frame.render_widget(body, area);
        return;
    }
    let Some(plan) = ui.plans.get(ui.preview) else {
        frame.render_widget(Block::new().borders(Borders::ALL).title(" Preview "), area);
        return;
    };
    let mut title = vec![Span::raw(" ")];
    // Narrow: only the shown file, so its new/changed mark always fits.
    let narrow = area.width < 64;
    for (i, p) in ui.plans.iter().enumerate() {
        if narrow && i != ui.preview {
            continue;
        }
        let style = if i == ui.preview {
            theme.selected()
        } else {
            theme.dim()
        };
        title.push(Span::styled(p.file.path.clone(), style));
        title.push(Span::raw(" "));
    }
    let (mark, tone) = match plan.change {
        Change::New => ("new", Tone::Good),
        Change::Changed { .. } => ("changed", Tone::Busy),
        Change::Unchanged => ("unchanged", Tone::Quiet),
    };
    title.push(Span::styled(format!("[{mark}] "), theme.tone(tone)));
    if narrow {
        title.push(Span::raw(format!("{}/{} ", ui.preview + 1, ui.plans.len())));
    }
    // Lines not in the file on disk are the ones this answer set changes.
    let old: BTreeSet<&str> = ui
        .existing
        .get(&plan.file.path)
        .map(|t| t.lines().collect())
        .unwrap_or_default();
    let changed = matches!(plan.change, Change::Changed { .. });
    let lines: Vec<Line> = plan
        .file
        .text
        .lines()
        .map(|l| {
            if changed && !old.contains(l) {
                Line::from(vec![Span::styled(format!("+ {l}"), theme.tone(Tone::Busy))])
            } else if l.trim_start().starts_with('#') {
                Line::styled(format!("  {l}"), theme.dim())
            } else {
                Line::raw(format!("  {l}"))
            }
        })
        .collect();
    let body = Paragraph::new(lines).block(
        Block::new()
            .borders(Borders::ALL)
            .title(Line::from(title))
            .title_bottom(" f: next file · W: write "),
    );
    frame.render_widget(body, area);
}
