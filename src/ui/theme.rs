//! Colours and emphasis in one place, so `NO_COLOR` is honoured everywhere by construction:
//! under it every style keeps only its modifiers (bold, reversed, dim).

use ratatui::style::{Color, Modifier, Style};

use crate::domain::stack::Tone;

/// Service colours for the merged logs, in service order.
const PALETTE: [Color; 6] = [
    Color::Cyan,
    Color::Magenta,
    Color::Blue,
    Color::Yellow,
    Color::Green,
    Color::LightRed,
];

#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub no_color: bool,
}

impl Theme {
    fn fg(self, colour: Color) -> Style {
        if self.no_color {
            Style::new()
        } else {
            Style::new().fg(colour)
        }
    }

    pub fn tone(self, tone: Tone) -> Style {
        match tone {
            Tone::Good => self.fg(Color::Green),
            Tone::Busy => self.fg(Color::Yellow),
            Tone::Bad => self.fg(Color::Red).add_modifier(Modifier::BOLD),
            Tone::Quiet => self.fg(Color::DarkGray),
        }
    }

    pub fn service(self, index: usize) -> Style {
        self.fg(PALETTE[index % PALETTE.len()])
    }

    pub fn bold(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn dim(self) -> Style {
        Style::new().add_modifier(Modifier::DIM)
    }

    pub fn selected(self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    pub fn stderr(self) -> Style {
        self.fg(Color::LightRed)
    }
}

/// Eight-level block characters for a text sparkline of the last `width` values, scaled to
/// `max` (or the largest value when it is bigger).
pub fn sparkline(values: impl DoubleEndedIterator<Item = f64>, width: usize, max: f64) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let mut last: Vec<f64> = values.rev().take(width).collect();
    last.reverse();
    let top = last.iter().copied().fold(max, f64::max);
    if top <= 0.0 {
        return BARS[0].to_string().repeat(last.len());
    }
    last.iter()
        .map(|v| {
            let level = (v.max(0.0) / top * 7.0).round() as usize;
            BARS[level.min(7)]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparkline_scales_and_keeps_the_newest() {
        assert_eq!(sparkline([0.0, 50.0, 100.0].into_iter(), 8, 100.0), "▁▅█");
        assert_eq!(sparkline([1.0, 2.0, 3.0, 4.0].into_iter(), 2, 0.0), "▆█");
        assert_eq!(sparkline([0.0, 0.0].into_iter(), 4, 0.0), "▁▁");
    }

    #[test]
    fn no_color_keeps_only_modifiers() {
        let t = Theme { no_color: true };
        assert_eq!(t.tone(Tone::Good), Style::new());
        assert_eq!(t.tone(Tone::Bad), Style::new().add_modifier(Modifier::BOLD));
        assert_eq!(t.service(3), Style::new());
    }
}
