//! End to end, as a new user in a fresh project folder: `devbox` → the Wizard tab → Enter
//! through the questions → `S` writes the files and starts the stack, without leaving the app.
//! No registry is reachable here: the stand-in images (tests/stand-ins) cover the templates'
//! default versions, so a project pinned to Node 19, which nothing provides, ends in a message
//! naming the base image that could not be pulled; with templates overridden in the config dir to
//! build on the local fixture image, the same keys end with the stack healthy on screen.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod e2e;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::screen::Screen;

const COLS: u16 = 120;
const ROWS: u16 = 36;

/// The override: the development target on the fixture image, serving the folder with busybox
/// httpd on the port the wizard chose, probed by busybox wget.
const OFFLINE_DOCKERFILE: &str = r#"# Offline override: the local fixture image stands in for node (no registry here).
FROM devbox-fixture/busybox:1 AS development
WORKDIR /app
COPY . .
HEALTHCHECK --interval=1s --timeout=2s --retries=30 CMD ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1:{{ port }}/server.js"]
CMD ["sh", "-c", "echo serving on {{ port }}; exec httpd -f -v -p {{ port }} -h /app"]

FROM development AS production
"#;

/// A fresh Node project (no Dockerfile, no compose file) in a folder named `project`, and an
/// empty config home beside it.
fn fresh_node_project(root: &Path, project: &str) -> (PathBuf, PathBuf) {
    let dir = root.join(project);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("package.json"),
        format!(
            r#"{{ "name": "{project}", "version": "1.0.0", "scripts": {{ "start": "node server.js" }}, "dependencies": {{}} }}"#
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("server.js"),
        "require('http').createServer((q, s) => s.end('ok')).listen(3000);\n",
    )
    .unwrap();
    let config = root.join("config");
    std::fs::create_dir_all(&config).unwrap();
    (dir, config)
}

fn free_port() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port().to_string()
}

/// Opens the app, answers every question with its default, presses `S`.
fn walk_and_start(dir: &Path, config: &Path, port: &str) -> Screen {
    let config = config.to_str().unwrap();
    let env = [
        ("XDG_CONFIG_HOME", Some(config)),
        ("DEVBOX_TEMPLATE_DIR", None),
        ("PORT", Some(port)),
    ];
    let mut screen = Screen::spawn(dir, COLS, ROWS, &env);
    screen.wait_for("the first question", Duration::from_secs(20), |s| {
        s.contains("Question 1")
    });
    for _ in 0..40 {
        if screen.contents().contains("All questions answered") {
            break;
        }
        screen.session.send("\r").unwrap();
        screen.wait_for("the next step", Duration::from_secs(5), |_| true);
        std::thread::sleep(Duration::from_millis(50));
    }
    screen.wait_for("every question answered", Duration::from_secs(10), |s| {
        s.contains("All questions answered")
    });
    screen.session.send("S").unwrap();
    screen
}

fn assert_files_written(dir: &Path) {
    for file in ["Dockerfile", ".dockerignore", "compose.yaml"] {
        assert!(dir.join(file).is_file(), "{file} was not written");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn stock_templates_end_in_a_message_naming_the_unpullable_image() {
    let Some(docker) = common::engine_or_skip().await else {
        return;
    };
    common::fixture_image(&docker).await;
    let project = common::unique_project("wizstock");
    let _guard = common::ProjectGuard::new(&project);
    let root = tempfile::tempdir().unwrap();
    let (dir, config) = fresh_node_project(root.path(), &project);
    std::fs::write(
        dir.join("package.json"),
        format!(
            r#"{{ "name": "{project}", "version": "1.0.0", "scripts": {{ "start": "node server.js" }}, "dependencies": {{}}, "engines": {{ "node": "19" }} }}"#
        ),
    )
    .unwrap();

    let mut screen = walk_and_start(&dir, &config, &free_port());
    screen.wait_for("the failure", Duration::from_secs(120), |s| {
        s.contains("Failed") && s.contains("could not be pulled")
    });
    let text = screen.contents();
    eprintln!("{text}");
    assert!(text.contains("base image"), "{text}");
    assert!(text.contains("node:"), "the image is named: {text}");
    assert_files_written(&dir);
    assert!(
        std::fs::read_to_string(dir.join("Dockerfile"))
            .unwrap()
            .contains("FROM node:"),
        "the stock template was used"
    );
    screen.quit_and_check_restored();
}

#[tokio::test(flavor = "multi_thread")]
async fn templates_overridden_in_the_config_dir_end_with_the_stack_healthy() {
    let Some(docker) = common::engine_or_skip().await else {
        return;
    };
    common::fixture_image(&docker).await;
    let project = common::unique_project("wizlocal");
    let _guard = common::ProjectGuard::new(&project);
    let root = tempfile::tempdir().unwrap();
    let (dir, config) = fresh_node_project(root.path(), &project);
    let templates = config.join("devbox").join("templates");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(
        templates.join("Dockerfile.node-plain.j2"),
        OFFLINE_DOCKERFILE,
    )
    .unwrap();

    let mut screen = walk_and_start(&dir, &config, &free_port());
    screen.wait_for("app healthy", Duration::from_secs(120), |s| {
        s.lines()
            .any(|l| l.starts_with("│app ") && l.contains("running") && l.contains("healthy"))
    });
    let text = screen.contents();
    eprintln!("{text}");
    assert!(!text.contains("Failed"), "{text}");
    assert_files_written(&dir);
    assert!(
        std::fs::read_to_string(dir.join("Dockerfile"))
            .unwrap()
            .contains("devbox-fixture/busybox:1"),
        "the override from the config dir was used"
    );
    screen.quit_and_check_restored();
    // The stack keeps running after the app quits, as `up -d` would leave it; the guard removes it.
}

/// A monorepo root (a Node API, a Python worker, a static site) on the stand-in images: Enter
/// through every app's questions, `S` writes each app's files and the root compose.yaml and
/// starts the three, healthy on screen.
#[tokio::test(flavor = "multi_thread")]
async fn a_monorepo_root_ends_with_every_app_healthy() {
    let Some(_docker) = common::engine_or_skip().await else {
        return;
    };
    let _serial = e2e::SERIAL.lock().await;
    if !e2e::stand_ins() {
        return;
    }
    let project = common::unique_project("wizmono");
    let _guard = common::ProjectGuard::new(&project);
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join(&project);
    e2e::copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/e2e/monorepo"),
        &dir,
    );
    let config = root.path().join("config");
    std::fs::create_dir_all(&config).unwrap();
    let (api, web) = (free_port(), free_port());
    std::fs::write(
        dir.join(".env"),
        format!("API_PORT={api}\nWEB_PORT={web}\n"),
    )
    .unwrap();

    let mut screen = walk_and_start(&dir, &config, &free_port());
    screen.wait_for("every app healthy", Duration::from_secs(600), |s| {
        ["│api ", "│worker ", "│web "].iter().all(|name| {
            s.lines()
                .any(|l| l.starts_with(name) && l.contains("running") && l.contains("healthy"))
        })
    });
    let text = screen.contents();
    eprintln!("{text}");
    for file in [
        "compose.yaml",
        "services/api/Dockerfile",
        "services/worker/Dockerfile",
        "web/Dockerfile",
    ] {
        assert!(dir.join(file).is_file(), "{file} was not written");
    }
    assert!(
        !dir.join("Dockerfile").exists(),
        "no Dockerfile at the root"
    );
    screen.quit_and_check_restored();
}
