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
use crate::domain::plan::diff::{Change, FilePlan};
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
    let lines = match (&plan.change, ui.show_diff) {
        (Change::Changed { diff }, true) => diff_lines(diff, theme),
        _ => file_lines(ui, plan, theme),
    };
    // The `d` key only does something for a file that differs from the one on disk.
    let diff_key = match (&plan.change, ui.show_diff) {
        (Change::Changed { .. }, true) => "d: whole file · ",
        (Change::Changed { .. }, false) => "d: diff · ",
        _ => "",
    };
    let hint = if narrow {
        " f file · d diff · W write · S start ".to_owned()
    } else {
        format!(" f: next file · {diff_key}W: write · S: start ")
    };
    let body = Paragraph::new(lines).scroll((ui.scroll, 0)).block(
        Block::new()
            .borders(Borders::ALL)
            .title(Line::from(title))
            .title_bottom(hint),
    );
    frame.render_widget(body, area);
}

/// The file as it would be written; lines the file on disk does not have are marked `+`.
fn file_lines<'a>(ui: &'a WizardUi, plan: &'a FilePlan, theme: Theme) -> Vec<Line<'a>> {
    let old: BTreeSet<&str> = ui
        .existing
        .get(&plan.file.path)
        .map(|t| t.lines().collect())
        .unwrap_or_default();
    let changed = matches!(plan.change, Change::Changed { .. });
    plan.file
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
        .collect()
}

/// The unified diff from the file on disk to the new one, coloured by line kind.
fn diff_lines(diff: &str, theme: Theme) -> Vec<Line<'_>> {
    diff.lines()
        .map(|l| {
            let style = if l.starts_with("+++") || l.starts_with("---") {
                theme.bold()
            } else if l.starts_with('+') {
                theme.tone(Tone::Good)
            } else if l.starts_with('-') {
                theme.tone(Tone::Bad)
            } else if l.starts_with("@@") {
                theme.dim()
            } else {
                ratatui::style::Style::new()
            };
            Line::styled(l, style)
        })
        .collect()
}
