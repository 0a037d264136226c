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

/// `devbox lint ARGS` in `dir` with its data segment capped at 256 MiB by the kernel.
fn lint_in_256_mib(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new("sh")
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args(["-c", "ulimit -d 262144 && exec \"$0\" lint \"$@\""])
        .arg(env!("CARGO_BIN_EXE_devbox"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn dev_zero_is_read_only_to_the_dockerfile_limit() {
    // Read past 8 GB before.
    let dir = tempfile::tempdir().unwrap();
    let (code, _, stderr) = lint_in_256_mib(dir.path(), &["/dev/zero"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("/dev/zero is more than 2.0 MiB, larger than devbox reads (limit: Dockerfile size, 2.0 MiB)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("DEVBOX_LIMIT_DOCKERFILE_BYTES="),
        "{stderr}"
    );
}

#[test]
fn a_dockerfile_link_loop_is_named_not_missing() {
    // Read as "nothing to lint: no compose file and no Dockerfile" before.
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink("Dockerfile", dir.path().join("Dockerfile")).unwrap();
    let (code, _, stderr) = lint_in_256_mib(dir.path(), &[]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("Dockerfile: it is a symbolic link loop"),
        "{stderr}"
    );
    assert!(!stderr.contains("nothing to lint"), "{stderr}");
}

#[test]
fn twenty_thousand_stages_are_one_finding_at_the_first_stage_over() {
    let text: String = (0..20_000)
        .map(|i| format!("FROM busybox:1.36 AS s{i}\nRUN echo {i}\n"))
        .collect();
    let dir = project(&text);
    let (code, stdout, stderr) = lint_in_256_mib(dir.path(), &["--format", "json"]);
    assert_eq!(code, Some(1), "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{stdout}");
    assert_eq!(findings[0]["rule"], "DBX100");
    assert_eq!(findings[0]["line"], 2001);
    let message = findings[0]["message"].as_str().unwrap();
    assert!(
        message.starts_with("Dockerfile not linted: 20000 build stages, more than devbox reads (limit: Dockerfile stages, 1000)"),
        "{message}"
    );
    let help = findings[0]["help"].as_str().unwrap();
    assert!(
        help.contains("DEVBOX_LIMIT_DOCKERFILE_STAGES=2000"),
        "{help}"
    );
}

#[test]
fn a_long_dockerfile_reports_every_finding_within_256_mib() {
    // 1 MiB of RUN lines, four findings each: as one JSON tree the SARIF log took ~550 MB.
    let mut text = String::from("FROM busybox:1.36\n");
    while text.len() < 1024 * 1024 {
        text.push_str("RUN pip install flask && apt-get update && apt-get install -y curl\n");
    }
    let runs = text.matches("RUN ").count();
    let dir = project(&text);
    let (code, stdout, stderr) = lint_in_256_mib(dir.path(), &["--format", "sarif"]);
    assert_eq!(code, Some(1), "{stderr}");
    let log: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert!(
        results.len() >= runs,
        "{} results for {runs} RUNs",
        results.len()
    );
}
