//! Against a real registry (Debian's docker-registry on 127.0.0.1): `devbox push` of a built
//! service; `devbox pin` rewriting a FROM (through its ARG) and a compose image to the digest
//! the registry serves, which `docker pull` accepts; `pin --check` failing once the tag is
//! pushed again with other content; the local repo digest when the registry is down; and
//! `pull_policy` (missing with per-layer progress, daily, never, `--pull always`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::registry::Registry;

fn devbox(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_devbox"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Removes the images a test tagged, pulled or built, also when it fails.
struct Images(Vec<String>);

impl Drop for Images {
    fn drop(&mut self) {
        for image in &self.0 {
            let _ = Command::new("docker").args(["rmi", "-f", image]).output();
        }
    }
}

/// Builds `base` (the fixture plus a file holding `content`) with `devbox build` and pushes it
/// with `devbox push`, from a compose project of its own.
fn build_and_push(dir: &Path, project: &str, base: &str, content: &str) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(
        dir.join("Dockerfile"),
        format!("FROM devbox-fixture/busybox:1\nRUN echo {content} > /version\n"),
    )
    .unwrap();
    std::fs::write(
        dir.join("compose.yaml"),
        format!("services:\n  base:\n    build: .\n    image: {base}\n"),
    )
    .unwrap();
    for verb in ["build", "push"] {
        let out = devbox(dir, &[verb, "-p", project]);
        let (stdout, stderr) = text(&out);
        assert!(out.status.success(), "devbox {verb}: {stdout}{stderr}");
    }
}

/// Pushes an image whose one layer exists nowhere else on the engine (a static busybox copy
/// plus random bytes, imported, never built), so removing it makes a pull download it again.
fn import_and_push(reference: &str) {
    use std::io::Write;
    let busybox = std::fs::read("/bin/busybox").expect("busybox-static");
    let noise: Vec<u8> = (0..256 * 1024u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8 ^ std::process::id() as u8)
        .collect();
    let mut tar = tar::Builder::new(Vec::new());
    for (path, data, mode) in [("busybox", &busybox, 0o755), ("noise", &noise, 0o644)] {
        let mut header = tar::Header::new_gnu();
        header.set_size(data.len() as u64);
        header.set_mode(mode);
        header.set_cksum();
        tar.append_data(&mut header, path, data.as_slice()).unwrap();
    }
    let bytes = tar.into_inner().unwrap();
    let mut import = Command::new("docker")
        .args(["import", "-", reference])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    import.stdin.take().unwrap().write_all(&bytes).unwrap();
    assert!(
        import.wait().unwrap().success(),
        "docker import {reference}"
    );
    let push = Command::new("docker")
        .args(["push", reference])
        .output()
        .unwrap();
    assert!(push.status.success(), "docker push: {:?}", text(&push));
}

/// The digest the registry serves for `name:tag` (its Docker-Content-Digest header).
fn served_digest(registry: &Registry, name: &str, tag: &str) -> String {
    let answer = registry.get(&format!("/v2/{name}/manifests/{tag}"));
    answer
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .starts_with("docker-content-digest:")
                .then(|| l.split_once(':').unwrap().1.trim().to_owned())
        })
        .unwrap_or_else(|| panic!("no digest for {name}:{tag}: {answer}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn pin_push_and_check_against_a_real_registry() {
    let Some(docker) = common::engine_or_skip().await else {
        return;
    };
    common::fixture_image(&docker).await;
    let Some(mut registry) = Registry::start() else {
        return;
    };
    let name = common::unique_project("pin");
    let _guard = common::ProjectGuard::new(&name);
    let base = registry.reference(&format!("{name}/base:1"));
    let mut images = Images(vec![base.clone()]);
    let work = tempfile::tempdir().unwrap();
    build_and_push(&work.path().join("base"), &name, &base, "one");
    let tags = registry.get(&format!("/v2/{name}/base/tags/list"));
    assert!(tags.contains(r#""tags":["1"]"#), "pushed: {tags}");
    let first = served_digest(&registry, &format!("{name}/base"), "1");

    let app = work.path().join("app");
    std::fs::create_dir_all(&app).unwrap();
    let dockerfile = format!("ARG BASE={base}\nFROM ${{BASE}}\nCMD [\"cat\", \"/version\"]\n");
    let compose =
        format!("services:\n  app:\n    build: .\n  side:\n    image: \"{base}\"   # kept\n");
    std::fs::write(app.join("Dockerfile"), &dockerfile).unwrap();
    std::fs::write(app.join("compose.yaml"), &compose).unwrap();

    let check = devbox(&app, &["pin", "--check"]);
    let (stdout, _) = text(&check);
    assert_eq!(check.status.code(), Some(1), "unpinned: {stdout}");
    assert!(
        stdout.contains("Dockerfile:1:") && stdout.contains("not pinned"),
        "{stdout}"
    );

    let out = devbox(&app, &["pin"]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stdout}{stderr}");
    assert!(stderr.contains("from the registry"), "{stderr}");
    assert!(stdout.contains("+ARG BASE="), "a diff is shown: {stdout}");
    let pinned = format!("{base}@{first}");
    assert_eq!(
        std::fs::read_to_string(app.join("Dockerfile")).unwrap(),
        dockerfile.replace(&format!("BASE={base}"), &format!("BASE={pinned}"))
    );
    assert_eq!(
        std::fs::read_to_string(app.join("compose.yaml")).unwrap(),
        compose.replace(&format!("\"{base}\""), &format!("\"{pinned}\""))
    );
    assert_eq!(
        std::fs::read_to_string(app.join("Dockerfile.bak")).unwrap(),
        dockerfile
    );
    images.0.push(pinned.clone());
    let pull = Command::new("docker")
        .args(["pull", &pinned])
        .output()
        .unwrap();
    assert!(
        pull.status.success(),
        "docker pull {pinned}: {:?}",
        text(&pull)
    );

    let check = devbox(&app, &["pin", "--check"]);
    assert!(check.status.success(), "current pins: {:?}", text(&check));

    // The tag moves: the pins are stale.
    build_and_push(&work.path().join("base"), &name, &base, "two");
    let second = served_digest(&registry, &format!("{name}/base"), "1");
    assert_ne!(first, second);
    let check = devbox(&app, &["pin", "--check"]);
    let (stdout, _) = text(&check);
    assert_eq!(check.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains(&format!(
            "pinned to {first}, but the tag now points to {second}"
        )),
        "{stdout}"
    );

    // No registry: the local image's repo digest (recorded by the push) is used, and said so.
    registry.stop();
    let out = devbox(&app, &["pin", "--dry-run"]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stdout}{stderr}");
    assert!(
        stderr.contains("from the local image's repo digest"),
        "{stderr}"
    );
    assert!(stdout.contains(&second), "{stdout}");
    assert!(
        std::fs::read_to_string(app.join("Dockerfile"))
            .unwrap()
            .contains(&first),
        "a dry run writes nothing"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn pull_policies_against_a_real_registry() {
    let Some(docker) = common::engine_or_skip().await else {
        return;
    };
    common::fixture_image(&docker).await;
    let Some(registry) = Registry::start() else {
        return;
    };
    let name = common::unique_project("pull");
    let _guard = common::ProjectGuard::new(&name);
    let base = registry.reference(&format!("{name}/base:1"));
    let _images = Images(vec![base.clone()]);
    let work = tempfile::tempdir().unwrap();
    import_and_push(&base);

    let app = work.path().join("app");
    std::fs::create_dir_all(&app).unwrap();
    let write = |policy: &str| {
        std::fs::write(
            app.join("compose.yaml"),
            format!(
                "services:\n  web:\n    image: {base}\n    command: [\"/busybox\", \"sleep\", \"300\"]\n    pull_policy: {policy}\n"
            ),
        )
        .unwrap();
    };
    let up = |extra: &[&str]| {
        let mut args = vec!["up", "-d", "-p", name.as_str(), "--force-recreate"];
        args.extend_from_slice(extra);
        devbox(&app, &args)
    };
    let rmi = || {
        let _ = devbox(&app, &["down", "-p", &name]);
        let out = Command::new("docker")
            .args(["rmi", "-f", &base])
            .output()
            .unwrap();
        assert!(out.status.success(), "{:?}", text(&out));
    };

    rmi();
    write("missing");
    let out = up(&[]);
    let (_, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("Pulled"), "{stderr}");
    assert!(
        stderr.contains(&format!("{base} layer ")) && stderr.contains("Pull complete ("),
        "a line per layer with its bytes: {stderr}"
    );

    write("daily");
    let out = up(&[]);
    let (_, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(
        !stderr.contains("Pulling"),
        "pulled today already: {stderr}"
    );

    std::thread::sleep(std::time::Duration::from_millis(2100));
    write("every_1s");
    let out = up(&[]);
    let (_, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("Pulling"),
        "the period has passed: {stderr}"
    );

    let out = up(&["--pull", "always"]);
    let (_, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("Pulling"), "--pull always pulls: {stderr}");

    rmi();
    write("never");
    let out = up(&[]);
    let (_, stderr) = text(&out);
    assert!(!out.status.success());
    assert!(stderr.contains("pull_policy: never"), "{stderr}");
    let _ = devbox(&app, &["down", "-p", &name]);
}

/// `init --pin` pins what has a digest and names the rest with the reason: here the bases are
/// stand-ins built on this machine and Docker Hub is unreachable, so none has one.
#[tokio::test(flavor = "multi_thread")]
async fn init_pin_says_which_bases_have_no_digest() {
    let Some(_docker) = common::engine_or_skip().await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("index.html"), "<h1>hi</h1>\n").unwrap();
    let out = devbox(dir.path(), &["init", "--yes", "--pin", "--dry-run"]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stdout}{stderr}");
    assert!(stderr.contains("Pinning images to digests:"), "{stderr}");
    assert!(
        stderr.contains("Dockerfile:")
            && stderr.contains("left unpinned: the registry did not answer"),
        "{stderr}"
    );
    assert!(stderr.contains("image(s) left unpinned"), "{stderr}");
    assert!(stdout.contains("==> Dockerfile (new)"), "{stdout}");
}
