//! `devbox config` end to end: output formats, listing flags, project flags (`-f`, `-p`,
//! `--profile`, `--env-file`, `--project-directory`), discovery and error reporting.

// Test helpers outside #[test] fns: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/compose/valid")
        .join(name)
}

fn devbox(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("devbox").unwrap();
    cmd.current_dir(dir)
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("HOME", "/home/dev")
        .env("NO_COLOR", "1");
    cmd
}

fn json(cmd: &mut Command) -> serde_json::Value {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// What Compose's YAML leaves out and its JSON prints: unset commands, empty IPAM.
fn without_empty_fields(mut value: serde_json::Value) -> serde_json::Value {
    for service in value["services"].as_object_mut().unwrap().values_mut() {
        let service = service.as_object_mut().unwrap();
        for key in ["command", "entrypoint"] {
            if service.get(key).is_some_and(serde_json::Value::is_null) {
                service.remove(key);
            }
        }
    }
    for network in value["networks"].as_object_mut().unwrap().values_mut() {
        let network = network.as_object_mut().unwrap();
        if network
            .get("ipam")
            .is_some_and(|i| i == &serde_json::json!({}))
        {
            network.remove("ipam");
        }
    }
    value
}

#[test]
fn json_and_yaml_print_the_same_model() {
    let dir = fixture("web-db");
    let from_json = json(devbox(&dir).args(["config", "--format", "json"]));
    assert!(from_json["services"]["web"]["command"].is_null());
    assert_eq!(from_json["name"], "web-db");
    assert_eq!(
        from_json["services"]["web"]["depends_on"]["db"]["condition"],
        "service_healthy"
    );
    let out = devbox(&dir).arg("config").output().unwrap();
    assert!(out.status.success());
    let from_yaml: serde_json::Value =
        serde_saphyr::from_str(&String::from_utf8_lossy(&out.stdout)).unwrap();
    assert!(from_yaml["services"]["web"].get("command").is_none());
    assert_eq!(from_yaml, without_empty_fields(from_json));
}

#[test]
fn listing_flags() {
    devbox(&fixture("web-db"))
        .args(["config", "--services"])
        .assert()
        .success()
        .stdout("db\nweb\n");
    devbox(&fixture("fullstack"))
        .args(["config", "--profiles"])
        .assert()
        .success()
        .stdout("dev\nscheduler\n");
    devbox(&fixture("fullstack"))
        .args(["config", "--services", "--profile", "dev"])
        .assert()
        .success()
        .stdout("api\nmailhog\nnginx\npostgres\nredis\nworker\n");
}

#[test]
fn variables_show_defaults_and_whether_set_even_when_a_required_one_is_not() {
    let dir = fixture("dotenv-interp");
    devbox(&dir)
        .args(["config", "--variables"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("NAME")
                .and(predicate::str::is_match(r"LOG_LEVEL\s+false\s+info").unwrap()),
        )
        .stdout(predicate::str::is_match(r"HOST_PORT\s+false\s+8080").unwrap());
    let vars = json(devbox(&dir).args(["config", "--variables", "--format", "json"]));
    assert_eq!(vars["LOG_LEVEL"]["DefaultValue"], "info");
    assert_eq!(vars["LOG_LEVEL"]["Set"], false);
    assert_eq!(vars["TAG"]["Set"], true);

    // Compose lists an unset `${B:?msg}` as required instead of failing.
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("compose.yaml"),
        "services:\n  web:\n    image: nginx\n    environment:\n      B: ${DEVBOX_TEST_UNSET_B:?need b}\n",
    )
    .unwrap();
    devbox(tmp.path())
        .args(["config", "--variables"])
        .assert()
        .success()
        .stdout(predicate::str::is_match(r"DEVBOX_TEST_UNSET_B\s+true").unwrap());
}

#[test]
fn project_flags() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(
        dir.join("base.yaml"),
        "services:\n  app:\n    image: \"app:${TAG:-dev}\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("extra.yaml"),
        "services:\n  tools:\n    image: tools\n    profiles: [tools]\n",
    )
    .unwrap();
    std::fs::write(dir.join("ci.env"), "TAG=ci\n").unwrap();
    let out = json(devbox(dir).args([
        "config",
        "--format",
        "json",
        "-f",
        "base.yaml",
        "-f",
        "extra.yaml",
        "-p",
        "custom",
        "--profile",
        "tools",
        "--env-file",
        "ci.env",
    ]));
    assert_eq!(out["name"], "custom");
    assert_eq!(out["services"]["app"]["image"], "app:ci");
    assert!(out["services"]["tools"].is_object());
}

#[test]
fn discovery_walks_up_and_picks_the_override_file() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("My Project");
    std::fs::create_dir_all(root.join("src/deep")).unwrap();
    std::fs::write(
        root.join("compose.yaml"),
        "services:\n  app:\n    image: base\n",
    )
    .unwrap();
    std::fs::write(
        root.join("compose.override.yaml"),
        "services:\n  app:\n    image: overridden\n",
    )
    .unwrap();
    let out = json(devbox(&root.join("src/deep")).args(["config", "--format", "json"]));
    assert_eq!(out["name"], "myproject");
    assert_eq!(out["services"]["app"]["image"], "overridden");
}

#[test]
fn a_typo_points_at_the_line_and_suggests_the_key() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("compose.yaml"),
        "services:\n  web:\n    image: nginx\n    helthcheck:\n      test: curl -f http://localhost\n",
    )
    .unwrap();
    devbox(tmp.path())
        .arg("config")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "compose.yaml:4:5: services.web.helthcheck: unknown key \"helthcheck\"",
        ))
        .stderr(predicate::str::contains("did you mean `healthcheck`?"));
    std::fs::write(
        tmp.path().join("compose.yaml"),
        "services:\n  web:\n    image: nginx\n    depends_on: [dbb]\n  db:\n    image: postgres\n",
    )
    .unwrap();
    devbox(tmp.path())
        .arg("config")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("compose.yaml:4:18"))
        .stderr(predicate::str::contains("did you mean `db`?"));
}

#[test]
fn warnings_go_to_stderr() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("compose.yaml"),
        "version: '3'\nservices:\n  a:\n    image: \"x:${UNSET_TAG}\"\n",
    )
    .unwrap();
    devbox(tmp.path())
        .args(["config", "--services"])
        .assert()
        .success()
        .stdout("a\n")
        .stderr(predicate::str::contains("`version` is obsolete"))
        .stderr(predicate::str::contains(
            "The \"UNSET_TAG\" variable is not set",
        ));
}

#[test]
fn no_compose_file_is_a_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    devbox(tmp.path())
        .arg("config")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no configuration file provided"));
}
