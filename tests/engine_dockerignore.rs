//! The build context devbox sends (engine::context) against the Docker CLI's own legacy build
//! as the oracle: for each of the 26 `.dockerignore` cases of engine-api.md §8, both images'
//! `/ctx` listings (files, empty dirs, links) must be equal. The daemon never filters an
//! uploaded tar, so the CLI (which filters client-side) is the oracle, not `POST /build`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use bollard::Docker;
use bollard::query_parameters::{
    BuildImageOptionsBuilder, CreateContainerOptionsBuilder, DownloadFromContainerOptionsBuilder,
    RemoveContainerOptionsBuilder,
};
use futures_util::StreamExt;

const FILES: &[&str] = &[
    "a.txt",
    "b.md",
    "README.md",
    "a1.log",
    "ab.log",
    "a!.log",
    "#c.txt",
    "!bang.txt",
    ".env",
    ".git/config",
    "node_modules/pkg/index.js",
    "node_modules/pkg/keep.txt",
    "src/app.js",
    "src/main.go",
    "src/test/app_test.js",
    "src/test/keep.txt",
    "docs/README.md",
    "foo/bar/baz.txt",
    "x/foo/y.txt",
    "logs/2024/x.log",
];

const CASES: &[&str] = &[
    "*.txt",
    "**/*.txt",
    "node_modules\n!node_modules/pkg/keep.txt",
    "node_modules\n!**/keep.txt",
    "src\n!src/*.go",
    "!README.md\n*.md",
    "*.md\n!README.md",
    "/src/test\n./docs",
    "docs/",
    "foo",
    "**/foo",
    "*/foo",
    "src/**",
    "src/**/*.js",
    "a?.log",
    "a[!b].log",
    "a[^b].log",
    "\\!bang.txt",
    "#c.txt",
    " #c.txt",
    "a.txt  \n ! a.txt",
    "*\n!src",
    ".*",
    "Dockerfile\n.dockerignore",
    "src/test\n!src/test/keep.txt\nsrc/test/keep.txt",
    "**",
    "**\n!src/**\n!Dockerfile",
    "logs/*/*.log",
];

fn docker_cli() -> Option<String> {
    let found = Command::new("docker").arg("--version").output().is_ok();
    if !found && std::env::var("DEVBOX_REQUIRE_DOCKER").as_deref() == Ok("1") {
        panic!("DEVBOX_REQUIRE_DOCKER=1 but no `docker` CLI on PATH (the oracle for this test)");
    }
    found.then(|| "docker".to_string())
}

fn write_context(dir: &Path, dockerignore: &str, image: &str, project: &str) {
    for rel in FILES {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, rel).unwrap();
    }
    std::os::unix::fs::symlink("../a.txt", dir.join("src/link")).unwrap();
    std::fs::write(
        dir.join("Dockerfile"),
        format!("FROM {image}\nCOPY . /ctx\nLABEL com.docker.compose.project={project}\n"),
    )
    .unwrap();
    std::fs::write(dir.join(".dockerignore"), dockerignore).unwrap();
}

fn cli_build(cli: &str, dir: &Path, tag: &str) {
    let out = Command::new(cli)
        .env("DOCKER_BUILDKIT", "0")
        .args(["build", "-q", "-t", tag])
        .arg(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "docker build: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

async fn devbox_build(docker: &Docker, dir: &Path, tag: &str) {
    let tar = devbox::engine::image::build_context::context_tar(dir, "Dockerfile").unwrap();
    let options = BuildImageOptionsBuilder::new()
        .t(tag)
        .rm(true)
        .forcerm(true)
        .build();
    let mut stream = docker.build_image(options, None, Some(bollard::body_full(tar.into())));
    while let Some(item) = stream.next().await {
        let info = item.unwrap();
        assert!(info.error_detail.is_none(), "build failed: {info:?}");
    }
}

/// `/ctx` in the image as a set of `path` (files, `path -> target` for links, `path/` dirs).
async fn listing(docker: &Docker, image: &str) -> BTreeSet<String> {
    let create = CreateContainerOptionsBuilder::new().build();
    let body = bollard::models::ContainerCreateBody {
        image: Some(image.to_string()),
        cmd: Some(vec!["true".to_string()]),
        ..Default::default()
    };
    let id = docker
        .create_container(Some(create), body)
        .await
        .unwrap()
        .id;
    let options = DownloadFromContainerOptionsBuilder::new()
        .path("/ctx/.")
        .build();
    let mut bytes = Vec::new();
    let mut stream = docker.download_from_container(&id, Some(options));
    while let Some(chunk) = stream.next().await {
        bytes.extend_from_slice(&chunk.unwrap());
    }
    let remove = RemoveContainerOptionsBuilder::new().force(true).build();
    docker.remove_container(&id, Some(remove)).await.unwrap();
    let mut out = BTreeSet::new();
    let mut archive = tar::Archive::new(bytes.as_slice());
    for entry in archive.entries().unwrap() {
        let entry = entry.unwrap();
        let path = entry.path().unwrap().display().to_string();
        let path = path
            .trim_start_matches("./")
            .trim_end_matches('/')
            .to_string();
        if path.is_empty() || path == "." {
            continue;
        }
        let shown = match entry.header().entry_type() {
            tar::EntryType::Directory => format!("{path}/"),
            tar::EntryType::Symlink => {
                format!(
                    "{path} -> {}",
                    entry.link_name().unwrap().unwrap().display()
                )
            }
            _ => path,
        };
        out.insert(shown);
    }
    out
}

#[tokio::test]
async fn context_matches_the_docker_cli_for_every_verified_case() {
    let Some(docker) = common::engine_or_skip().await else {
        return;
    };
    let Some(cli) = docker_cli() else {
        eprintln!("skipped: no docker CLI (the oracle)");
        return;
    };
    let image = common::fixture_image(&docker).await;
    let project = common::unique_project("ignore");
    let _guard = common::ProjectGuard::new(project.clone());
    for (index, case) in CASES.iter().enumerate() {
        let dir = tempfile::tempdir().unwrap();
        write_context(dir.path(), case, &image, &project);
        let cli_tag = format!("{project}-cli-{index}");
        let devbox_tag = format!("{project}-devbox-{index}");
        cli_build(&cli, dir.path(), &cli_tag);
        devbox_build(&docker, dir.path(), &devbox_tag).await;
        let expected = listing(&docker, &cli_tag).await;
        let actual = listing(&docker, &devbox_tag).await;
        assert!(
            !expected.is_empty() || *case == "**",
            "oracle listing empty for {case:?}"
        );
        if *case == "*.txt" {
            // The oracle really filters (the daemon alone would keep a.txt).
            assert!(
                !expected.contains("a.txt") && expected.contains("b.md"),
                "{expected:?}"
            );
        }
        assert_eq!(actual, expected, "case {index}: {case:?}");
    }
}
