//! `devbox watch` end to end, for the mistakes it reports before touching the engine: no rules,
//! an unknown service, a relative target, a sync path that is also bind-mounted, a bad pattern.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

fn project(compose: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("compose.yaml"), compose).unwrap();
    std::fs::create_dir(dir.path().join("src")).unwrap();
    dir
}

/// The stderr with miette's wrapping and frame characters removed.
fn flat(text: &str) -> String {
    text.replace(['│', '×', '╰', '─', '▶'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn says(expected: String) -> impl predicates::Predicate<[u8]> {
    predicate::function(move |err: &[u8]| flat(&String::from_utf8_lossy(err)).contains(&expected))
}

fn watch(dir: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    let mut cmd = Command::cargo_bin("devbox").unwrap();
    cmd.current_dir(dir)
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("HOME", "/home/dev")
        .env("NO_COLOR", "1")
        // Nothing listens here: every case must fail before connecting.
        .env("DOCKER_HOST", "unix:///nonexistent/docker.sock")
        .arg("watch")
        .args(extra)
        .assert()
}

#[test]
fn no_rules_is_explained() {
    let dir = project("services:\n  web:\n    image: x\n");
    watch(dir.path(), &[])
        .failure()
        .stderr(predicate::str::contains(
            "none of the selected services is configured for watch",
        ))
        .stderr(predicate::str::contains("develop"));
}

#[test]
fn unknown_service_lists_the_known_ones() {
    let dir = project("services:\n  web:\n    image: x\n  db:\n    image: y\n");
    watch(dir.path(), &["wbe"])
        .failure()
        .stderr(predicate::str::contains("no such service: wbe"))
        .stderr(predicate::str::contains("web"));
}

#[test]
fn relative_target_names_service_and_rule() {
    let dir = project(
        "services:\n  web:\n    image: x\n    develop:\n      watch:\n        - path: ./src\n          action: sync\n          target: app\n",
    );
    watch(dir.path(), &[])
        .failure()
        .stderr(predicate::str::contains(
            "service \"web\": develop.watch[0] target \"app\" is not absolute",
        ));
}

#[test]
fn sync_over_a_bind_mount_names_the_bind() {
    let dir = project(
        "services:\n  web:\n    image: x\n    volumes: [\"./src:/app/src\"]\n    develop:\n      watch:\n        - path: ./src\n          action: sync\n          target: /app/src\n",
    );
    let src = dir.path().canonicalize().unwrap().join("src");
    // miette may wrap right after the hyphen of "bind-mounted".
    watch(dir.path(), &[])
        .failure()
        .stderr(says(format!(
            "watch[0] path {} is also bind",
            src.display()
        )))
        .stderr(says(format!("mounted from {}", src.display())));
}

#[test]
fn bad_dockerignore_names_the_file_and_line() {
    let dir = project(
        "services:\n  web:\n    build: .\n    develop:\n      watch:\n        - path: ./src\n          action: rebuild\n",
    );
    std::fs::write(dir.path().join(".dockerignore"), "ok\n[\n").unwrap();
    watch(dir.path(), &[]).failure().stderr(says(
        ".dockerignore: line 2: pattern `[`: syntax error in pattern".into(),
    ));
}
