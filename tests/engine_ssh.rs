//! A remote engine over SSH against a real `sshd` on loopback (key auth set up here; the
//! "remote" engine is this machine's): `DOCKER_HOST=ssh://root@127.0.0.1:PORT` — the form that
//! bollard's own transport broke by handing `127.0.0.1:PORT` to ssh as one host name — runs
//! version, up --wait, ps, exec (an upgraded connection) with stdin, cp (archive upload),
//! size (the image export), watch (sync through the API) and down; and the three usual failures name the host and ssh's cause.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "engine_up_support.rs"]
mod support;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use support::Stack;

const YAML: &str = r#"
services:
  web:
    image: devbox-fixture/busybox:1
    command: ["sh", "-c", "mkdir -p /www && echo ok > /www/index.html && exec httpd -f -p 8080 -h /www"]
    healthcheck:
      test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/"]
      interval: 1s
      retries: 20
    develop:
      watch:
        - path: ./site
          action: sync
          target: /www
"#;

/// An sshd on a free loopback port, killed on drop.
struct Sshd {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Sshd {
    fn key(&self) -> PathBuf {
        self.dir.path().join("client_key")
    }
    fn known_hosts(&self) -> PathBuf {
        self.dir.path().join("known_hosts")
    }
    /// ssh options for a client that has the key and trusts the host on first use.
    fn good_opts(&self) -> String {
        format!(
            "-i {} -o IdentitiesOnly=yes -o UserKnownHostsFile={} -o StrictHostKeyChecking=accept-new",
            self.key().display(),
            self.known_hosts().display()
        )
    }
}

fn keygen(path: &Path) {
    let status = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-f"])
        .arg(path)
        .status()
        .unwrap();
    assert!(status.success());
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts sshd, or says why the test cannot run (CI installs openssh-server and must run it).
fn start_sshd() -> Option<Sshd> {
    let sshd = Path::new("/usr/sbin/sshd");
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    if !sshd.exists() || !is_root {
        assert!(
            std::env::var("DEVBOX_REQUIRE_DOCKER").as_deref() != Ok("1"),
            "DEVBOX_REQUIRE_DOCKER=1 but sshd is missing or this is not root (.ci/run installs openssh-server)"
        );
        eprintln!("skipped: no /usr/sbin/sshd, or not root");
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    keygen(&dir.path().join("host_key"));
    keygen(&dir.path().join("client_key"));
    std::fs::copy(
        dir.path().join("client_key.pub"),
        dir.path().join("authorized_keys"),
    )
    .unwrap();
    // Privilege separation wants this directory; Debian's unit creates it at boot.
    std::fs::create_dir_all("/run/sshd").unwrap();
    let port = free_port();
    let config = dir.path().join("sshd_config");
    let mut file = std::fs::File::create(&config).unwrap();
    write!(
        file,
        "Port {port}\nListenAddress 127.0.0.1\nHostKey {dir}/host_key\nAuthorizedKeysFile {dir}/authorized_keys\nPidFile {dir}/sshd.pid\nStrictModes no\nUsePAM no\nPasswordAuthentication no\nKbdInteractiveAuthentication no\nPermitRootLogin prohibit-password\n",
        dir = dir.path().display()
    )
    .unwrap();
    let child = Command::new(sshd)
        .args(["-D", "-e", "-f"])
        .arg(&config)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "sshd did not listen on {port}");
        std::thread::sleep(Duration::from_millis(50));
    }
    Some(Sshd { child, port, dir })
}

fn devbox(stack: &Stack, host: &str, opts: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_devbox"))
        .current_dir(stack.dir.path())
        .env("COMPOSE_PROJECT_NAME", &stack.name)
        .env("DOCKER_HOST", host)
        .env("DEVBOX_SSH_OPTS", opts)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn ok(stack: &Stack, host: &str, opts: &str, args: &[&str]) -> String {
    let out = devbox(stack, host, opts, args);
    assert!(
        out.status.success(),
        "devbox {args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[tokio::test]
async fn a_stack_runs_on_an_engine_reached_over_ssh_with_a_port() {
    let Some(docker) = common::engine_or_skip().await else {
        return;
    };
    let Some(sshd) = start_sshd() else {
        return;
    };
    common::fixture_image(&docker).await;
    let name = common::unique_project("ssh");
    let _guard = common::ProjectGuard::new(&name);
    let stack = Stack::new(&name, YAML);
    let host = format!("ssh://root@127.0.0.1:{}", sshd.port);
    let opts = sshd.good_opts();

    let version = ok(&stack, &host, &opts, &["version"]);
    assert!(
        version.contains("\nengine ") && version.contains("(API 1."),
        "{version}"
    );

    ok(&stack, &host, &opts, &["up", "-d", "--wait"]);
    let ps = ok(&stack, &host, &opts, &["ps", "--format", "json"]);
    assert!(
        ps.contains("\"healthy\"") || ps.contains("(healthy)"),
        "{ps}"
    );

    // exec hijacks the connection (an HTTP upgrade) and carries stdin both ways.
    let mut child = Command::new(env!("CARGO_BIN_EXE_devbox"))
        .current_dir(stack.dir.path())
        .env("COMPOSE_PROJECT_NAME", &stack.name)
        .env("DOCKER_HOST", &host)
        .env("DEVBOX_SSH_OPTS", &opts)
        .args(["exec", "-T", "web", "sh", "-c", "tr a-z A-Z"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"over ssh\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "OVER SSH\n",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // cp uploads an archive through the same transport.
    std::fs::write(stack.dir.path().join("note.txt"), "copied\n").unwrap();
    ok(
        &stack,
        &host,
        &opts,
        &["cp", "note.txt", "web:/tmp/note.txt"],
    );
    let out = ok(
        &stack,
        &host,
        &opts,
        &["exec", "-T", "web", "cat", "/tmp/note.txt"],
    );
    assert_eq!(out, "copied\n");

    // The same engine through a docker context whose endpoint is the ssh URL.
    let config = tempfile::tempdir().unwrap();
    let id = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(b"remote"));
    let meta = config.path().join("contexts/meta").join(id);
    std::fs::create_dir_all(&meta).unwrap();
    std::fs::write(
        meta.join("meta.json"),
        serde_json::json!({"Name": "remote", "Metadata": {}, "Endpoints": {"docker": {"Host": host, "SkipTLSVerify": false}}}).to_string(),
    )
    .unwrap();
    std::fs::write(
        config.path().join("config.json"),
        r#"{"currentContext": "remote"}"#,
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_devbox"))
        .current_dir(stack.dir.path())
        .env("COMPOSE_PROJECT_NAME", &stack.name)
        .env_remove("DOCKER_HOST")
        .env_remove("DOCKER_CONTEXT")
        .env("DOCKER_CONFIG", config.path())
        .env("DEVBOX_SSH_OPTS", &opts)
        .args(["ps", "--format", "json"])
        .output()
        .unwrap();
    let listed = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && listed.contains("web"),
        "{listed}{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // The dashboard: health from events and CPU/memory history from the engine's stats stream
    // (the cgroup files are on the engine's host, not here), and the shell key.
    let mut screen = common::screen::Screen::spawn(
        stack.dir.path(),
        140,
        32,
        &[
            ("DOCKER_HOST", Some(host.as_str())),
            ("DEVBOX_SSH_OPTS", Some(opts.as_str())),
            ("COMPOSE_PROJECT_NAME", Some(stack.name.as_str())),
        ],
    );
    screen.wait_for(
        "web healthy with a stats history",
        Duration::from_secs(40),
        |s| {
            s.lines().any(|l| {
                l.starts_with("│web ")
                    && l.contains("healthy")
                    && l.chars().filter(|c| ('▁'..='█').contains(c)).count() >= 2
            })
        },
    );
    screen.session.send("e").unwrap();
    screen.wait_for("the shell's prompt", Duration::from_secs(20), |s| {
        s.contains("devbox: shell in") && s.lines().any(|l| l.trim_end().ends_with('#'))
    });
    screen.session.send("echo over-$((6*7))\r").unwrap();
    screen.wait_for("the shell's answer", Duration::from_secs(10), |s| {
        s.lines().any(|l| l.trim() == "over-42")
    });
    screen.session.send("exit\r").unwrap();
    screen.wait_for("the dashboard back", Duration::from_secs(20), |s| {
        s.contains("2 Stack") && s.contains("shell in") && s.contains("done")
    });
    screen.quit_and_check_restored();

    // size streams the image export through the tunnel.
    let size = ok(&stack, &host, &opts, &["size", "web", "--json"]);
    let report: serde_json::Value = serde_json::from_str(&size).unwrap();
    assert!(
        report.to_string().contains("devbox-fixture/busybox"),
        "{size}"
    );

    // watch syncs through the engine API (no shared file system is assumed).
    std::fs::create_dir_all(stack.dir.path().join("site")).unwrap();
    let mut watch = Command::new(env!("CARGO_BIN_EXE_devbox"))
        .current_dir(stack.dir.path())
        .env("COMPOSE_PROJECT_NAME", &stack.name)
        .env("DOCKER_HOST", &host)
        .env("DEVBOX_SSH_OPTS", &opts)
        .args(["watch", "--no-initial-sync"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut served = String::new();
    while Instant::now() < deadline && served != "over the tunnel\n" {
        // Written again each round: the watcher may not have been ready for the first write.
        std::fs::write(stack.dir.path().join("site/page.html"), "over the tunnel\n").unwrap();
        std::thread::sleep(Duration::from_millis(500));
        let out = devbox(
            &stack,
            &host,
            &opts,
            &["exec", "-T", "web", "cat", "/www/page.html"],
        );
        served = String::from_utf8_lossy(&out.stdout).into_owned();
    }
    let _ = watch.kill();
    let _ = watch.wait();
    assert_eq!(served, "over the tunnel\n", "watch synced over ssh");

    ok(&stack, &host, &opts, &["down"]);
    let ps = ok(&stack, &host, &opts, &["ps", "-a", "-q"]);
    assert!(ps.trim().is_empty(), "{ps}");
}

#[tokio::test]
async fn ssh_failures_name_the_host_and_the_cause() {
    let Some(_docker) = common::engine_or_skip().await else {
        return;
    };
    let Some(sshd) = start_sshd() else {
        return;
    };
    let stack = Stack::new(&common::unique_project("sshfail"), YAML);
    let host = format!("ssh://root@127.0.0.1:{}", sshd.port);
    let cases = [
        (
            "no key",
            host.clone(),
            format!(
                "-o IdentitiesOnly=yes -o IdentityFile=/nonexistent -o UserKnownHostsFile={} -o StrictHostKeyChecking=accept-new",
                sshd.known_hosts().display()
            ),
            "has no usable key",
        ),
        (
            "unknown host key",
            host.clone(),
            format!(
                "-i {} -o IdentitiesOnly=yes -o UserKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes",
                sshd.key().display()
            ),
            "host key of root@127.0.0.1 port",
        ),
        (
            "refused",
            format!("ssh://root@127.0.0.1:{}", free_port()),
            sshd.good_opts(),
            "nothing accepts ssh at root@127.0.0.1 port",
        ),
    ];
    for (what, host, opts, expected) in cases {
        let out = devbox(&stack, &host, &opts, &["ps"]);
        let text = String::from_utf8_lossy(&out.stderr).to_string();
        assert_eq!(out.status.code(), Some(2), "{what}: {text}");
        assert!(
            text.contains(&host),
            "{what}: the endpoint is named: {text}"
        );
        assert!(text.contains(expected), "{what}: {text}");
    }
}
