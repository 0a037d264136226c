//! Pure project detection: a `ProjectScan` (file list + the few contents that matter, read by
//! `fsio::scan`) becomes `Detected`, where every value carries the file and line it came from.

mod addons;
mod facts;
mod go;
mod health;
mod node;
mod port;
mod python;
mod rust;
mod scan;
mod static_site;

pub use facts::{Fact, ManifestProblem, Reason};
pub use scan::{ProjectScan, wants_content};

use serde::{Deserialize, Serialize};

/// The language (or kind of project) of the decision tree's first question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Language {
    Node,
    Python,
    Go,
    Rust,
    Static,
}

impl Language {
    pub const ALL: [Language; 5] = [
        Language::Node,
        Language::Python,
        Language::Go,
        Language::Rust,
        Language::Static,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Language::Node => "node",
            Language::Python => "python",
            Language::Go => "go",
            Language::Rust => "rust",
            Language::Static => "static",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "node" | "nodejs" | "node.js" | "javascript" | "js" | "typescript" | "ts" => {
                Some(Language::Node)
            }
            "python" | "py" => Some(Language::Python),
            "go" | "golang" => Some(Language::Go),
            "rust" | "rs" => Some(Language::Rust),
            "static" | "html" | "static-site" => Some(Language::Static),
            _ => None,
        }
    }
}

/// Package managers devbox knows how to install dependencies with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PackageManager {
    Npm,
    Yarn,
    Pnpm,
    Bun,
    Pip,
    Uv,
    Poetry,
}

impl PackageManager {
    pub const NODE: [PackageManager; 4] = [
        PackageManager::Npm,
        PackageManager::Yarn,
        PackageManager::Pnpm,
        PackageManager::Bun,
    ];
    pub const PYTHON: [PackageManager; 3] = [
        PackageManager::Pip,
        PackageManager::Uv,
        PackageManager::Poetry,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PackageManager::Npm => "npm",
            PackageManager::Yarn => "yarn",
            PackageManager::Pnpm => "pnpm",
            PackageManager::Bun => "bun",
            PackageManager::Pip => "pip",
            PackageManager::Uv => "uv",
            PackageManager::Poetry => "poetry",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        let all = Self::NODE.iter().chain(Self::PYTHON.iter());
        all.copied()
            .find(|pm| pm.as_str().eq_ignore_ascii_case(text.trim()))
    }

    pub fn is_node(self) -> bool {
        Self::NODE.contains(&self)
    }
}

/// What the service does, which decides its health check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ServiceKind {
    /// Serves HTTP: liveness endpoint probe.
    Http,
    /// Background jobs: heartbeat file probe.
    Worker,
    /// Static files behind nginx/caddy: GET /.
    Static,
}

impl ServiceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ServiceKind::Http => "http",
            ServiceKind::Worker => "worker",
            ServiceKind::Static => "static",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "http" | "api" | "web" => Some(ServiceKind::Http),
            "worker" | "job" | "jobs" => Some(ServiceKind::Worker),
            "static" => Some(ServiceKind::Static),
            _ => None,
        }
    }
}

/// Everything detection found, each value with its reason. `None` means "ask".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Detected {
    pub language: Option<Fact<Language>>,
    pub package_manager: Option<Fact<PackageManager>>,
    /// The lockfile the Dockerfile copies before installing (absent: install without one).
    pub lockfile: Option<Fact<String>>,
    /// Extra files the install step reads (`.yarnrc.yml`, `pnpm-workspace.yaml`, README for
    /// Python build backends): copied with the manifests, never ignored.
    pub install_extras: Vec<Fact<String>>,
    pub build_step: Option<Fact<bool>>,
    /// The build command when there is a build step, as an argv.
    pub build_command: Option<Fact<Vec<String>>>,
    /// Where the build writes its output (`dist`, `build`, `.next`...).
    pub build_output: Option<Fact<String>>,
    /// The production start command, as an argv.
    pub entrypoint: Option<Fact<Vec<String>>>,
    /// The development command (a watcher or dev server), as an argv.
    pub dev_command: Option<Fact<Vec<String>>>,
    /// The directory compose watch syncs (`src`, the package dir, or `.`).
    pub source_dir: Option<Fact<String>>,
    pub port: Option<Fact<u16>>,
    pub kind: Option<Fact<ServiceKind>>,
    /// A liveness route the code serves (`/healthz`), which the HEALTHCHECK then probes.
    pub health_path: Option<Fact<String>>,
    /// Runtime or toolchain version for the image tag (`22`, `3.12`, `1.22`, `1.83`).
    pub version: Option<Fact<String>>,
    /// Go: the main package directory (`.` or `./cmd/server`).
    pub go_main: Option<Fact<String>>,
    /// Rust/Go: the binary name.
    pub binary: Option<Fact<String>>,
    /// Rust workspaces / JS workspaces: member directories.
    pub workspace_members: Vec<String>,
    /// Python: a dev dependency group exists (poetry export `--with dev`).
    pub dev_group: bool,
    /// Add-on services suggested by client libraries (`postgres`, `redis`, `mysql`).
    pub add_ons: Vec<Fact<String>>,
    /// Broken or unreadable manifests: the wizard asks instead of guessing.
    pub problems: Vec<ManifestProblem>,
}

/// Runs every detector over the scan. Pure: the scan already holds the contents.
pub fn detect(scan: &ProjectScan) -> Detected {
    let mut out = Detected::default();
    let node = node::detect(scan, &mut out.problems);
    let python = python::detect(scan, &mut out.problems);
    let go = go::detect(scan, &mut out.problems);
    let rust = rust::detect(scan, &mut out.problems);
    // A static-site generator is a Node project without a server: it wins over plain Node.
    let site = static_site::detect(scan, node.as_ref());
    let chosen = site.or(node.map(|n| n.partial)).or(go).or(rust).or(python);
    if let Some(found) = chosen {
        found.apply(&mut out);
    }
    port::detect(scan, &mut out);
    health::detect(scan, &mut out);
    addons::detect(scan, &mut out);
    out
}

/// What one language detector found; merged into `Detected` by `apply`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Partial {
    pub language: Option<Fact<Language>>,
    pub package_manager: Option<Fact<PackageManager>>,
    pub lockfile: Option<Fact<String>>,
    pub install_extras: Vec<Fact<String>>,
    pub build_step: Option<Fact<bool>>,
    pub build_command: Option<Fact<Vec<String>>>,
    pub build_output: Option<Fact<String>>,
    pub entrypoint: Option<Fact<Vec<String>>>,
    pub dev_command: Option<Fact<Vec<String>>>,
    pub source_dir: Option<Fact<String>>,
    pub kind: Option<Fact<ServiceKind>>,
    pub version: Option<Fact<String>>,
    pub go_main: Option<Fact<String>>,
    pub binary: Option<Fact<String>>,
    pub workspace_members: Vec<String>,
    pub dev_group: bool,
    /// Framework default port, used only when neither env files nor code name one.
    pub framework_port: Option<Fact<u16>>,
}

impl Partial {
    fn apply(self, out: &mut Detected) {
        out.language = self.language;
        out.package_manager = self.package_manager;
        out.lockfile = self.lockfile;
        out.install_extras = self.install_extras;
        out.build_step = self.build_step;
        out.build_command = self.build_command;
        out.build_output = self.build_output;
        out.entrypoint = self.entrypoint;
        out.dev_command = self.dev_command;
        out.source_dir = self.source_dir;
        out.kind = self.kind;
        out.version = self.version;
        out.go_main = self.go_main;
        out.binary = self.binary;
        out.workspace_members = self.workspace_members;
        out.dev_group = self.dev_group;
        out.port = self.framework_port;
    }
}
