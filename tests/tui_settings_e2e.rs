//! End to end: the dashboard in a pseudo-terminal reads its settings file (`DEVBOX_CONFIG`,
//! else `$XDG_CONFIG_HOME/devbox/config.toml`): it opens on the tab the file names, says which
//! line it refused and why, names the file in the help overlay, and quits on the rebound key.
//! No engine is needed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::screen::Screen;

#[test]
fn the_settings_file_is_applied_and_its_mistakes_named() {
    let config = tempfile::tempdir().unwrap();
    let folder = config.path().join("devbox");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("config.toml"),
        "tab = \"projects\"\ntheme = \"colorblind\"\n\n[keys]\nquit = \"Q\"\nstack.restart = \"s\"\n",
    )
    .unwrap();
    let project = tempfile::tempdir().unwrap();
    let xdg = config.path().to_string_lossy().into_owned();
    let mut screen = Screen::spawn(
        project.path(),
        120,
        32,
        &[
            ("XDG_CONFIG_HOME", Some(&xdg)),
            ("DEVBOX_CONFIG", None),
            // No engine answers here, so the test does not depend on one.
            ("DOCKER_HOST", Some("unix:///nonexistent/devbox-test.sock")),
        ],
    );
    screen.wait_for(
        "the Projects tab and the refused line",
        Duration::from_secs(20),
        |s| {
            s.contains("Compose projects on this engine")
                && s.contains("config.toml:6: `s` already does stack.start")
        },
    );
    screen.session.send("?").unwrap();
    let file = folder.join("config.toml").to_string_lossy().into_owned();
    screen.wait_for("the help naming the file", Duration::from_secs(10), |s| {
        s.contains("settings") && s.contains(&file) && s.contains("Q  quit")
    });
    screen.session.send("\x1b").unwrap();
    // Apart, so the terminal does not read Esc and `q` as Alt-q.
    screen.pump(Duration::from_millis(300));
    // `q` no longer quits: the app is still drawing after it.
    screen.session.send("q").unwrap();
    screen.pump(Duration::from_millis(500));
    assert!(
        screen
            .contents()
            .contains("Compose projects on this engine")
    );
    screen.quit_with_and_check_restored("Q");
}
