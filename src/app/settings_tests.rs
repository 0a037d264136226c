//! The settings file, key by key: each value that is taken, each that is refused (with the
//! file's line and the default kept), and a file that is not TOML at all.

use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::Color;

use super::keymap::{Action, StackAction};
use super::model::Tab;
use super::settings::{Settings, ThemeName, parse};

fn settings(text: &str) -> Settings {
    let loaded = parse("config.toml", text);
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    loaded.settings
}

/// The problems of a file, and that the settings are otherwise the defaults.
fn problems(text: &str) -> Vec<String> {
    let loaded = parse("config.toml", text);
    assert_eq!(
        loaded.settings,
        Settings::default(),
        "a refused value keeps its default"
    );
    loaded.problems
}

#[test]
fn tab() {
    assert_eq!(settings("tab = \"projects\"").tab, Some(Tab::Projects));
    assert_eq!(settings("tab = \"wizard\"").tab, Some(Tab::Wizard));
    assert_eq!(settings("tab = \"stack\"").tab, Some(Tab::Stack));
    assert_eq!(settings("tab = \"auto\"").tab, None);
    let p = problems("\n\ntab = \"logs\"\n");
    assert_eq!(p.len(), 1);
    assert!(
        p[0].starts_with("config.toml:3: unknown tab `logs`")
            && p[0].ends_with("the default is used"),
        "{p:?}"
    );
}

#[test]
fn theme() {
    assert_eq!(
        settings("theme = \"colorblind\"").theme,
        ThemeName::ColorBlind
    );
    assert_eq!(settings("theme = \"mono\"").theme, ThemeName::Mono);
    assert_eq!(settings("theme = \"default\"").theme, ThemeName::Default);
    assert!(
        problems("theme = \"dark\"")[0]
            .contains("unknown theme `dark` (default, colorblind or mono)")
    );
    assert!(problems("theme = 3")[0].contains("`theme` must be a string"));
}

#[test]
fn colors() {
    let s = settings(
        "[colors]\ngood = \"lightblue\"\nbusy = \"#e69f00\"\nbad = \"9\"\nquiet = \"gray\"\n",
    );
    assert_eq!(s.colors.good, Some(Color::LightBlue));
    assert_eq!(s.colors.busy, Some(Color::Rgb(0xe6, 0x9f, 0)));
    assert_eq!(s.colors.bad, Some(Color::Indexed(9)));
    assert_eq!(s.colors.quiet, Some(Color::Gray));
    let p = problems("[colors]\ngood = \"greenish\"\nshade = \"red\"\n");
    assert_eq!(p.len(), 2, "{p:?}");
    assert!(
        p[0].starts_with("config.toml:2: `greenish` is not a colour"),
        "{p:?}"
    );
    assert!(
        p[1].starts_with("config.toml:3: unknown colour `shade`"),
        "{p:?}"
    );
}

#[test]
fn log_lines() {
    assert_eq!(settings("log_lines = 20_000").log_lines, 20_000);
    assert!(
        problems("log_lines = 5")[0]
            .contains("`log_lines` must be a whole number from 100 to 1000000")
    );
    assert!(problems("log_lines = \"many\"")[0].contains("`log_lines` must be a whole number"));
}

#[test]
fn redraw_and_stats_intervals() {
    let s = settings("redraw_ms = 50\nstats_ms = 2000\n");
    assert_eq!(s.redraw, Duration::from_millis(50));
    assert_eq!(s.stats, Duration::from_secs(2));
    let p = problems("redraw_ms = 0\nstats_ms = 100\n");
    assert!(p[0].starts_with("config.toml:1: `redraw_ms`"), "{p:?}");
    assert!(p[1].starts_with("config.toml:2: `stats_ms`"), "{p:?}");
}

#[test]
fn keys() {
    let s = settings(
        "[keys]\nquit = \"ctrl-q\"\nstack.restart = \"R\"\n\n[keys.projects]\nopen = \"o\"\n",
    );
    let press = |c: KeyCode, m: KeyModifiers, tab| s.keys.action_for(&KeyEvent::new(c, m), tab);
    let none = KeyModifiers::NONE;
    assert_eq!(
        press(KeyCode::Char('q'), KeyModifiers::CONTROL, Tab::Stack),
        Some(Action::Quit)
    );
    assert_eq!(press(KeyCode::Char('q'), none, Tab::Stack), None);
    // Ctrl-C still quits: only the named binding moved.
    assert_eq!(
        press(KeyCode::Char('c'), KeyModifiers::CONTROL, Tab::Stack),
        Some(Action::Quit)
    );
    assert_eq!(
        press(KeyCode::Char('R'), KeyModifiers::SHIFT, Tab::Stack),
        Some(Action::Stack(StackAction::Restart))
    );
    assert_eq!(press(KeyCode::Char('r'), none, Tab::Stack), None);
    assert!(matches!(
        press(KeyCode::Char('o'), none, Tab::Projects),
        Some(Action::Projects(_))
    ));
    // The help overlay shows the new keys.
    assert!(
        s.keys
            .help_for(Tab::Stack)
            .any(|b| b.keys == "R" && b.help == "restart the service")
    );

    let p = problems("[keys]\nstack.restart = \"s\"\nstack.bounce = \"z\"\nquit = \"ctrl-\"\n");
    assert_eq!(p.len(), 3, "{p:?}");
    assert!(
        p[0].starts_with("config.toml:2: `s` already does stack.start"),
        "{p:?}"
    );
    assert!(
        p[1].starts_with("config.toml:3: unknown action `stack.bounce` (one of: "),
        "{p:?}"
    );
    assert!(
        p[2].starts_with("config.toml:4: `ctrl-` is not a key"),
        "{p:?}"
    );
    // A tab key taking a global one away is refused too.
    assert!(problems("[keys]\nstack.restart = \"q\"\n")[0].contains("already does quit"));
}

#[test]
fn unknown_settings_and_a_file_that_is_not_toml() {
    let p = problems("colour = \"red\"\n");
    assert!(
        p[0].starts_with("config.toml:1: unknown setting `colour`"),
        "{p:?}"
    );
    let p = problems("tab = \"stack\"\ntheme = [\n");
    assert_eq!(p.len(), 1);
    assert!(
        p[0].starts_with("config.toml:2: not valid TOML")
            && p[0].ends_with("every setting has its default"),
        "{p:?}"
    );
}

#[test]
fn the_app_acts_on_the_keys_in_effect() {
    use super::test_support::{gen_model, keys};
    let mut model = gen_model();
    model.settings = settings("[keys]\nstack.restart = \"R\"\n");
    assert!(keys(&mut model, "r").is_empty(), "r is no longer restart");
    assert!(
        !keys(&mut model, "R").is_empty(),
        "R restarts the selected service"
    );
}

#[test]
fn the_rebound_quit_works_over_the_help_overlay() {
    use super::msg::Cmd;
    use super::test_support::{gen_model, keys};
    let mut model = gen_model();
    model.settings = settings("[keys]\nquit = \"Q\"\n");
    model.show_help = true;
    assert!(keys(&mut model, "q").is_empty());
    assert!(model.show_help, "q is not a key of the overlay any more");
    assert_eq!(keys(&mut model, "Q"), vec![Cmd::Quit]);
}

/// The README's commented example is a file devbox takes without a problem.
#[test]
fn the_readme_example_is_valid() {
    let readme = include_str!("../../README.md");
    let start = readme
        .find("```toml\n")
        .expect("a toml block in the README")
        + 8;
    let end = start + readme[start..].find("```").expect("the block's end");
    let loaded = parse("README.md", &readme[start..end]);
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    assert_eq!(loaded.settings.theme, ThemeName::ColorBlind);
}
