//! The outcome harness for generated stacks: stand-in base images, fixture copies, free ports,
//! a tiny HTTP client, the `devbox` CLI as a user runs it, and container state from the engine.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use bollard::Docker;

/// Builds run one at a time: the machine has two cores and each build saturates them.
pub static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Runs `tests/stand-ins/build` once per test binary. Without root or mmdebstrap the stand-ins
/// cannot be made: that skips the test, unless `DEVBOX_REQUIRE_DOCKER=1` (CI), which fails it.
pub fn stand_ins() -> bool {
    static BUILT: OnceLock<Result<(), String>> = OnceLock::new();
    let result = BUILT.get_or_init(|| {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/stand-ins/build");
        let out = Command::new("bash")
            .arg(&script)
            .output()
            .map_err(|e| format!("running {}: {e}", script.display()))?;
        eprint!("{}", String::from_utf8_lossy(&out.stdout));
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "{} failed: {}",
                script.display(),
                String::from_utf8_lossy(&out.stderr)
            ))
        }
    });
    match result {
        Ok(()) => true,
        Err(err) if std::env::var("DEVBOX_REQUIRE_DOCKER").as_deref() == Ok("1") => {
            panic!("stand-in images are required: {err}")
        }
        Err(err) => {
            eprintln!("skipped: no stand-in images ({err})");
            false
        }
    }
}

/// A copy of `tests/fixtures/e2e/<name>` in a fresh temp dir.
pub fn fixture_copy(name: &str) -> tempfile::TempDir {
    let from = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/e2e")
        .join(name);
    let dir = tempfile::Builder::new()
        .prefix(&format!("dbx-e2e-{name}-"))
        .tempdir()
        .unwrap();
    copy_tree(&from, dir.path());
    dir
}

/// Copies a directory tree (fixtures into temporary project folders).
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A port nothing listens on now (the OS picks it; released before use).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `GET path` on 127.0.0.1:port with HTTP/1.0: (status, body), or `None` when nothing answers.
pub fn http_get(port: u16, path: &str) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let request = format!("GET {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n");
    stream.write_all(request.as_bytes()).ok()?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).ok()?;
    let text = String::from_utf8_lossy(&raw).to_string();
    let status = text.split_whitespace().nth(1)?.parse().ok()?;
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b.to_string())?;
    Some((status, body))
}

/// Polls `GET path` until the body contains `needle` (status 200) or the deadline passes.
pub fn wait_for_body(port: u16, path: &str, needle: &str, timeout: Duration) -> Result<(), String> {
    let deadline = Instant::now() + timeout;
    let mut last = String::from("nothing answered");
    while Instant::now() < deadline {
        match http_get(port, path) {
            Some((200, body)) if body.contains(needle) => return Ok(()),
            Some((status, body)) => last = format!("HTTP {status}: {}", body.trim()),
            None => {}
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    Err(format!(
        "GET 127.0.0.1:{port}{path} never contained {needle:?} within {timeout:?}; last: {last}"
    ))
}

/// The generated project as a user drives it.
pub struct Project {
    pub dir: PathBuf,
    pub name: String,
    pub port: u16,
    pub production_port: u16,
}

impl Project {
    pub fn devbox(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_devbox"));
        cmd.current_dir(&self.dir)
            .env("PORT", self.port.to_string())
            .env("PRODUCTION_PORT", self.production_port.to_string())
            .env("NO_COLOR", "1")
            .env_remove("COMPOSE_PROJECT_NAME")
            .env_remove("COMPOSE_FILE")
            .env_remove("COMPOSE_PROFILES")
            .arg(args[0]);
        if args[0] != "init" {
            cmd.args(["-p", &self.name]);
        }
        cmd.args(&args[1..]);
        cmd
    }

    /// Runs a subcommand to the end and fails the test with its output when it fails.
    pub fn run(&self, args: &[&str]) -> Output {
        let out = self.devbox(args).output().unwrap();
        assert!(
            out.status.success(),
            "devbox {} failed in {}:\nstdout:\n{}\nstderr:\n{}",
            args.join(" "),
            self.dir.display(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    /// `devbox watch` in the background (killed on drop).
    pub fn watch(&self) -> Background {
        let child = self
            .devbox(&["watch"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        Background(Some(child))
    }

    pub fn edit(&self, file: &str, from: &str, to: &str) {
        let path = self.dir.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file} has no {from:?}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    }

    pub fn append(&self, file: &str, text: &str) {
        let path = self.dir.join(file);
        let mut all = std::fs::read_to_string(&path).unwrap();
        all.push_str(text);
        std::fs::write(&path, all).unwrap();
    }

    pub fn container(&self, service: &str) -> String {
        format!("{}-{service}-1", self.name)
    }
}

pub struct Background(Option<Child>);

impl Background {
    /// Stops the process and returns what it printed.
    pub fn stop(mut self) -> String {
        let Some(mut child) = self.0.take() else {
            return String::new();
        };
        let _ = child.kill();
        let out = child.wait_with_output().unwrap();
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        if let Some(child) = self.0.as_mut() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// What the engine says about a container: id, health status, user, read-only root, image.
#[derive(Debug, Clone)]
pub struct State {
    pub id: String,
    pub health: Option<String>,
    pub user: String,
    pub read_only: bool,
    pub image: String,
}

pub async fn state(docker: &Docker, container: &str) -> Option<State> {
    let inspect = docker.inspect_container(container, None).await.ok()?;
    Some(State {
        id: inspect.id.unwrap_or_default(),
        health: inspect
            .state
            .and_then(|s| s.health)
            .and_then(|h| h.status)
            .map(|s| s.to_string()),
        user: inspect
            .config
            .as_ref()
            .and_then(|c| c.user.clone())
            .unwrap_or_default(),
        read_only: inspect
            .host_config
            .and_then(|h| h.readonly_rootfs)
            .unwrap_or(false),
        image: inspect.image.unwrap_or_default(),
    })
}

/// Waits until `container` exists, differs from `not_id` (a recreate) and is healthy.
pub async fn wait_healthy(
    docker: &Docker,
    container: &str,
    not_id: Option<&str>,
    timeout: Duration,
) -> Result<State, String> {
    let deadline = Instant::now() + timeout;
    let mut last = None;
    while Instant::now() < deadline {
        if let Some(s) = state(docker, container).await {
            let fresh = not_id.is_none_or(|old| old != s.id);
            if fresh && s.health.as_deref() == Some("healthy") {
                return Ok(s);
            }
            last = Some(s);
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    Err(format!(
        "{container} not healthy (and recreated: {}) within {timeout:?}; last: {last:?}",
        not_id.is_some()
    ))
}

/// Runs argv in the container; (exit code, output).
pub async fn exec(docker: &Docker, container: &str, argv: &[&str]) -> (i64, String) {
    let options = bollard::exec::CreateExecOptions {
        cmd: Some(argv.iter().map(|a| (*a).to_string()).collect()),
        attach_stdout: Some(true),
        attach_stderr: Some(true),
        ..Default::default()
    };
    let Ok(created) = docker.create_exec(container, options).await else {
        return (-1, "exec create failed".into());
    };
    let mut text = String::new();
    match docker.start_exec(&created.id, None).await {
        Ok(bollard::exec::StartExecResults::Attached { mut output, .. }) => {
            use futures_util::StreamExt;
            while let Some(Ok(chunk)) = output.next().await {
                text.push_str(&chunk.to_string());
            }
        }
        Ok(_) => {}
        Err(err) => return (-1, err.to_string()),
    }
    let code = docker
        .inspect_exec(&created.id)
        .await
        .ok()
        .and_then(|i| i.exit_code)
        .unwrap_or(-1);
    (code, text)
}

pub async fn image_size(docker: &Docker, image: &str) -> u64 {
    docker
        .inspect_image(image)
        .await
        .ok()
        .and_then(|i| i.size)
        .and_then(|s| u64::try_from(s).ok())
        .unwrap_or(0)
}
