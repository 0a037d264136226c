//! The help overlay, drawn from the key map so it can never disagree with it. When the keys do
//! not fit in one column they flow into two.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::layout::centered;
use crate::app::Model;
pub fn draw(frame: &mut Frame, screen: Rect, model: &Model) {
    let lines: Vec<Line> = model
        .settings
        .keys
        .help_for(model.tab)
        .map(|b| {
            Line::from(vec![
                Span::styled(
                    format!("{:>9}  ", b.keys),
                    Style::new().add_modifier(Modifier::BOLD),
                ),
                Span::raw(b.help),
            ])
        })
        .collect();
    let mut lines = lines;
    let file = model.settings.settings_file_shown();
    let file_width = file.chars().count() + 11;
    lines.push(Line::from(vec![
        Span::styled(
            format!("{:>9}  ", "settings"),
            Style::new().add_modifier(Modifier::BOLD),
        ),
        Span::raw(file),
    ]));
    let theme = super::theme::Theme::of(model);
    for problem in &model.settings_problems {
        lines.push(Line::from(Span::styled(
            problem.clone(),
            theme.tone(crate::domain::stack::Tone::Bad),
        )));
    }
    let room = screen.height.saturating_sub(2).max(1);
    let two_columns = lines.len() as u16 > room;
    let (width, rows) = if two_columns {
        (110, (lines.len() as u16).div_ceil(2))
    } else {
        (56, lines.len() as u16)
    };
    // A settings problem is read whole: the box widens for it as far as the screen allows.
    let longest = model
        .settings_problems
        .iter()
        .map(|p| p.chars().count())
        .chain([file_width])
        .max()
        .unwrap_or(0);
    let width = width.max(
        u16::try_from(longest + 2)
            .unwrap_or(u16::MAX)
            .min(screen.width),
    );
    let area = centered(screen, width, rows + 2);
    frame.render_widget(Clear, area);
    let block = Block::new().borders(Borders::ALL).title(" Keys ");
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if two_columns {
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
                .areas(inner);
        let mut lines = lines;
        let second = lines.split_off(usize::from(rows).min(lines.len()));
        frame.render_widget(Paragraph::new(lines), left);
        frame.render_widget(Paragraph::new(second), right);
    } else {
        frame.render_widget(Paragraph::new(lines), inner);
    }
}
