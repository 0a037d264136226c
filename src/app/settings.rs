//! The dashboard's settings file (`$XDG_CONFIG_HOME/devbox/config.toml`): parsed from its text
//! (the runtime reads the file), every problem reported as `file:line: what` with the default
//! kept for that setting, and nothing else given up.

use std::time::Duration;

use ratatui::style::Color;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::keytable::{KeyTable, parse_key};
use super::tab::Tab;

/// The colour set the dashboard draws with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ThemeName {
    #[default]
    Default,
    /// Blue/orange/vermillion (Okabe–Ito) instead of green/yellow/red.
    ColorBlind,
    /// No colour at all, as with `NO_COLOR`.
    Mono,
}

/// Colours of the four tones, replacing the theme's where set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ToneColors {
    pub good: Option<Color>,
    pub busy: Option<Color>,
    pub bad: Option<Color>,
    pub quiet: Option<Color>,
}

/// Everything the file can set, with the defaults the app uses without it.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// The tab to open on; `None` picks the Stack tab in a compose project, else the Wizard.
    pub tab: Option<Tab>,
    pub theme: ThemeName,
    pub colors: ToneColors,
    /// Log lines kept per container.
    pub log_lines: usize,
    /// How long stats and log lines wait to be drawn together (keys are drawn at once).
    pub redraw: Duration,
    /// How often a local container's cgroup files are sampled.
    pub stats: Duration,
    pub keys: KeyTable,
    /// Where the file was looked for (the help overlay names it).
    pub file: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            tab: None,
            theme: ThemeName::Default,
            colors: ToneColors::default(),
            log_lines: crate::domain::stack::LINES_PER_CONTAINER,
            redraw: Duration::from_millis(200),
            stats: Duration::from_secs(1),
            keys: KeyTable::default(),
            file: None,
        }
    }
}

impl Settings {
    /// The settings file for the help overlay: its path, or that there is none.
    pub fn settings_file_shown(&self) -> String {
        self.file
            .clone()
            .unwrap_or_else(|| "no settings file (no config folder)".to_owned())
    }
}

/// The settings, and each problem found (`path:line: …; the default is used`).
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub settings: Settings,
    pub problems: Vec<String>,
}

const LOG_LINES: (i64, i64) = (100, 1_000_000);
const REDRAW_MS: (i64, i64) = (16, 2_000);
const STATS_MS: (i64, i64) = (250, 60_000);

struct Reader<'t> {
    path: &'t str,
    text: &'t str,
    /// `(line, message)`: the parsed table is not in file order, the report is.
    problems: Vec<(usize, String)>,
}

impl Reader<'_> {
    fn line(&self, offset: usize) -> usize {
        self.text[..offset.min(self.text.len())]
            .matches('\n')
            .count()
            + 1
    }

    fn problem(&mut self, at: usize, what: String) {
        let line = self.line(at);
        self.problems.push((
            line,
            format!("{}:{line}: {what}; the default is used", self.path),
        ));
    }

    fn string(&mut self, key: &str, value: &Spanned<DeValue<'_>>) -> Option<String> {
        match value.get_ref() {
            DeValue::String(s) => Some(s.to_string()),
            _ => {
                self.problem(value.span().start, format!("`{key}` must be a string"));
                None
            }
        }
    }

    fn number(
        &mut self,
        key: &str,
        value: &Spanned<DeValue<'_>>,
        range: (i64, i64),
    ) -> Option<i64> {
        let parsed = match value.get_ref() {
            DeValue::Integer(i) => {
                let digits = i.as_str().replace('_', "");
                let digits = digits.trim_start_matches("0x").trim_start_matches("0o");
                let digits = digits.trim_start_matches("0b");
                i64::from_str_radix(digits, i.radix()).ok()
            }
            _ => None,
        };
        match parsed {
            Some(n) if (range.0..=range.1).contains(&n) => Some(n),
            _ => {
                self.problem(
                    value.span().start,
                    format!(
                        "`{key}` must be a whole number from {} to {}",
                        range.0, range.1
                    ),
                );
                None
            }
        }
    }
}

/// Reads the settings from the file's text; `path` is how problems name the file.
pub fn parse(path: &str, text: &str) -> Loaded {
    let mut settings = Settings::default();
    let mut r = Reader {
        path,
        text,
        problems: Vec::new(),
    };
    let table = match DeTable::parse(text) {
        Ok(table) => table.into_inner(),
        Err(err) => {
            let at = err.span().map_or(0, |s| s.start);
            let line = r.line(at);
            let message = err.message().trim().to_owned();
            return Loaded {
                settings,
                problems: vec![format!(
                    "{path}:{line}: not valid TOML ({message}); every setting has its default"
                )],
            };
        }
    };
    for (key, value) in &table {
        let name = key.get_ref().as_ref();
        let at = key.span().start;
        match name {
            "tab" => {
                if let Some(word) = r.string(name, value) {
                    match word.as_str() {
                        "auto" => settings.tab = None,
                        "wizard" => settings.tab = Some(Tab::Wizard),
                        "stack" => settings.tab = Some(Tab::Stack),
                        "projects" => settings.tab = Some(Tab::Projects),
                        other => r.problem(
                            value.span().start,
                            format!("unknown tab `{other}` (auto, wizard, stack or projects)"),
                        ),
                    }
                }
            }
            "theme" => {
                if let Some(word) = r.string(name, value) {
                    match word.as_str() {
                        "default" => settings.theme = ThemeName::Default,
                        "colorblind" | "colourblind" => settings.theme = ThemeName::ColorBlind,
                        "mono" => settings.theme = ThemeName::Mono,
                        other => r.problem(
                            value.span().start,
                            format!("unknown theme `{other}` (default, colorblind or mono)"),
                        ),
                    }
                }
            }
            "log_lines" => {
                if let Some(n) = r.number(name, value, LOG_LINES) {
                    settings.log_lines = usize::try_from(n).unwrap_or(settings.log_lines);
                }
            }
            "redraw_ms" => {
                if let Some(n) = r.number(name, value, REDRAW_MS) {
                    settings.redraw = Duration::from_millis(n.unsigned_abs());
                }
            }
            "stats_ms" => {
                if let Some(n) = r.number(name, value, STATS_MS) {
                    settings.stats = Duration::from_millis(n.unsigned_abs());
                }
            }
            "colors" => colors(&mut r, value, &mut settings.colors),
            "keys" => keys(&mut r, value, &mut settings.keys),
            other => r.problem(
                at,
                format!(
                    "unknown setting `{other}` (tab, theme, colors, log_lines, redraw_ms, stats_ms, keys)"
                ),
            ),
        }
    }
    r.problems.sort_by_key(|(line, _)| *line);
    Loaded {
        settings,
        problems: r.problems.into_iter().map(|(_, p)| p).collect(),
    }
}

fn colors(r: &mut Reader<'_>, value: &Spanned<DeValue<'_>>, out: &mut ToneColors) {
    let DeValue::Table(table) = value.get_ref() else {
        r.problem(value.span().start, "`colors` must be a table".to_owned());
        return;
    };
    for (key, value) in table {
        let name = key.get_ref().as_ref();
        let slot = match name {
            "good" => &mut out.good,
            "busy" => &mut out.busy,
            "bad" => &mut out.bad,
            "quiet" => &mut out.quiet,
            other => {
                r.problem(
                    key.span().start,
                    format!("unknown colour `{other}` (good, busy, bad or quiet)"),
                );
                continue;
            }
        };
        let Some(text) = r.string(name, value) else {
            continue;
        };
        match text.parse::<Color>() {
            Ok(c) => *slot = Some(c),
            Err(_) => r.problem(
                value.span().start,
                format!(
                    "`{text}` is not a colour (a name such as `lightblue`, `#rrggbb`, or 0-255)"
                ),
            ),
        }
    }
}

fn keys(r: &mut Reader<'_>, value: &Spanned<DeValue<'_>>, out: &mut KeyTable) {
    let DeValue::Table(table) = value.get_ref() else {
        r.problem(value.span().start, "`keys` must be a table".to_owned());
        return;
    };
    for (key, value) in table {
        let name = key.get_ref().as_ref();
        match value.get_ref() {
            DeValue::Table(inner) if ["wizard", "stack", "projects"].contains(&name) => {
                for (action, value) in inner {
                    let full = format!("{name}.{}", action.get_ref().as_ref());
                    bind(r, &full, action.span().start, value, out);
                }
            }
            _ => bind(r, name, key.span().start, value, out),
        }
    }
}

fn bind(
    r: &mut Reader<'_>,
    action: &str,
    at: usize,
    value: &Spanned<DeValue<'_>>,
    out: &mut KeyTable,
) {
    let Some(text) = r.string(action, value) else {
        return;
    };
    let Some((code, modifiers)) = parse_key(&text) else {
        r.problem(
            value.span().start,
            format!("`{text}` is not a key (a character, or ctrl-x, enter, esc, tab, space, up, f5, pgdn...)"),
        );
        return;
    };
    if let Err(why) = out.rebind(action, code, modifiers, &text) {
        r.problem(at, why);
    }
}
