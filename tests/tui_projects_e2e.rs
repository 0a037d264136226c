//! End to end: two compose projects brought up by `devbox up` in their own folders; the
//! dashboard opened in the first lists both on its Projects tab (with services running and
//! health, from the engine's labels), and opening the second shows its stack in the Stack tab.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use common::screen::Screen;

const COLS: u16 = 120;
const ROWS: u16 = 32;

fn up(dir: &Path) {
    let out = Command::new(env!("CARGO_BIN_EXE_devbox"))
        .args(["up", "-d", "--wait", "--no-color"])
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "devbox up in {}: {}",
        dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The screen line holding `text`, and whether it is drawn reversed (the selected row).
fn selected_line(screen: &Screen, text: &str) -> Option<bool> {
    let contents = screen.contents();
    let (row, line) = contents
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains(text))?;
    let col = line.find(text)?;
    let col = line[..col].chars().count();
    let cell = screen
        .parser
        .screen()
        .cell(u16::try_from(row).ok()?, u16::try_from(col).ok()?)?;
    Some(cell.inverse())
}

#[tokio::test(flavor = "multi_thread")]
async fn the_projects_tab_lists_both_projects_and_opens_the_other() {
    let Some(docker) = common::engine_or_skip().await else {
        return;
    };
    let image = common::fixture_image(&docker).await;
    let here = common::unique_project("tui-here");
    let other = common::unique_project("tui-other");
    let _guards = (
        common::ProjectGuard::new(&here),
        common::ProjectGuard::new(&other),
    );
    let dir_here = tempfile::tempdir().unwrap();
    let dir_other = tempfile::tempdir().unwrap();
    std::fs::write(
        dir_here.path().join("compose.yaml"),
        format!(
            "name: {here}\nservices:\n  web:\n    image: {image}\n    command: [\"sleep\", \"3600\"]\n    init: true\n"
        ),
    )
    .unwrap();
    std::fs::write(
        dir_other.path().join("compose.yaml"),
        format!(
            "name: {other}\nservices:\n  api:\n    image: {image}\n    command: [\"sleep\", \"3600\"]\n    init: true\n    healthcheck:\n      test: [\"CMD\", \"true\"]\n      interval: 1s\n  worker:\n    image: {image}\n    command: [\"sleep\", \"3600\"]\n    init: true\n"
        ),
    )
    .unwrap();
    up(dir_here.path());
    up(dir_other.path());

    let mut screen = Screen::spawn(dir_here.path(), COLS, ROWS, &[]);
    screen.wait_for("this folder's stack", Duration::from_secs(30), |s| {
        s.lines()
            .any(|l| l.starts_with("│web ") && l.contains("running"))
    });

    screen.session.send("3").unwrap();
    let folder = dir_other.path().to_string_lossy().into_owned();
    let tail: String = folder
        .chars()
        .rev()
        .take(12)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    screen.wait_for("both projects listed", Duration::from_secs(20), |s| {
        let row = |name: &str| {
            s.lines()
                .find(|l| l.contains(name))
                .unwrap_or("")
                .to_owned()
        };
        let (mine, theirs) = (row(&here), row(&other));
        mine.contains("▶")
            && mine.contains("1/1 running")
            && theirs.contains("2/2 running")
            && theirs.contains("1 healthy")
            && theirs.contains(&tail)
    });

    // Move the selection to the other project, then open it.
    for _ in 0..64 {
        if selected_line(&screen, &other) == Some(true) {
            break;
        }
        screen.session.send("j").unwrap();
        screen.pump(Duration::from_millis(150));
    }
    assert_eq!(
        selected_line(&screen, &other),
        Some(true),
        "{}",
        screen.contents()
    );
    screen.session.send("\r").unwrap();
    screen.wait_for("the other project's stack", Duration::from_secs(30), |s| {
        s.lines()
            .any(|l| l.starts_with("│api ") && l.contains("running") && l.contains("healthy"))
            && s.lines().any(|l| l.starts_with("│worker "))
            && !s.lines().any(|l| l.starts_with("│web "))
    });

    // The Projects tab now marks the opened one.
    screen.session.send("3").unwrap();
    screen.wait_for("the opened project marked", Duration::from_secs(10), |s| {
        s.lines().any(|l| l.contains(&other) && l.contains("▶"))
            && s.lines().any(|l| l.contains(&here) && !l.contains("▶"))
    });
    screen.quit_and_check_restored();
}
