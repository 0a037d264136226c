//! The Wizard tab: left, the current question (choices, default and its reason) above the
//! detected values with their reasons; right, the live preview panel.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::preview;
use super::theme::Theme;
use crate::app::{Model, WizardState, WizardUi};
use crate::domain::stack::Tone;
use crate::domain::wizard::Value;
use crate::domain::wizard::tree::Input;

pub fn draw(frame: &mut Frame, area: Rect, model: &Model) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let theme = Theme::of(model);
    let ui = match &model.wizard {
        WizardState::Ready(ui) => ui,
        WizardState::Scanning => {
            return message(frame, area, "Scanning this folder…".into(), theme);
        }
        WizardState::Failed(reason) => {
            return message(
                frame,
                area,
                format!("Cannot scan this folder: {reason}"),
                theme,
            );
        }
    };
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(45), Constraint::Min(0)]).areas(area);
    // Reasons wrap under their value, so count the wrapped rows the detected lines take.
    let inner = usize::from(left.width.saturating_sub(2)).max(1);
    let rows: usize = ui
        .detection
        .iter()
        .map(|l| l.trim_start().chars().count().div_ceil(inner).max(1))
        .sum();
    let detected_h = (rows.max(1) as u16 + 2).min(left.height * 3 / 5);
    let [question, detected] =
        Layout::vertical([Constraint::Min(0), Constraint::Length(detected_h)]).areas(left);
    draw_question(frame, question, ui, theme);
    draw_detected(frame, detected, ui, theme);
    preview::draw(frame, right, ui, theme);
}

fn message(frame: &mut Frame, area: Rect, text: String, theme: Theme) {
    let body = Paragraph::new(text)
        .style(theme.dim())
        .wrap(Wrap { trim: true })
        .block(Block::new().borders(Borders::ALL).title(" Wizard "));
    frame.render_widget(body, area);
}

fn draw_question(frame: &mut Frame, area: Rect, ui: &WizardUi, theme: Theme) {
    let step = ui.walk.answered().len() + 1;
    let Some(q) = ui.question() else {
        let mut lines = vec![
            Line::styled("All questions answered.", theme.tone(Tone::Good)),
            Line::raw("W writes the files · S writes them and starts the stack"),
            Line::raw("Backspace changes the last answer"),
            Line::raw(""),
        ];
        lines.extend(ui.answer_summary().into_iter().map(Line::raw));
        for to_do in &ui.to_do {
            lines.push(Line::raw(""));
            lines.push(Line::styled(
                format!("To do: {to_do}"),
                theme.tone(Tone::Busy),
            ));
        }
        let body = Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(Block::new().borders(Borders::ALL).title(" Done "));
        frame.render_widget(body, area);
        return;
    };
    let mut lines = Vec::new();
    if let Some(heading) = ui.app_heading() {
        lines.push(Line::styled(heading, theme.tone(Tone::Busy)));
    }
    lines.extend([
        Line::styled(q.spec.prompt, theme.bold()),
        Line::styled(q.spec.help, theme.dim()),
        Line::raw(""),
    ]);
    match q.spec.input {
        Input::Select(choices) => {
            for (i, c) in choices.iter().enumerate() {
                let mark = if i == ui.cursor { "› " } else { "  " };
                let style = if i == ui.cursor {
                    theme.selected()
                } else {
                    ratatui::style::Style::new()
                };
                lines.push(Line::styled(format!("{mark}{}", c.label), style));
            }
        }
        Input::MultiSelect(choices) => {
            for (i, c) in choices.iter().enumerate() {
                let tick = if ui.ticked.get(i).copied().unwrap_or(false) {
                    "[x] "
                } else {
                    "[ ] "
                };
                let style = if i == ui.cursor {
                    theme.selected()
                } else {
                    ratatui::style::Style::new()
                };
                lines.push(Line::styled(format!("{tick}{}", c.label), style));
            }
        }
        Input::Port => {
            let typed = if ui.port_text.is_empty() {
                match &q.default {
                    Value::Port(p) => format!("{p} (default)"),
                    other => other.display(),
                }
            } else {
                ui.port_text.clone()
            };
            lines.push(Line::from(vec![
                Span::raw("port: "),
                Span::styled(typed, theme.selected()),
            ]));
            lines.push(Line::styled("type digits, Enter to answer", theme.dim()));
        }
    }
    lines.push(Line::raw(""));
    lines.push(Line::from(vec![
        Span::styled("default: ", theme.dim()),
        Span::raw(q.default.display()),
    ]));
    lines.push(Line::styled(format!("  {}", q.reason), theme.dim()));
    let body = Paragraph::new(lines).wrap(Wrap { trim: false }).block(
        Block::new()
            .borders(Borders::ALL)
            .title(format!(" Question {step} ")),
    );
    frame.render_widget(body, area);
}

fn draw_detected(frame: &mut Frame, area: Rect, ui: &WizardUi, theme: Theme) {
    if area.height == 0 {
        return;
    }
    let lines: Vec<Line> = if ui.detection.is_empty() {
        vec![Line::styled(
            "nothing (no manifest found): the wizard asks",
            theme.dim(),
        )]
    } else {
        ui.detection
            .iter()
            .map(|l| Line::raw(l.trim_start().to_string()))
            .collect()
    };
    let body = Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .block(Block::new().borders(Borders::ALL).title(" Detected "));
    frame.render_widget(body, area);
}
