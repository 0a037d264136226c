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

    screen.quit_and_check_restored();
}
