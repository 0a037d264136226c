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

/// `devbox` in `dir` with its data segment (heap and anonymous writable memory) capped at
/// 256 MiB by the kernel: going past it is an allocation failure and an abort, not an error.
fn devbox_in_256_mib(dir: &Path) -> Command {
    let mut cmd = Command::new("sh");
    cmd.current_dir(dir)
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("HOME", "/home/dev")
        .env("NO_COLOR", "1")
        .args(["-c", "ulimit -d 262144 && exec \"$0\" \"$@\""])
        .arg(env!("CARGO_BIN_EXE_devbox"));
    cmd
}

/// Runs `devbox config -q` on `yaml` in 256 MiB and returns its exit code and stderr.
fn config_in_256_mib(yaml: &[u8]) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("compose.yaml"), yaml).unwrap();
    let out = devbox_in_256_mib(dir.path())
        .args(["config", "-q"])
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn alias_bomb(string_len: usize, levels: usize) -> String {
    let mut yaml = format!("x-a0: &a0 \"{}\"\n", "x".repeat(string_len));
    for level in 1..=levels {
        let refs = vec![format!("*a{}", level - 1); 10].join(", ");
        yaml.push_str(&format!("x-a{level}: &a{level} [{refs}]\n"));
    }
    yaml + "services:\n  a:\n    image: busybox\n"
}

/// Issue 19's probes: each ends in a clean error (exit 2) at a position, naming its limit,
/// inside 256 MiB. Before: a stack overflow, 5.2 GB, > 8 GB, 608 MB.
#[test]
fn hostile_compose_files_fail_cleanly_within_256_mib() {
    let nested = format!(
        "services:\n  a:\n    image: {}x{}\n",
        "${A:-".repeat(40_000),
        "}".repeat(40_000)
    );
    let mut services = String::from("services:\n");
    for i in 0..50_000 {
        services.push_str(&format!("  s{i}:\n    image: busybox\n"));
    }
    let cases: [(&str, String, &[&str]); 4] = [
        (
            "nested interpolation",
            nested,
            &[
                "compose.yaml:3:12",
                "(limit: interpolation depth, 16 levels)",
            ],
        ),
        (
            "1.9 KB alias bomb",
            alias_bomb(1500, 6),
            &[
                "compose.yaml:6:",
                "(limit: expanded size, 64.0 MiB",
                "alias bomb",
            ],
        ),
        (
            "1 MB alias bomb",
            alias_bomb(1 << 20, 4),
            &[
                "compose.yaml:3:",
                "(limit: expanded size, 64.0 MiB",
                "alias bomb",
            ],
        ),
        (
            "50,000 services",
            services,
            &[
                "compose.yaml:20002:3",
                "(limit: services per project, 10000)",
                "DEVBOX_LIMIT_SERVICES=",
            ],
        ),
    ];
    for (what, yaml, wanted) in cases {
        let (code, stderr) = config_in_256_mib(yaml.as_bytes());
        assert_eq!(code, Some(2), "{what}: {stderr}");
        for want in wanted {
            assert!(stderr.contains(want), "{what}: no {want:?} in {stderr}");
        }
    }
}

#[test]
fn a_10_mb_compose_file_loads_within_256_mib() {
    let mut yaml = String::from("services:\n  a:\n    image: busybox\n    environment:\n");
    let mut i = 0;
    while yaml.len() < 10 * 1024 * 1024 {
        yaml.push_str(&format!("      - K{i}={}\n", "v".repeat(100)));
        i += 1;
    }
    let (code, stderr) = config_in_256_mib(yaml.as_bytes());
    assert_eq!(code, Some(0), "{stderr}");
}

#[test]
fn a_200_mb_compose_file_is_refused_by_size_not_called_an_alias_bomb() {
    let dir = tempfile::tempdir().unwrap();
    // Sparse: the size is all that is looked at.
    let file = std::fs::File::create(dir.path().join("compose.yaml")).unwrap();
    file.set_len(200 * 1024 * 1024).unwrap();
    let out = devbox_in_256_mib(dir.path())
        .args(["config", "-q"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("compose.yaml: the file is 200.0 MiB, larger than devbox reads (limit: compose file size, 16.0 MiB)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("DEVBOX_LIMIT_COMPOSE_BYTES=209715200 (now 16777216)"),
        "{stderr}"
    );
    assert!(!stderr.contains("alias"), "{stderr}");
}

#[test]
fn a_compose_file_that_is_not_utf8_is_named_at_the_bad_byte() {
    let (code, stderr) = config_in_256_mib(b"services:\n  a:\n    image: busybox\n    # caf\xe9\n");
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("compose.yaml:4:10: the file is not UTF-8 text (byte 0xE9 here)"),
        "{stderr}"
    );
    assert!(stderr.contains("save the file as UTF-8"), "{stderr}");
}

#[test]
fn limits_are_raised_and_lowered_through_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = "services:\n  a:\n    image: busybox\n";
    std::fs::write(dir.path().join("compose.yaml"), yaml).unwrap();
    devbox(dir.path())
        .args(["config", "-q"])
        .env("DEVBOX_LIMIT_COMPOSE_BYTES", "16")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "the file is 34 B, larger than devbox reads (limit: compose file size, 16 B)",
        ))
        .stderr(predicate::str::contains(
            "DEVBOX_LIMIT_COMPOSE_BYTES=34 (now 16)",
        ));
    devbox(dir.path())
        .args(["config", "-q"])
        .env("DEVBOX_LIMIT_COMPOSE_BYTES", "1KiB")
        .assert()
        .success();
    devbox(dir.path())
        .args(["config", "-q"])
        .env("DEVBOX_LIMIT_SERVICES", "many")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "DEVBOX_LIMIT_SERVICES=\"many\" is not a valid limit",
        ));
}
