//! `devbox doctor` on small projects the tests make: a host port taken by the test, a key of
//! `.env.example` missing from `.env`, a variable used without a default, and `--fix`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::net::TcpListener;
use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

fn doctor(dir: &Path, extra: &[&str]) -> (Value, i32) {
    let output = Command::cargo_bin("devbox")
        .unwrap()
        .current_dir(dir)
        .env_remove("COMPOSE_FILE")
        .env_remove("COMPOSE_PROJECT_NAME")
        .args(["doctor", "--json"])
        .args(extra)
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stdout)));
    (json, output.status.code().unwrap())
}

fn check<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no check {id} in {report:#}"))
}

fn write_project(dir: &Path, port: u16) {
    let compose = format!(
        "services:\n  web:\n    image: devbox-fixture/busybox:1\n    ports:\n      - \"127.0.0.1:{port}:80\"\n    environment:\n      TOKEN: ${{API_TOKEN}}\n      LEVEL: ${{LOG_LEVEL:-info}}\n"
    );
    std::fs::write(dir.join("compose.yaml"), compose).unwrap();
    std::fs::write(
        dir.join(".env.example"),
        "# settings\nPORT=3000\nDB_PASSWORD=\n",
    )
    .unwrap();
    std::fs::write(dir.join(".env"), "PORT=3000\n").unwrap();
}

#[test]
fn taken_port_missing_key_and_unset_variable_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    write_project(dir.path(), port);

    let (report, code) = doctor(dir.path(), &[]);
    let ports = check(&report, "ports");
    assert_eq!(ports["verdict"], "fail");
    let detail = ports["detail"].as_str().unwrap();
    assert!(
        detail.contains(&format!("127.0.0.1:{port}/tcp (service web)")),
        "{detail}"
    );
    assert!(
        detail.contains("pid"),
        "the process holding the port is named: {detail}"
    );
    assert_eq!(code, 1, "a taken port blocks the stack");

    let dotenv = check(&report, "dotenv");
    assert_eq!(dotenv["verdict"], "warn");
    assert_eq!(dotenv["detail"], "missing in .env: DB_PASSWORD");

    let vars = check(&report, "variables");
    assert_eq!(vars["verdict"], "warn");
    let detail = vars["detail"].as_str().unwrap();
    assert!(detail.contains("API_TOKEN"), "{detail}");
    assert!(
        !detail.contains("LOG_LEVEL"),
        "defaulted variables are fine: {detail}"
    );
    drop(listener);

    let (report, _) = doctor(dir.path(), &[]);
    assert_eq!(check(&report, "ports")["verdict"], "pass");
}

#[test]
fn fix_creates_env_from_example_and_appends_missing_keys() {
    let dir = tempfile::tempdir().unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    write_project(dir.path(), port);
    std::fs::remove_file(dir.path().join(".env")).unwrap();

    let (report, _) = doctor(dir.path(), &[]);
    assert!(
        check(&report, "dotenv")["detail"]
            .as_str()
            .unwrap()
            .contains(".env is missing")
    );
    let (report, _) = doctor(dir.path(), &["--fix"]);
    assert_eq!(check(&report, "dotenv")["verdict"], "pass");
    let env = std::fs::read_to_string(dir.path().join(".env")).unwrap();
    assert_eq!(env, "# settings\nPORT=3000\nDB_PASSWORD=\n");

    std::fs::write(dir.path().join(".env"), "DB_PASSWORD=x").unwrap();
    doctor(dir.path(), &["--fix"]);
    let env = std::fs::read_to_string(dir.path().join(".env")).unwrap();
    assert!(env.starts_with("DB_PASSWORD=x\n"), "{env}");
    assert!(env.ends_with("PORT=3000\n"), "{env}");
}

#[test]
fn no_compose_file_says_how_to_get_one() {
    let dir = tempfile::tempdir().unwrap();
    let (report, _) = doctor(dir.path(), &[]);
    let compose = check(&report, "compose");
    assert!(compose["fix"].as_str().unwrap().contains("devbox init"));
}

#[test]
fn broken_compose_file_is_a_blocking_failure_with_position() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("compose.yaml"),
        "services:\n  web:\n    image: x\n    helthcheck:\n      test: [\"CMD\", \"true\"]\n",
    )
    .unwrap();
    let (report, code) = doctor(dir.path(), &[]);
    let compose = check(&report, "compose");
    assert_eq!(compose["verdict"], "fail");
    let detail = compose["detail"].as_str().unwrap();
    assert!(detail.contains("compose.yaml:4"), "{detail}");
    assert_eq!(code, 1);
}
