//! Colours and emphasis in one place, so `NO_COLOR` is honoured everywhere by construction:
//! under it every style keeps only its modifiers (bold, reversed, dim).

use ratatui::style::{Color, Modifier, Style};

use crate::app::Model;
use crate::app::settings::ThemeName;
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

/// The tones' colours: good, busy, bad, quiet.
const DEFAULT_TONES: [Color; 4] = [Color::Green, Color::Yellow, Color::Red, Color::DarkGray];
/// Okabe–Ito's blue, orange and vermillion: told apart with every common colour vision
/// deficiency, where green and red are not.
const COLORBLIND_TONES: [Color; 4] = [
    Color::Rgb(0, 114, 178),
    Color::Rgb(230, 159, 0),
    Color::Rgb(213, 94, 0),
    Color::DarkGray,
];

#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub no_color: bool,
    tones: [Color; 4],
}

impl Theme {
    /// The theme the model's settings ask for (`NO_COLOR` or `mono`: no colour at all).
    pub fn of(model: &Model) -> Theme {
        let settings = &model.settings;
        let mut tones = match settings.theme {
            ThemeName::ColorBlind => COLORBLIND_TONES,
            ThemeName::Default | ThemeName::Mono => DEFAULT_TONES,
        };
        let c = settings.colors;
        for (slot, chosen) in tones.iter_mut().zip([c.good, c.busy, c.bad, c.quiet]) {
            if let Some(colour) = chosen {
                *slot = colour;
            }
        }
        Theme {
            no_color: model.no_color || settings.theme == ThemeName::Mono,
            tones,
        }
    }

    /// No colour, only modifiers.
    #[cfg(test)]
    pub fn mono() -> Theme {
        Theme {
            no_color: true,
            tones: DEFAULT_TONES,
        }
    }

    fn fg(self, colour: Color) -> Style {
        if self.no_color {
            Style::new()
        } else {
            Style::new().fg(colour)
        }
    }

    pub fn tone(self, tone: Tone) -> Style {
        match tone {
            Tone::Good => self.fg(self.tones[0]),
            Tone::Busy => self.fg(self.tones[1]),
            Tone::Bad => self.fg(self.tones[2]).add_modifier(Modifier::BOLD),
            Tone::Quiet => self.fg(self.tones[3]),
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
    fn the_settings_pick_the_colours() {
        let mut model = Model::default();
        model.settings.theme = ThemeName::ColorBlind;
        let t = Theme::of(&model);
        assert_eq!(t.tone(Tone::Good), Style::new().fg(Color::Rgb(0, 114, 178)));
        model.settings.colors.bad = Some(Color::Magenta);
        let t = Theme::of(&model);
        assert_eq!(
            t.tone(Tone::Bad),
            Style::new().fg(Color::Magenta).add_modifier(Modifier::BOLD)
        );
        model.settings.theme = ThemeName::Mono;
        assert_eq!(Theme::of(&model).tone(Tone::Good), Style::new());
    }

    #[test]
    fn no_color_keeps_only_modifiers() {
        let t = Theme::mono();
        assert_eq!(t.tone(Tone::Good), Style::new());
        assert_eq!(t.tone(Tone::Bad), Style::new().add_modifier(Modifier::BOLD));
        assert_eq!(t.service(3), Style::new());
    }
}
