//! The Projects tab: every compose project on the engine (started by devbox or by Docker
//! Compose) with its services running, health and folder; the one the Stack tab shows is marked.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, Wrap};

use super::theme::Theme;
use crate::app::{EngineState, Model};
use crate::domain::stack::Tone;
use crate::domain::stack::projects::ProjectSummary;

pub fn draw(frame: &mut Frame, area: Rect, model: &Model) {
    let theme = Theme::of(model);
    let ui = &model.projects;
    let block = Block::new()
        .borders(Borders::ALL)
        .title(" Compose projects on this engine ")
        .title_bottom(Line::from(" Enter open in the Stack tab · ↑↓ select ").right_aligned());
    let message = if let Some(error) = &ui.error {
        Some((error.clone(), theme.tone(Tone::Bad)))
    } else if !matches!(model.engine, EngineState::Connected { .. }) {
        Some((
            "waiting for the engine (the status line says why)".to_owned(),
            theme.dim(),
        ))
    } else if !ui.listed {
        Some(("listing projects…".to_owned(), theme.dim()))
    } else if ui.rows.is_empty() {
        Some((
            "no compose project has containers on this engine; `devbox up` in a project folder starts one"
                .to_owned(),
            theme.dim(),
        ))
    } else {
        None
    };
    if let Some((text, style)) = message {
        let body = Paragraph::new(text)
            .style(style)
            .wrap(Wrap { trim: true })
            .block(block);
        frame.render_widget(body, area);
        return;
    }
    let shown = model
        .projects
        .opened
        .as_ref()
        .map_or(model.stack.project.as_str(), |p| p.name.as_str());
    let texts: Vec<[(String, Style); 5]> = ui
        .rows
        .iter()
        .map(|r| row_texts(r, r.project.name == shown, theme))
        .collect();
    let titles = ["PROJECT", "SERVICES", "CONTAINERS", "HEALTH", "FOLDER"];
    let widths: Vec<u16> = (0..titles.len())
        .map(|i| {
            let data = texts.iter().map(|t| t[i].0.chars().count()).max();
            let w = data.unwrap_or(0).max(titles[i].len());
            u16::try_from(w).unwrap_or(u16::MAX)
        })
        .collect();
    // The folder takes what is left (at least FOLDER_MIN); on a narrow screen the container
    // count goes first, as the services column says nearly the same.
    const FOLDER_MIN: u16 = 14;
    let inner = area.width.saturating_sub(2);
    let fixed = |cols: &[usize]| cols.iter().map(|i| widths[*i] + 1).sum::<u16>();
    let shown: &[usize] = if fixed(&[0, 1, 2, 3]) + FOLDER_MIN <= inner {
        &[0, 1, 2, 3]
    } else {
        &[0, 1, 3]
    };
    let folder = inner.saturating_sub(fixed(shown)).max(FOLDER_MIN);
    let mut constraints: Vec<Constraint> = shown
        .iter()
        .map(|i| Constraint::Length(widths[*i]))
        .collect();
    constraints.push(Constraint::Length(folder));
    let columns: Vec<usize> = shown.iter().copied().chain([4]).collect();
    // Scrolled so the selection stays on screen; clicks map rows back with the same offset.
    let offset = super::layout::table_offset(area, ui.selected);
    let body: Vec<Row> = texts
        .into_iter()
        .enumerate()
        .skip(offset)
        .map(|(i, cells)| {
            let row = Row::new(columns.iter().map(|c| {
                let (text, style) = cells[*c].clone();
                let text = if *c == 4 {
                    left_cut(&text, usize::from(folder))
                } else {
                    text
                };
                Cell::from(Span::styled(text, style))
            }));
            if i == ui.selected {
                row.style(theme.selected())
            } else {
                row
            }
        })
        .collect();
    let header = Row::new(columns.iter().map(|c| Cell::from(titles[*c]))).style(theme.bold());
    let table = Table::new(body, constraints)
        .header(header)
        .column_spacing(1)
        .block(block);
    frame.render_widget(table, area);
}

fn row_texts(r: &ProjectSummary, shown: bool, theme: Theme) -> [(String, Style); 5] {
    let marker = if shown { "▶ " } else { "  " };
    let services_tone = if r.services == 0 || r.services_running == 0 {
        Tone::Quiet
    } else if r.services_running < r.services {
        Tone::Busy
    } else {
        Tone::Good
    };
    let health_tone = if r.unhealthy > 0 {
        Tone::Bad
    } else if r.starting > 0 {
        Tone::Busy
    } else if r.healthy > 0 {
        Tone::Good
    } else {
        Tone::Quiet
    };
    [
        (format!("{marker}{}", r.project.name), theme.bold()),
        (
            format!("{}/{} running", r.services_running, r.services),
            theme.tone(services_tone),
        ),
        (format!("{}/{}", r.running, r.containers), Style::default()),
        (r.health_text(), theme.tone(health_tone)),
        (r.project.working_dir.clone(), theme.dim()),
    ]
}

/// The end of a long path, which tells folders apart (`…/work/shop`).
fn left_cut(text: &str, width: usize) -> String {
    let count = text.chars().count();
    if count <= width || width < 2 {
        return text.to_owned();
    }
    let tail: String = text.chars().skip(count - (width - 1)).collect();
    format!("…{tail}")
}

#[cfg(test)]
mod tests {
    use super::left_cut;

    #[test]
    fn long_folders_keep_their_end() {
        assert_eq!(left_cut("/home/me/work/shop", 10), "…work/shop");
        assert_eq!(left_cut("/srv/a", 10), "/srv/a");
    }
}
