//! End to end, the dashboard's stack actions as library calls (issue 16): in a pseudo-terminal
//! against the real engine, `w` turns the watch on and an edit shows on the Watch panel with the
//! service and the file (and reaches the container); `b` rebuilds a service and the row shows
//! the build's own steps, then the service healthy again.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use common::screen::Screen;

const COLS: u16 = 140;
const ROWS: u16 = 40;

/// `devbox up -d` in `dir` (the CLI: the dashboard then finds a running stack).
fn up(dir: &Path) {
    let out = Command::new(env!("CARGO_BIN_EXE_devbox"))
        .current_dir(dir)
        .args(["up", "--wait"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "up failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The dashboard in `dir`, on the Stack tab, once the `web` row reads `state`.
fn stack_tab(dir: &Path, state: &str, seconds: u64) -> Screen {
    let mut screen = Screen::spawn(dir, COLS, ROWS, &[]);
    screen.wait_for("the tab bar", Duration::from_secs(20), |s| {
        s.contains("2 Stack")
    });
    // No key pressed: the project's stack is the first tab shown.
    screen.wait_for(&format!("web {state}"), Duration::from_secs(seconds), |s| {
        s.lines()
            .any(|l| l.starts_with("│web ") && l.contains(state))
    });
    screen
}

#[tokio::test(flavor = "multi_thread")]
async fn w_watches_and_the_synced_file_shows_on_the_watch_panel() {
    let Some(docker) = common::engine_or_skip().await else {
        return;
    };
    let image = common::fixture_image(&docker).await;
    let project = common::unique_project("tuiw");
    let _guard = common::ProjectGuard::new(&project);
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("src")).unwrap();
    std::fs::write(
        dir.path().join("compose.yaml"),
        format!(
            "name: {project}\nservices:\n  web:\n    image: {image}\n    command: [\"sleep\", \"3600\"]\n    develop:\n      watch:\n        - action: sync\n          path: ./src\n          target: /app/src\n"
        ),
    )
    .unwrap();
    up(dir.path());

    let mut screen = stack_tab(dir.path(), "running", 20);
    screen.session.send("w").unwrap();
    screen.wait_for("the watch on", Duration::from_secs(20), |s| {
        s.contains("Watch: on") && s.contains("watching web")
    });
    std::fs::write(dir.path().join("src/hello.txt"), "hello from the host").unwrap();
    screen.wait_for(
        "the synced file on the panel",
        Duration::from_secs(20),
        |s| {
            s.lines()
                .any(|l| l.contains("✓ web synced 1 file (src/hello.txt) → web"))
        },
    );
    let id = docker
        .inspect_container(&format!("{project}-web-1"), None)
        .await
        .unwrap()
        .id
        .unwrap();
    let inside = common::exec_output(&docker, &id, &["cat", "/app/src/hello.txt"]).await;
    assert_eq!(inside.trim(), "hello from the host");
    // The feed's service column holds the service, never a glyph of a child's output.
    assert!(!screen.contents().contains("⦿"), "{}", screen.contents());
    screen.quit_and_check_restored();
}

#[tokio::test(flavor = "multi_thread")]
async fn b_rebuilds_showing_the_build_steps_then_healthy() {
    let Some(docker) = common::engine_or_skip().await else {
        return;
    };
    let image = common::fixture_image(&docker).await;
    let project = common::unique_project("tuib");
    let _guard = common::ProjectGuard::new(&project);
    let dir = tempfile::tempdir().unwrap();
    // The stamp changes before the rebuild, so the slow step after it runs again.
    std::fs::write(dir.path().join("stamp.txt"), "1").unwrap();
    std::fs::write(
        dir.path().join("Dockerfile"),
        format!(
            "FROM {image}\nCOPY stamp.txt /stamp.txt\nRUN sleep 2 && echo rebuilt-marker\nHEALTHCHECK --interval=1s --timeout=2s CMD test -f /stamp.txt\nCMD [\"sleep\", \"3600\"]\n"
        ),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("compose.yaml"),
        format!("name: {project}\nservices:\n  web:\n    build: .\n    image: {project}-web\n"),
    )
    .unwrap();
    up(dir.path());

    let mut screen = stack_tab(dir.path(), "healthy", 30);
    std::fs::write(dir.path().join("stamp.txt"), "2").unwrap();
    screen.session.send("b").unwrap();
    screen.wait_for("a build step on the row", Duration::from_secs(60), |s| {
        s.lines()
            .any(|l| l.starts_with("│web ") && l.contains("build:"))
    });
    screen.wait_for(
        "web healthy after the rebuild",
        Duration::from_secs(90),
        |s| {
            s.contains("rebuild web: done")
                && s.lines().any(|l| {
                    l.starts_with("│web ") && l.contains("healthy") && !l.contains("unhealthy")
                })
        },
    );
    let stamp =
        common::exec_output(&docker, &format!("{project}-web-1"), &["cat", "/stamp.txt"]).await;
    assert_eq!(stamp.trim(), "2", "the container runs the rebuilt image");
    screen.quit_and_check_restored();
}

/// `e` opens a shell in the selected container; the first `exit` typed there closes it (no key
/// is taken by the dashboard while the shell owns the terminal), the dashboard comes back
/// whole, and no service changed state (keys typed in the shell never reach the dashboard:
/// `x` there would have stopped the service).
#[tokio::test(flavor = "multi_thread")]
async fn e_opens_a_shell_that_the_first_exit_closes() {
    let Some(docker) = common::engine_or_skip().await else {
        return;
    };
    if Command::new("docker").arg("--version").output().is_err() {
        assert!(
            std::env::var_os("DEVBOX_REQUIRE_DOCKER").is_none(),
            "the docker CLI is needed for shells"
        );
        eprintln!("skipped: no docker CLI");
        return;
    }
    let image = common::fixture_image(&docker).await;
    let project = common::unique_project("tuie");
    let _guard = common::ProjectGuard::new(&project);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("compose.yaml"),
        format!(
            "name: {project}\nservices:\n  web:\n    image: {image}\n    command: [\"sleep\", \"3600\"]\n"
        ),
    )
    .unwrap();
    up(dir.path());

    let mut screen = stack_tab(dir.path(), "running", 20);
    screen.session.send("e").unwrap();
    screen.wait_for("the shell's prompt", Duration::from_secs(20), |s| {
        s.contains("devbox: shell in") && s.lines().any(|l| l.trim_end().ends_with('#'))
    });
    assert!(!screen.parser.screen().alternate_screen());
    // Keys that would stop the service if the dashboard took them, then the exit.
    screen.session.send("echo xx\r").unwrap();
    screen.wait_for("the echo", Duration::from_secs(10), |s| {
        s.lines().any(|l| l.trim() == "xx")
    });
    screen.session.send("exit\r").unwrap();
    screen.wait_for("the dashboard back", Duration::from_secs(20), |s| {
        s.contains("2 Stack") && s.lines().any(|l| l.starts_with("│web "))
    });
    assert!(screen.parser.screen().alternate_screen());
    screen.wait_for("the shell's outcome", Duration::from_secs(10), |s| {
        s.contains("shell in") && s.contains("done")
    });
    let state = docker
        .inspect_container(&format!("{project}-web-1"), None)
        .await
        .unwrap()
        .state
        .unwrap();
    assert_eq!(state.running, Some(true), "the service kept running");
    let row = screen.row_of("web").unwrap();
    assert!(
        row.contains("running") && !row.contains("stopping"),
        "{row}"
    );
    screen.quit_and_check_restored();
}

#[tokio::test(flavor = "multi_thread")]
async fn x_stops_and_the_row_says_what_the_stop_waits_for() {
    let Some(docker) = common::engine_or_skip().await else {
        return;
    };
    let image = common::fixture_image(&docker).await;
    let project = common::unique_project("tuix");
    let _guard = common::ProjectGuard::new(&project);
    let dir = tempfile::tempdir().unwrap();
    // busybox `sleep` as PID 1 ignores SIGTERM: the stop waits its 5 s grace period.
    std::fs::write(
        dir.path().join("compose.yaml"),
        format!(
            "name: {project}\nservices:\n  web:\n    image: {image}\n    command: [\"sleep\", \"3600\"]\n    stop_grace_period: 5s\n"
        ),
    )
    .unwrap();
    up(dir.path());

    let mut screen = stack_tab(dir.path(), "running", 20);
    screen.session.send("x").unwrap();
    screen.wait_for("the reason on the row", Duration::from_secs(10), |s| {
        s.lines()
            .any(|l| l.starts_with("│web ") && l.contains("stopping: SIGTERM sent, killed in 4 s"))
    });
    screen.wait_for("web exited", Duration::from_secs(20), |s| {
        s.lines()
            .any(|l| l.starts_with("│web ") && l.contains("exited"))
    });
    screen.quit_and_check_restored();
}
