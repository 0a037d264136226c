//! End to end: the real binary in a pseudo-terminal (expectrl) with its screen parsed by vt100,
//! on a fixture stack in the real engine. The web service becomes healthy on screen, a restart
//! shows it restarting and back to healthy, `q` quits and leaves the terminal restored.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::HashMap;
use std::io::Read;
use std::num::NonZeroU16;
use std::time::{Duration, Instant};

use bollard::models::{ContainerCreateBody, HealthConfig};
use bollard::query_parameters::CreateContainerOptionsBuilder;

const COLS: u16 = 100;
const ROWS: u16 = 30;

/// The app in a pty and the terminal it draws on.
struct Screen {
    session: expectrl::Session,
    parser: vt100::Parser,
}

impl Screen {
    /// Reads output until `done` holds for the screen, or fails with the screen after `timeout`.
    fn wait_for(&mut self, what: &str, timeout: Duration, done: impl Fn(&str) -> bool) {
        let deadline = Instant::now() + timeout;
        let mut buf = [0u8; 8192];
        loop {
            match self.session.try_read(&mut buf) {
                Ok(0) => {}
                Ok(n) => self.parser.process(&buf[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    std::thread::sleep(Duration::from_millis(20));
                }
                // EIO: the child closed the pty.
                Err(_) => {}
            }
            let text = self.parser.screen().contents();
            if done(&text) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}; the screen:\n{text}"
            );
        }
    }

    fn row_of(&self, service: &str) -> Option<String> {
        self.parser
            .screen()
            .contents()
            .lines()
            .find(|l| l.starts_with(&format!("│{service} ")))
            .map(str::to_owned)
    }

    fn drain(&mut self) {
        let mut buf = [0u8; 8192];
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            match self.session.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => self.parser.process(&buf[..n]),
                Err(_) => break,
            }
        }
    }
}

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

    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_devbox"));
    command
        .current_dir(dir.path())
        .env("TERM", "xterm-256color");
    let mut session = expectrl::Session::spawn(command).unwrap();
    session.set_window_size(COLS, ROWS).unwrap();
    let mut screen = Screen {
        session,
        parser: vt100::Parser::new(
            NonZeroU16::new(ROWS).unwrap(),
            NonZeroU16::new(COLS).unwrap(),
            0,
        ),
    };

    screen.wait_for("the tab bar", Duration::from_secs(20), |s| {
        s.contains("2 Stack")
    });
    screen.session.send("2").unwrap();
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

    screen.session.send("q").unwrap();
    screen.drain();
    let status = screen.session.wait().unwrap();
    assert!(
        matches!(status, expectrl::WaitStatus::Exited(_, 0)),
        "exit: {status:?}"
    );
    assert!(
        !screen.parser.screen().alternate_screen(),
        "the alternate screen was left"
    );
    assert!(!screen.parser.screen().hide_cursor(), "the cursor is back");
}
