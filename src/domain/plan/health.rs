//! The HEALTHCHECK of each final image, per the source document's strategy (API: liveness
//! endpoint; worker: heartbeat file; static: GET /) and tuning table, using only tools the
//! final image really has (expert-dockerfiles §0.4).

use serde::Serialize;

use crate::domain::detect::{PackageManager, ServiceKind};
use crate::domain::wizard::{Answers, Base, Leaf};

/// Where workers write their heartbeat; the probe fails when it is older than 60 s.
pub const HEARTBEAT: &str = "/tmp/worker-heartbeat";

/// A rendered HEALTHCHECK: why this probe (one line), the tuning options, the exec-form command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Health {
    pub comment: String,
    pub options: String,
    /// JSON array for `HEALTHCHECK ... CMD <this>` (exec form: no shell needed).
    pub cmd: String,
    /// The probe binary must be copied into the final image (distroless/scratch/debian-slim).
    pub needs_probe: bool,
}

/// Tuning from the document's table: apps 30s interval, 3–5s timeout, 3 retries; start period
/// 10s for APIs, 15s for workers, 5s for static servers.
pub fn options(kind: ServiceKind) -> &'static str {
    match kind {
        ServiceKind::Http => "--interval=30s --timeout=3s --start-period=10s --retries=3",
        ServiceKind::Worker => "--interval=30s --timeout=5s --start-period=15s --retries=3",
        ServiceKind::Static => "--interval=30s --timeout=3s --start-period=5s --retries=3",
    }
}

fn json(argv: &[&str]) -> String {
    serde_json::to_string(argv).unwrap_or_default()
}

/// `wget --spider` (BusyBox's, or the static one copied in at `binary`).
fn wget(binary: &str, url: &str) -> String {
    json(&[binary, "-q", "--spider", url])
}

/// The JS runtime's own `fetch` (slim images have no wget or curl).
fn fetch(runtime: &str, url: &str) -> String {
    let script = format!("fetch('{url}').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))");
    json(&[runtime, "-e", &script])
}

/// Deno's fetch in `deno eval` (all permissions; the deno image has no wget or curl).
fn deno_fetch(url: &str) -> String {
    let script =
        format!("const r = await fetch('{url}').catch(() => null); Deno.exit(r?.ok ? 0 : 1)");
    json(&["deno", "eval", &script])
}

/// Python's urllib (python-slim has no wget or curl); an error exits 1.
fn urlopen(url: &str) -> String {
    let script = format!("import urllib.request; urllib.request.urlopen('{url}', timeout=3)");
    json(&["python", "-c", &script])
}

/// PHP's http:// stream wrapper: `false` on a refused connection or a 4xx/5xx answer.
fn php_get(url: &str) -> String {
    let script = format!("exit(@file_get_contents('{url}') === false ? 1 : 0);");
    json(&["php", "-r", &script])
}

/// Ruby's Net::HTTP (ruby-slim has no wget or curl): a refused connection raises (exit 1), a
/// 4xx/5xx answer exits 1; a redirect (force_ssl) still means the app is alive.
fn net_http(url: &str) -> String {
    let script = format!("exit(Net::HTTP.get_response(URI('{url}')).code.to_i < 400 ? 0 : 1)");
    json(&["ruby", "-rnet/http", "-e", &script])
}

/// A heartbeat file younger than 60 s, checked with sh and find.
fn heartbeat_sh() -> String {
    let test = format!("test -n \"$(find {HEARTBEAT} -mmin -1 2>/dev/null)\"");
    json(&["sh", "-c", &test])
}

/// The health check for the answers' final image.
pub fn health(answers: &Answers) -> Health {
    let port = answers.port;
    let url = format!("http://127.0.0.1:{port}{}", answers.project.health_path);
    let bun = answers.package_manager == Some(PackageManager::Bun);
    let runtime = if bun { "bun" } else { "node" };
    let mut needs_probe = false;
    let (comment, cmd) = match (answers.leaf, answers.kind) {
        (Leaf::StaticNginx | Leaf::StaticCaddy, _) => (
            "Static server: GET / is enough; BusyBox wget ships with the alpine image (127.0.0.1: musl tries ::1 first for localhost).".to_string(),
            wget("wget", &format!("http://127.0.0.1:{port}/")),
        ),
        (Leaf::NodeBuild, ServiceKind::Http) => (
            "Liveness only (not dependencies); BusyBox wget ships with alpine (127.0.0.1: musl tries ::1 first for localhost).".to_string(),
            wget("wget", &url),
        ),
        (Leaf::NodePlain, ServiceKind::Http) => (
            format!("Liveness only (not dependencies); the slim image has no wget or curl, so {runtime}'s own fetch probes it."),
            fetch(runtime, &url),
        ),
        (Leaf::NodeBuild | Leaf::NodePlain, _) => (
            format!("Worker heartbeat: the job loop must touch {HEARTBEAT}; unhealthy when it is older than 60 s ({runtime} itself checks, no shell tools needed)."),
            json(&[runtime, "-e", &format!("const s=require('fs').statSync('{HEARTBEAT}',{{throwIfNoEntry:false}});process.exit(s&&Date.now()-s.mtimeMs<60000?0:1)")]),
        ),
        (Leaf::PythonPip | Leaf::PythonUv | Leaf::PythonPoetry, ServiceKind::Worker) => (
            format!("Worker heartbeat: the job loop must touch {HEARTBEAT}; unhealthy when it is older than 60 s (python-slim has no wget/curl, python checks)."),
            json(&["python", "-c", &format!("import os,sys,time; sys.exit(0 if time.time()-os.path.getmtime('{HEARTBEAT}')<60 else 1)")]),
        ),
        (Leaf::PythonPip | Leaf::PythonUv | Leaf::PythonPoetry, _) => (
            "Liveness only (not dependencies); python-slim has no wget or curl, so urllib probes it (an error exits 1).".to_string(),
            urlopen(&url),
        ),
        (
            Leaf::JavaMaven | Leaf::JavaGradle | Leaf::PhpApache | Leaf::Ruby | Leaf::Dotnet | Leaf::Deno,
            ServiceKind::Worker,
        ) => (
            format!("Worker heartbeat: the job loop must touch {HEARTBEAT}; unhealthy when it is older than 60 s (the image has sh and find)."),
            heartbeat_sh(),
        ),
        (Leaf::Ruby, _) => (
            "Liveness only (not dependencies); ruby-slim has no wget or curl, so Ruby's Net::HTTP probes it (an error or a 4xx/5xx answer exits 1).".to_string(),
            net_http(&url),
        ),
        (Leaf::PhpApache, _) => (
            "Liveness only (not dependencies); PHP's own HTTP stream probes it (an error or a 4xx/5xx answer exits 1), no curl needed.".to_string(),
            php_get(&url),
        ),
        (Leaf::Deno, _) => (
            "Liveness only (not dependencies); the deno image has no wget or curl, so Deno's own fetch probes it (an error or a 4xx/5xx answer exits 1).".to_string(),
            deno_fetch(&url),
        ),
        (Leaf::Dotnet, _) => {
            needs_probe = true;
            (
                "Liveness only (not dependencies); the aspnet image has no wget or curl: a static BusyBox wget probes the endpoint.".to_string(),
                wget("/usr/local/bin/wget", &url),
            )
        }
        (Leaf::JavaMaven | Leaf::JavaGradle, _) => {
            needs_probe = true;
            (
                "Liveness only (not dependencies); the JRE image's curl and wget are not promised: a static BusyBox wget probes the endpoint.".to_string(),
                wget("/usr/local/bin/wget", &url),
            )
        }
        (Leaf::Go | Leaf::Rust, ServiceKind::Worker) if answers.base == Some(Base::DebianSlim) => (
            format!("Worker heartbeat: the job loop must touch {HEARTBEAT}; unhealthy when it is older than 60 s (debian-slim has sh and find)."),
            heartbeat_sh(),
        ),
        (Leaf::Go | Leaf::Rust, ServiceKind::Worker) => {
            let binary = answers.project.entrypoint.first().cloned().unwrap_or_default();
            (
                format!("No shell in this image: `{binary} healthcheck` must exit 0 only while {HEARTBEAT} is younger than 60 s (add that subcommand)."),
                json(&[&binary, "healthcheck"]),
            )
        }
        (Leaf::Go | Leaf::Rust, _) => {
            needs_probe = true;
            let why = match answers.base {
                Some(Base::DebianSlim) => "debian-slim has no wget or curl",
                Some(Base::Scratch) => "scratch has no shell, wget or curl",
                _ => "distroless has no shell, wget or curl",
            };
            (
                format!("Liveness only; {why}: a static BusyBox wget (musl build, no libc needed) probes the endpoint."),
                wget("/usr/local/bin/wget", &url),
            )
        }
    };
    // The source document's tuning table: 60 s+ before the first check of a JVM app.
    let options = if answers.leaf.is_java() {
        "--interval=30s --timeout=5s --start-period=60s --retries=3"
    } else {
        options(answers.kind)
    };
    Health {
        comment,
        options: options.to_string(),
        cmd,
        needs_probe,
    }
}

/// The HEALTHCHECK of the `development` stage, so `up --wait` means "serving" there too. The
/// dev image is the build image (node/golang alpine, node/python slim, rust slim) or the static
/// server's, so the probe uses what that image has; the start period covers a dev server that
/// compiles before it listens (`cargo run`, `go run`).
pub fn dev_health(answers: &Answers) -> Health {
    let port = answers.port;
    let url = format!("http://127.0.0.1:{port}{}", answers.project.health_path);
    let root = format!("http://127.0.0.1:{port}/");
    let runtime = if answers.package_manager == Some(PackageManager::Bun) {
        "bun"
    } else {
        "node"
    };
    let production = health(answers);
    let mut needs_probe = false;
    let (comment, cmd) = match (answers.leaf, answers.kind) {
        (Leaf::StaticNginx | Leaf::StaticCaddy, _) => (
            "Development server answers GET /; BusyBox wget ships with the alpine image."
                .to_string(),
            wget("wget", &root),
        ),
        (
            Leaf::NodeBuild
            | Leaf::NodePlain
            | Leaf::PythonPip
            | Leaf::PythonUv
            | Leaf::PythonPoetry,
            ServiceKind::Worker,
        ) => (production.comment.clone(), production.cmd.clone()),
        (Leaf::NodeBuild, _) => (
            "Liveness of the dev server; BusyBox wget ships with alpine.".to_string(),
            wget("wget", &url),
        ),
        (Leaf::NodePlain, _) => (
            format!(
                "Liveness of the dev server; the slim image has no wget or curl, so {runtime}'s fetch probes it."
            ),
            fetch(runtime, &url),
        ),
        (Leaf::PythonPip | Leaf::PythonUv | Leaf::PythonPoetry, _) => (
            "Liveness of the dev server; python-slim has no wget or curl, so urllib probes it."
                .to_string(),
            urlopen(&url),
        ),
        (
            Leaf::Go
            | Leaf::Rust
            | Leaf::JavaMaven
            | Leaf::JavaGradle
            | Leaf::PhpApache
            | Leaf::Ruby
            | Leaf::Dotnet
            | Leaf::Deno,
            ServiceKind::Worker,
        ) => (
            format!(
                "Worker heartbeat: the job loop must touch {HEARTBEAT} (the dev image has sh and find)."
            ),
            heartbeat_sh(),
        ),
        (Leaf::PhpApache, _) => (
            "Liveness of Apache serving the synced sources; PHP's own HTTP stream probes it."
                .to_string(),
            php_get(&url),
        ),
        (Leaf::Ruby, _) => (
            "Liveness of the development server; Ruby's Net::HTTP probes it.".to_string(),
            net_http(&url),
        ),
        (Leaf::JavaMaven | Leaf::JavaGradle, _) => {
            needs_probe = true;
            (
                "Liveness of the app the build tool started; the static BusyBox wget probes it (the JDK image's curl and wget are not promised).".to_string(),
                wget("/usr/local/bin/wget", &url),
            )
        }
        (Leaf::Deno, _) => (
            "Liveness of `deno run --watch`'s server; Deno's own fetch probes it.".to_string(),
            deno_fetch(&url),
        ),
        (Leaf::Dotnet, _) => {
            needs_probe = true;
            (
                "Liveness of `dotnet watch`'s server; the SDK image's wget is not promised: the static BusyBox wget probes it.".to_string(),
                wget("/usr/local/bin/wget", &url),
            )
        }
        (Leaf::Go, _) => (
            "Liveness of `go run`'s server; BusyBox wget ships with alpine.".to_string(),
            wget("wget", &url),
        ),
        (Leaf::Rust, _) => {
            needs_probe = true;
            (
                "Liveness of `cargo run`'s server; rust-slim has no wget or curl: the static BusyBox wget probes it.".to_string(),
                wget("/usr/local/bin/wget", &url),
            )
        }
    };
    let start_period = match answers.leaf {
        // The first `dotnet watch` build, like cargo's and the JVM build tools', takes minutes.
        Leaf::Rust | Leaf::JavaMaven | Leaf::JavaGradle | Leaf::Dotnet => "300s",
        Leaf::Go => "60s",
        _ => "30s",
    };
    Health {
        comment,
        options: format!("--interval=10s --timeout=3s --start-period={start_period} --retries=3"),
        cmd,
        needs_probe,
    }
}
