//! Every subcommand behaves in a pipe: when the reader of stdout is gone (`devbox … | head -1`)
//! the command ends quietly with status 141 (128 + SIGPIPE, what a shell shows), never a panic
//! and never an error message; with stderr gone too, nothing panics either.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::{Command, Stdio};

const CLOSED: i32 = 141;

/// Runs devbox in `dir` with stdout a pipe whose reader is already closed; returns (status,
/// stderr).
fn closed_stdout(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> (Option<i32>, String) {
    let child = Command::new(env!("CARGO_BIN_EXE_devbox"))
        .args(args)
        .current_dir(dir)
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(reader_gone())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs devbox with both stdout and stderr closed; returns the status.
fn closed_both(dir: &Path, args: &[&str]) -> Option<i32> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_devbox"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(reader_gone())
        .stderr(reader_gone())
        .spawn()
        .unwrap();
    child.wait().unwrap().code()
}

/// The write end of a pipe whose reader is closed before the child starts: closing it after
/// the spawn raced with a fast child, which could fill the pipe's buffer first and succeed.
fn reader_gone() -> Stdio {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    writer.into()
}

fn assert_quiet(args: &[&str], (status, stderr): (Option<i32>, String)) {
    assert!(!stderr.contains("panicked"), "{args:?} panicked: {stderr}");
    assert_eq!(
        status,
        Some(CLOSED),
        "{args:?}: status {status:?}, stderr: {stderr}"
    );
    assert!(
        !stderr.contains("Broken pipe") && !stderr.contains("stdout"),
        "{args:?} said something about the pipe: {stderr}"
    );
}

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("package.json"),
        r#"{"name":"p","version":"1.0.0","scripts":{"start":"node server.js"},"dependencies":{"express":"^4.19.0"}}"#,
    )
    .unwrap();
    std::fs::write(
        dir.path().join("server.js"),
        "require('express')().listen(3000)\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("compose.yaml"),
        "services:\n  web:\n    image: devbox-fixture/busybox:1\n    command: [\"sh\", \"-c\", \"seq 1 5000; exec sleep 3600\"]\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("Dockerfile"),
        "FROM node:22\nCOPY . .\nRUN npm install\nCMD npm start\n",
    )
    .unwrap();
    dir
}

#[test]
fn offline_subcommands_end_quietly_when_stdout_closes() {
    let dir = project();
    let cases: &[&[&str]] = &[
        &["init", "--yes", "--dry-run"],
        &["init", "--print-template-dir"],
        &["init", "--yes", "--print-answers"],
        &["lint", "--list-rules"],
        &["lint", "--explain", "DBX115"],
        &["lint", "Dockerfile"],
        &["lint", "--format", "json", "Dockerfile"],
        &["config"],
        &["config", "--services"],
        &["completions", "bash"],
        &["--help"],
    ];
    for args in cases {
        let result = closed_stdout(dir.path(), args, &[("DEVBOX_TEMPLATE_DIR", "/tmp")]);
        if args == &["--help"] {
            // clap prints help itself; it must not panic either.
            assert!(
                !result.1.contains("panicked"),
                "--help panicked: {}",
                result.1
            );
            continue;
        }
        assert_quiet(args, result);
    }
    for args in cases {
        let status = closed_both(dir.path(), args);
        assert!(
            matches!(status, Some(0..=2) | Some(CLOSED)),
            "{args:?} with stdout and stderr closed: {status:?}"
        );
    }
}

#[tokio::test]
async fn engine_subcommands_end_quietly_when_stdout_closes() {
    let Some(docker) = common::engine_or_skip().await else {
        return;
    };
    common::fixture_image(&docker).await;
    let dir = project();
    let name = common::unique_project("pipes");
    let _guard = common::ProjectGuard::new(&name);
    let env = [("COMPOSE_PROJECT_NAME", name.as_str())];
    let up = Command::new(env!("CARGO_BIN_EXE_devbox"))
        .args(["up", "-d", "--wait"])
        .current_dir(dir.path())
        .envs(env)
        .output()
        .unwrap();
    assert!(
        up.status.success(),
        "{}",
        String::from_utf8_lossy(&up.stderr)
    );

    for args in [
        &["ps"][..],
        &["ps", "--format", "json"],
        &["ps", "-q"],
        &["logs"],
        &["logs", "-f"],
        &["up"],
        &["ls"],
        &["ls", "--format", "json"],
        &["images"],
        &["top"],
        &["version"],
        &["exec", "-T", "web", "seq", "1", "100"],
        &["run", "--rm", "-T", "web", "seq", "1", "100"],
    ] {
        assert_quiet(args, closed_stdout(dir.path(), args, &env));
    }

    // The pipe as a shell builds it: `head -1` reads a line and goes away mid-stream.
    let piped = Command::new("bash")
        .args([
            "-c",
            &format!(
                "set -o pipefail; '{}' logs | head -1; echo \"status=${{PIPESTATUS[0]}}\"",
                env!("CARGO_BIN_EXE_devbox")
            ),
        ])
        .current_dir(dir.path())
        .envs(env)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&piped.stdout);
    let stderr = String::from_utf8_lossy(&piped.stderr);
    assert!(
        stdout.starts_with("web-1") || stdout.contains("| 1"),
        "{stdout}"
    );
    assert!(stdout.contains("status=141"), "{stdout} {stderr}");
    assert!(stderr.is_empty(), "nothing said: {stderr}");

    let down = Command::new(env!("CARGO_BIN_EXE_devbox"))
        .args(["down"])
        .current_dir(dir.path())
        .envs(env)
        .output()
        .unwrap();
    assert!(down.status.success());
}
