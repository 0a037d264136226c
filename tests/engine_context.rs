//! `devbox context` against the engine's own view of the same directory: the Docker CLI's
//! legacy build reports the bytes it sends ("Sending build context to Docker daemon"), and a
//! `RUN` in that build counts the files, directories, links and bytes `COPY . /ctx` received.
//! devbox's report must match both. Needs the engine and the `docker` CLI.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::Command;

fn write(root: &Path, rel: &str, bytes: &[u8]) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// Go's `units.HumanSizeWithPrecision(size, 4)`, how the CLI prints the context size.
fn go_human_size(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "kB", "MB", "GB", "TB"];
    let mut size = bytes as f64;
    let mut unit = 0;
    while size >= 1000.0 && unit < UNITS.len() - 1 {
        size /= 1000.0;
        unit += 1;
    }
    // `%.4g` for values under 1000: four significant digits, trailing zeros dropped.
    let decimals = 3usize.saturating_sub(size.abs().log10().floor().max(0.0) as usize);
    let mut text = format!("{size:.decimals$}");
    if text.contains('.') {
        text = text.trim_end_matches('0').trim_end_matches('.').to_owned();
    }
    format!("{text}{}", UNITS[unit])
}

#[test]
fn go_human_size_matches_the_cli_format() {
    assert_eq!(go_human_size(512), "512B");
    assert_eq!(go_human_size(6656), "6.656kB");
    assert_eq!(go_human_size(2048), "2.048kB");
    assert_eq!(go_human_size(1_500_000), "1.5MB");
    assert_eq!(go_human_size(12_345_678), "12.35MB");
}

#[tokio::test]
async fn the_report_matches_what_the_engine_receives() {
    let Some(docker) = common::engine_or_skip().await else {
        return;
    };
    if Command::new("docker").arg("--version").output().is_err() {
        assert!(
            std::env::var("DEVBOX_REQUIRE_DOCKER").as_deref() != Ok("1"),
            "DEVBOX_REQUIRE_DOCKER=1 but the docker CLI is missing"
        );
        eprintln!("skipped: no docker CLI");
        return;
    }
    let image = common::fixture_image(&docker).await;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "Dockerfile",
        format!(
            "FROM {image}\nCOPY . /ctx\nRUN echo \"counted files=$(find /ctx -type f | wc -l) dirs=$(find /ctx -mindepth 1 -type d | wc -l) links=$(find /ctx -type l | wc -l) bytes=$(find /ctx -type f | while read -r f; do cat \"$f\"; done | wc -c)\"\n"
        )
        .as_bytes(),
    );
    write(
        root,
        ".dockerignore",
        b"node_modules\n**/*.log\n!keep.log\n.env\nbuild\n!build/public\n",
    );
    write(root, "package.json", b"{\"name\":\"x\"}");
    write(root, ".env", b"SECRET=1\n");
    write(root, "keep.log", b"kept\n");
    write(root, "src/app.log", b"dropped\n");
    for i in 0..40 {
        let body = vec![b'a' + (i % 26) as u8; 37 * i + 1];
        write(root, &format!("src/mod{i}/file{i}.js"), &body);
    }
    write(root, "node_modules/pkg/index.js", &[b'n'; 100_000]);
    write(root, "build/out.bin", &[0; 5000]);
    write(root, "build/public/index.html", b"<html></html>");
    std::os::unix::fs::symlink("src/mod1/file1.js", root.join("current")).unwrap();

    let out = Command::new(env!("CARGO_BIN_EXE_devbox"))
        .args(["context", "--json"])
        .current_dir(root)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let report = &json[0];
    let sent = &report["sent"];

    let tag = format!("{}:1", common::unique_project("context"));
    let build = Command::new("docker")
        .args(["build", "--no-cache", "-t", &tag, "."])
        .env("DOCKER_BUILDKIT", "0")
        .current_dir(root)
        .output()
        .unwrap();
    let _ = Command::new("docker").args(["rmi", "-f", &tag]).output();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&build.stdout),
        String::from_utf8_lossy(&build.stderr)
    );
    assert!(build.status.success(), "{text}");
    let sending = text
        .split(['\r', '\n'])
        .filter_map(|l| l.strip_prefix("Sending build context to Docker daemon"))
        .next_back()
        .map(str::trim)
        .unwrap_or_else(|| panic!("no context size in:\n{text}"));
    assert_eq!(
        go_human_size(report["tar_bytes"].as_u64().unwrap()),
        sending,
        "{text}"
    );
    let counted = text
        .lines()
        .find_map(|l| l.strip_prefix("counted "))
        .unwrap_or_else(|| panic!("no counts in:\n{text}"));
    // `build` itself is excluded, so it is no entry of the tar; `!build/public` brings its
    // child in, and extracting that creates `build` in the image: one directory more there.
    let expected = format!(
        "files={} dirs={} links={} bytes={}",
        sent["files"],
        sent["dirs"].as_u64().unwrap() + 1,
        sent["links"],
        sent["bytes"]
    );
    assert_eq!(counted.trim(), expected, "{text}");
    assert_eq!(report["excluded"]["bytes"], 100_000 + 5000 + 8 + 9);
}

/// Under BuildKit devbox serves the context through a session, as the Docker CLI does, so what
/// `.dockerignore` excludes stays out of the image: the secret (also nested), the ignore file
/// itself and the Dockerfile (a tar has to carry the Dockerfile, and `COPY . .` copied it).
/// The build's own `RUN` is the check: it fails when any of them is in `/ctx`. A second build
/// after an edit gets the new content and not a deleted file (the session's transfer is
/// incremental).
#[tokio::test]
async fn a_buildkit_build_gets_neither_excluded_files_nor_the_ignore_file() {
    let Some(docker) = common::engine_or_skip().await else {
        return;
    };
    let image = common::fixture_image(&docker).await;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let project = common::unique_project("ctxbk");
    let tag = format!("{project}:1");
    write(
        root,
        "compose.yaml",
        format!("services:\n  app:\n    build: .\n    image: {tag}\n").as_bytes(),
    );
    write(
        root,
        "Dockerfile",
        format!(
            "FROM {image}\nCOPY . /ctx\nRUN ls -AR /ctx && test -e /ctx/keep.txt && test ! -e /ctx/secret.txt && test ! -e /ctx/.dockerignore && test ! -e /ctx/Dockerfile && test ! -e /ctx/config/.env && test -e /ctx/config/app.toml && test \"$(cat /ctx/keep.txt)\" = \"$(cat /ctx/config/app.toml)\"\n"
        )
        .as_bytes(),
    );
    write(
        root,
        ".dockerignore",
        b"secret.txt\n.dockerignore\nDockerfile\n**/.env\n",
    );
    write(root, "secret.txt", b"s\n");
    write(root, "config/.env", b"PASSWORD=s\n");
    write(root, "keep.txt", b"k1\n");
    write(root, "config/app.toml", b"k1\n");
    let build = || {
        Command::new(env!("CARGO_BIN_EXE_devbox"))
            .args(["build", "--no-cache"])
            .current_dir(root)
            .env("COMPOSE_PROJECT_NAME", &project)
            .env_remove("DOCKER_BUILDKIT")
            .env_remove("DEVBOX_BUILD_CONTEXT")
            .output()
            .unwrap()
    };
    write(root, "gone.txt", b"g\n");
    let first = build();
    // Same size, other bytes: a transfer that compared sizes alone would keep the old file.
    write(root, "keep.txt", b"k2\n");
    write(root, "config/app.toml", b"k2\n");
    std::fs::remove_file(root.join("gone.txt")).unwrap();
    let dockerfile = std::fs::read_to_string(root.join("Dockerfile")).unwrap();
    write(
        root,
        "Dockerfile",
        format!("{} && test ! -e /ctx/gone.txt\n", dockerfile.trim_end()).as_bytes(),
    );
    let out = build();
    let _ = docker
        .remove_image(
            &tag,
            Some(
                bollard::query_parameters::RemoveImageOptionsBuilder::new()
                    .force(true)
                    .build(),
            ),
            None,
        )
        .await;
    for (run, out) in [("first", &first), ("second", &out)] {
        assert!(
            out.status.success(),
            "{run} build: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
