//! `devbox lint --engine` against a real engine's store: a base image loaded for another
//! architecture than the engine's (a `docker save` archive whose config says so) is reported
//! by DBX410 where a build would use it, and not where the build asks for that platform; a
//! health check's program is looked for in the service image's own file system (DBX402).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::Command;

use bollard::Docker;
use bollard::query_parameters::ImportImageOptionsBuilder;
use futures_util::StreamExt;
use sha2::{Digest, Sha256};

fn append(tar: &mut tar::Builder<Vec<u8>>, path: &str, bytes: &[u8]) {
    let mut header = tar::Header::new_gnu();
    header.set_size(bytes.len() as u64);
    header.set_mode(0o644);
    header.set_cksum();
    tar.append_data(&mut header, path, bytes).unwrap();
}

/// Loads a one-file image whose config declares `linux/<arch>` as `reference` (POST /images/load).
async fn load_foreign_image(docker: &Docker, reference: &str, arch: &str) {
    let mut layer = tar::Builder::new(Vec::new());
    append(&mut layer, "hello.txt", b"built elsewhere\n");
    let layer = layer.into_inner().unwrap();
    let diff_id = format!("sha256:{}", hex::encode(Sha256::digest(&layer)));
    let config = serde_json::json!({
        "architecture": arch,
        "os": "linux",
        "config": { "Cmd": ["/hello.txt"] },
        "rootfs": { "type": "layers", "diff_ids": [diff_id] },
    })
    .to_string();
    let config_name = format!("{}.json", hex::encode(Sha256::digest(config.as_bytes())));
    let manifest = serde_json::json!([{
        "Config": config_name,
        "RepoTags": [reference],
        "Layers": ["layer/layer.tar"],
    }])
    .to_string();
    let mut archive = tar::Builder::new(Vec::new());
    append(&mut archive, &config_name, config.as_bytes());
    append(&mut archive, "layer/layer.tar", &layer);
    append(&mut archive, "manifest.json", manifest.as_bytes());
    let archive = archive.into_inner().unwrap();
    let mut stream = docker.import_image(
        ImportImageOptionsBuilder::new().quiet(true).build(),
        bollard::body_full(archive.into()),
        None,
    );
    while let Some(item) = stream.next().await {
        item.expect("load the foreign image");
    }
    let inspected = docker.inspect_image(reference).await.unwrap();
    assert_eq!(inspected.architecture.as_deref(), Some(arch));
}

/// `devbox lint` in `dir` with `args`, and the DBX410 findings as `line: message`.
fn dbx410(dir: &Path, args: &[&str]) -> Vec<String> {
    findings(dir, args, "DBX410")
}

fn findings(dir: &Path, args: &[&str], id: &str) -> Vec<String> {
    let out = Command::new(env!("CARGO_BIN_EXE_devbox"))
        .arg("lint")
        .args(args)
        .args(["--format", "json", "--fail-on", "never"])
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "devbox lint {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == id)
        .map(|f| format!("{}: {}", f["line"], f["message"].as_str().unwrap()))
        .collect()
}

#[tokio::test]
async fn a_base_image_for_another_platform_is_reported_where_a_build_would_use_it() {
    let Some(docker) = common::engine_or_skip().await else {
        return;
    };
    let project = common::unique_project("lint-platform");
    let _guard = common::ProjectGuard::new(&project);
    let engine_arch = docker.version().await.unwrap().arch.unwrap();
    let foreign = if engine_arch == "arm64" {
        "amd64"
    } else {
        "arm64"
    };
    let reference = format!("{project}-base:1");
    load_foreign_image(&docker, &reference, foreign).await;

    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    write(
        "Dockerfile",
        &format!("ARG BASE={reference}\nFROM ${{BASE}} AS app\nCMD [\"/hello.txt\"]\n"),
    );
    write(".dockerignore", ".git\n");
    write("compose.yaml", "services:\n  app:\n    build: .\n");

    let found = dbx410(dir.path(), &["--engine"]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("2: ")
            && found[0].contains(&format!("is linux/{foreign}"))
            && found[0].contains(&format!("builds for linux/{engine_arch}")),
        "{found:?}"
    );
    // Without --engine the files alone decide nothing.
    assert_eq!(dbx410(dir.path(), &[]), Vec::<String>::new());

    // The compose service builds for the image's platform: nothing to report.
    write(
        "compose.yaml",
        &format!("services:\n  app:\n    build: .\n    platform: linux/{foreign}\n"),
    );
    assert_eq!(dbx410(dir.path(), &["--engine"]), Vec::<String>::new());

    // `FROM --platform` names it: no mismatch either; `$BUILDPLATFORM` is the engine's.
    write("compose.yaml", "services:\n  app:\n    build: .\n");
    write(
        "Dockerfile",
        &format!(
            "FROM --platform=linux/{foreign} {reference} AS a\nFROM --platform=$BUILDPLATFORM {reference} AS b\n"
        ),
    );
    let found = dbx410(dir.path(), &["--engine"]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("2: "), "{found:?}");
}

#[tokio::test]
async fn an_unreachable_engine_is_an_error_that_names_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("Dockerfile"), "FROM scratch\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_devbox"))
        .args(["lint", "--engine"])
        .env("DOCKER_HOST", "unix:///nonexistent/docker.sock")
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("/nonexistent/docker.sock"), "{stderr}");
}

#[tokio::test]
async fn a_probe_program_is_looked_for_in_the_image_itself() {
    let Some(docker) = common::engine_or_skip().await else {
        return;
    };
    let busybox = common::fixture_image(&docker).await;
    let bare = common::bare_image(&docker).await;
    let dir = tempfile::tempdir().unwrap();
    let compose = format!(
        "services:\n\
        \x20 web:\n    image: {busybox}\n    healthcheck:\n      test: [\"CMD\", \"wget\", \"-q\", \"--spider\", \"http://127.0.0.1/\"]\n\
        \x20 api:\n    image: {busybox}\n    healthcheck:\n      test: [\"CMD\", \"curl\", \"-f\", \"http://127.0.0.1/\"]\n\
        \x20 worker:\n    image: {bare}\n    healthcheck:\n      test: [\"CMD-SHELL\", \"busybox true\"]\n\
        \x20 own:\n    image: {bare}\n    healthcheck:\n      test: [\"CMD\", \"/bin/busybox\", \"true\"]\n"
    );
    std::fs::write(dir.path().join("compose.yaml"), compose).unwrap();
    let before = probe_containers(&docker).await;

    let found = findings(dir.path(), &["--engine"], "DBX402");
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(
        found[0].starts_with("9: ") && found[0].contains("`curl`") && found[0].contains("/usr/bin"),
        "{found:#?}"
    );
    assert!(
        found[1].starts_with("13: ") && found[1].contains("`/bin/sh`"),
        "{found:#?}"
    );
    // Without the engine, the names say nothing about these images.
    assert_eq!(findings(dir.path(), &[], "DBX402"), Vec::<String>::new());
    // The stopped containers devbox created to look are gone.
    assert_eq!(probe_containers(&docker).await, before);
}

async fn probe_containers(docker: &Docker) -> usize {
    let filters = std::collections::HashMap::from([(
        "label".to_string(),
        vec!["dev.devbox.lint-probe".to_string()],
    )]);
    let options = bollard::query_parameters::ListContainersOptionsBuilder::new()
        .all(true)
        .filters(&filters)
        .build();
    docker.list_containers(Some(options)).await.unwrap().len()
}
