//! Outside oracles on every generated variant: hadolint finds nothing in the Dockerfile and the
//! real Docker Compose accepts compose.yaml (`docker-compose config -q`). Skipped when the tools
//! are not installed, unless DEVBOX_REQUIRE_DOCKER=1.

#![allow(clippy::expect_used, clippy::unwrap_used)] // test helpers may panic

mod wizard_support;

use std::path::PathBuf;
use std::process::Command;

use wizard_support::{all_variants, render};

fn tool(name: &str) -> Option<PathBuf> {
    let dirs = std::env::var_os("DEVBOX_TOOLS_BIN")
        .into_iter()
        .chain(std::env::var_os("PATH"))
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>());
    let found = dirs.map(|d| d.join(name)).find(|p| p.is_file());
    if found.is_none() {
        assert!(
            std::env::var("DEVBOX_REQUIRE_DOCKER").as_deref() != Ok("1"),
            "{name} is required but not on PATH"
        );
        println!("skipped: {name} not on PATH");
    }
    found
}

#[test]
fn hadolint_finds_nothing() {
    let Some(hadolint) = tool("hadolint") else {
        return;
    };
    for variant in all_variants() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("Dockerfile");
        std::fs::write(
            &path,
            wizard_support::file(&render(&variant.answers), "Dockerfile"),
        )
        .unwrap();
        let out = Command::new(&hadolint)
            .arg("--no-color")
            .arg(&path)
            .output()
            .unwrap();
        let report = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success() && report.trim().is_empty(),
            "{}: hadolint:\n{report}",
            variant.name
        );
    }
}

#[test]
fn docker_compose_accepts_compose_yaml() {
    let Some(compose) = tool("docker-compose") else {
        return;
    };
    for variant in all_variants() {
        let dir = tempfile::tempdir().unwrap();
        for file in render(&variant.answers) {
            std::fs::write(dir.path().join(&file.path), &file.text).unwrap();
        }
        let out = Command::new(&compose)
            .args(["config", "-q"])
            .current_dir(dir.path())
            .env_remove("PORT")
            .env_remove("COMPOSE_FILE")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}: docker compose config:\n{}",
            variant.name,
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
