//! `devbox lint` as a user runs it: exit codes, JSON and SARIF output, --explain, --fix with
//! --dry-run, configuration and pragmas.

#![allow(clippy::expect_used, clippy::unwrap_used)] // test helpers may panic

use assert_cmd::Command;
use std::path::Path;

fn devbox(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("devbox").unwrap();
    cmd.current_dir(dir).env("NO_COLOR", "1");
    cmd
}

fn project(dockerfile: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("Dockerfile"), dockerfile).unwrap();
    std::fs::write(dir.path().join(".dockerignore"), ".git\n.env*\n").unwrap();
    dir
}

const BAD: &str = "FROM alpine:3.20\nRUN apk add curl\nUSER 1000:1000\n";
const GOOD: &str = "FROM alpine:3.20\nRUN apk add --no-cache curl\nUSER 1000:1000\n";

#[test]
fn exit_codes_follow_findings_and_threshold() {
    let bad = project(BAD);
    let out = devbox(bad.path()).arg("lint").output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("DBX105") && text.contains("RUN apk add curl"),
        "{text}"
    );
    devbox(bad.path())
        .args(["lint", "--fail-on", "error"])
        .assert()
        .code(0);
    devbox(project(GOOD).path()).arg("lint").assert().code(0);
    devbox(bad.path())
        .args(["lint", "--fail-on", "fatal"])
        .assert()
        .code(2);
    let empty = tempfile::tempdir().unwrap();
    devbox(empty.path()).arg("lint").assert().code(2);
}

#[test]
fn json_and_sarif_outputs() {
    let bad = project(BAD);
    let out = devbox(bad.path())
        .args(["lint", "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["findings"][0]["rule"], "DBX105");
    assert_eq!(v["findings"][0]["line"], 2);
    assert_eq!(v["summary"]["warning"], 1);

    let out = devbox(bad.path())
        .args(["lint", "--format", "sarif"])
        .output()
        .unwrap();
    let s: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(s["version"], "2.1.0");
    let run = &s["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.len() >= 40);
    let result = &run["results"][0];
    assert_eq!(result["ruleId"], "DBX105");
    let index = result["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(rules[index]["id"], "DBX105");
    assert_eq!(result["level"], "warning");
    let region = &result["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (region["startLine"].as_u64(), region["startColumn"].as_u64()),
        (Some(2), Some(9))
    );
    assert_eq!(
        result["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"],
        " --no-cache"
    );
}

#[test]
fn explain_and_unknown_rule() {
    let dir = tempfile::tempdir().unwrap();
    let out = devbox(dir.path())
        .args(["lint", "--explain", "dbx116"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("# DBX116 copy-before-install"));
    let out = devbox(dir.path())
        .args(["lint", "--explain", "DBX1166"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean"));
}

#[test]
fn fix_shows_diff_and_dry_run_changes_nothing() {
    let bad = project(BAD);
    let out = devbox(bad.path())
        .args(["lint", "--fix", "--dry-run"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("-RUN apk add curl") && text.contains("+RUN apk add --no-cache curl"),
        "{text}"
    );
    assert_eq!(
        std::fs::read_to_string(bad.path().join("Dockerfile")).unwrap(),
        BAD
    );
    let out = devbox(bad.path()).args(["lint", "--fix"]).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(
        std::fs::read_to_string(bad.path().join("Dockerfile")).unwrap(),
        GOOD
    );
}

#[test]
fn config_and_pragmas_silence_rules() {
    let bad = project(BAD);
    std::fs::write(
        bad.path().join(".devbox-lint.toml"),
        "ignore = [\"DBX105\"]\n",
    )
    .unwrap();
    devbox(bad.path()).arg("lint").assert().code(0);
    std::fs::write(
        bad.path().join(".devbox-lint.toml"),
        "[severity]\nDBX105 = \"info\"\n",
    )
    .unwrap();
    devbox(bad.path()).arg("lint").assert().code(0);
    std::fs::write(
        bad.path().join(".devbox-lint.toml"),
        "ignore = [\"DBX999\"]\n",
    )
    .unwrap();
    devbox(bad.path()).arg("lint").assert().code(2);
    let silenced = project(
        "FROM alpine:3.20\n# devbox-lint ignore=DBX105 index is tiny here\nRUN apk add curl\nUSER 1000:1000\n",
    );
    devbox(silenced.path()).arg("lint").assert().code(0);
}
