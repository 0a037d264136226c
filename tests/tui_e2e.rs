//! End to end: the real binary in a pseudo-terminal (expectrl) with its screen parsed by vt100,
//! on a fixture stack in the real engine. The web service becomes healthy on screen, a restart
//! shows it restarting and back to healthy, `q` quits and leaves the terminal restored.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::HashMap;
use std::time::Duration;

use common::screen::Screen;

use bollard::models::{ContainerCreateBody, HealthConfig};
use bollard::query_parameters::CreateContainerOptionsBuilder;

const COLS: u16 = 100;
const ROWS: u16 = 30;

#[tokio::test(flavor = "multi_thread")]
async fn stack_becomes_healthy_restarts_and_quits_cleanly() {
    let Some(docker) = common::engine_or_skip().await else {
        return;
    };
    let image = common::fixture_image(&docker).await;
    let project = common::unique_project("tui");
    let _guard = common::ProjectGuard::new(&project);

    // The folder the app opens in: a compose file naming the project and its service.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("compose.yaml"),
        format!("name: {project}\nservices:\n  web:\n    image: {image}\n"),
    )
    .unwrap();

    // The container as compose would create it: labels, a healthcheck that passes after 2 s.
    let labels = HashMap::from([
        ("com.docker.compose.project".to_string(), project.clone()),
        ("com.docker.compose.service".to_string(), "web".to_string()),
        (
            "com.docker.compose.container-number".to_string(),
            "1".to_string(),
        ),
    ]);
    let body = ContainerCreateBody {
        image: Some(image.clone()),
        cmd: Some(vec![
            "sh".into(),
            "-c".into(),
            "rm -f /tmp/ok; echo web up; sleep 2; touch /tmp/ok; exec sleep 3600".into(),
        ]),
        labels: Some(labels),
        healthcheck: Some(HealthConfig {
            test: Some(vec![
                "CMD".into(),
                "test".into(),
                "-f".into(),
                "/tmp/ok".into(),
            ]),
            interval: Some(500_000_000),
            timeout: Some(1_000_000_000),
            retries: Some(10),
            ..Default::default()
        }),
        stop_signal: Some("SIGKILL".into()),
        ..Default::default()
    };
    let name = format!("{project}-web-1");
    let opts = CreateContainerOptionsBuilder::new().name(&name).build();
    let created = docker.create_container(Some(opts), body).await.unwrap();
    docker.start_container(&created.id, None).await.unwrap();

    let mut screen = Screen::spawn(dir.path(), COLS, ROWS, &[]);

    screen.wait_for("the tab bar", Duration::from_secs(20), |s| {
        s.contains("2 Stack")
    });
    // No key pressed: a directory with a compose project opens on the Stack tab.
    screen.wait_for("web healthy", Duration::from_secs(30), |s| {
        s.lines()
            .any(|l| l.starts_with("│web ") && l.contains("running") && l.contains("healthy"))
    });
    screen.wait_for("its log line", Duration::from_secs(10), |s| {
        s.contains("web up")
    });

    // Restart: the row says so, then the health starts over and comes back.
    screen.session.send("r").unwrap();
    screen.wait_for("web restarting", Duration::from_secs(10), |s| {
        s.lines()
            .any(|l| l.starts_with("│web ") && l.contains("restarting"))
    });
    screen.wait_for("web healthy again", Duration::from_secs(30), |s| {
        s.lines().any(|l| {
            l.starts_with("│web ")
                && l.contains("running")
                && l.contains("healthy")
                && !l.contains("restarting")
        }) && s.contains("restart web: done")
    });
    eprintln!("{}", screen.parser.screen().contents());
    let row = screen.row_of("web").unwrap();
    assert!(!row.contains("unhealthy"), "{row}");

    screen.quit_and_check_restored();
}

/// A panic while the dashboard owns the terminal (raw mode, alternate screen, hidden cursor,
/// mouse capture): the hook restores all of it before the message is printed, then ends the
/// process without unwinding, which is what a release build (`panic = "abort"`) does, so no
/// `Drop` helps. The panic is triggered on purpose through `DEVBOX_DEBUG_PANIC`, which only
/// builds with debug assertions (this test build) read. No engine needed.
#[test]
fn a_panic_restores_the_terminal_before_the_message() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = Screen::spawn(
        dir.path(),
        COLS,
        ROWS,
        &[
            ("DEVBOX_DEBUG_PANIC", Some("1")),
            ("DOCKER_HOST", Some("unix:///nonexistent/docker.sock")),
            // The message must fit the screen.
            ("RUST_BACKTRACE", Some("0")),
        ],
    );
    screen.wait_for("the dashboard", Duration::from_secs(20), |s| {
        s.contains("2 Stack")
    });
    assert!(screen.parser.screen().alternate_screen());

    screen.session.send("x").unwrap();
    screen.drain();
    // Bounded: an app that survives its panic (unwinding into the task runner) never exits.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let status = loop {
        match screen.session.status().unwrap() {
            expectrl::WaitStatus::StillAlive if std::time::Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(50));
            }
            expectrl::WaitStatus::StillAlive => {
                screen.session.exit(true).unwrap();
                panic!("still running after the panic:\n{}", screen.contents());
            }
            ended => break ended,
        }
    };
    assert!(
        !matches!(status, expectrl::WaitStatus::Exited(_, 0)),
        "a panic must not exit 0: {status:?}"
    );
    let shown = screen.contents();
    assert!(
        !screen.parser.screen().alternate_screen(),
        "still on the alternate screen:\n{shown}"
    );
    assert!(
        !screen.parser.screen().hide_cursor(),
        "the cursor is hidden"
    );
    // The message is on the shell's screen, not lost with the alternate one, and each of its
    // lines starts at the left edge: in raw mode a newline does not return the carriage, and
    // the lines would step across the screen.
    assert!(shown.contains("panicking on purpose"), "{shown}");
    assert!(
        shown
            .lines()
            .any(|l| l.starts_with("devbox: the dashboard stopped")),
        "raw mode was left on:\n{shown}"
    );
}
