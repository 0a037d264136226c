//! Pure project detection: a `ProjectScan` (file list + the few contents that matter, read by
//! `fsio::scan`) becomes `Detected`, where every value carries the file and line it came from.

mod addons;
mod command;
mod deno;
mod dotnet;
mod facts;
mod go;
mod health;
mod java;
mod java_build;
mod java_config;
mod listen;
mod node;
mod node_entry;
mod node_found;
mod node_framework;
mod node_output;
mod php;
mod port;
mod pyapp;
mod pydeps;
mod pyserver;
mod python;
mod ruby;
mod rust;
mod scan;
mod static_site;
mod survey;

pub use command::{Command, Piece, Word};
pub use facts::{Fact, ManifestProblem, Reason};
pub use scan::{ProjectScan, wants_content};
pub use survey::{Foreign, SubProject};

use serde::{Deserialize, Serialize};

/// The language (or kind of project) of the decision tree's first question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Language {
    Node,
    Python,
    Go,
    Rust,
    Java,
    Php,
    Ruby,
    Dotnet,
    Deno,
    Static,
}

impl Language {
    pub const ALL: [Language; 10] = [
        Language::Node,
        Language::Python,
        Language::Go,
        Language::Rust,
        Language::Java,
        Language::Php,
        Language::Ruby,
        Language::Dotnet,
        Language::Deno,
        Language::Static,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Language::Node => "node",
            Language::Python => "python",
            Language::Go => "go",
            Language::Rust => "rust",
            Language::Java => "java",
            Language::Php => "php",
            Language::Ruby => "ruby",
            Language::Dotnet => "dotnet",
            Language::Deno => "deno",
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
            "java" | "jvm" | "kotlin" => Some(Language::Java),
            "php" | "laravel" | "symfony" => Some(Language::Php),
            "ruby" | "rails" | "rack" | "sinatra" => Some(Language::Ruby),
            "deno" => Some(Language::Deno),
            "dotnet" | ".net" | "csharp" | "c#" | "fsharp" | "aspnet" | "aspnetcore" => {
                Some(Language::Dotnet)
            }
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
    Maven,
    Gradle,
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
    pub const JAVA: [PackageManager; 2] = [PackageManager::Maven, PackageManager::Gradle];

    pub fn as_str(self) -> &'static str {
        match self {
            PackageManager::Npm => "npm",
            PackageManager::Yarn => "yarn",
            PackageManager::Pnpm => "pnpm",
            PackageManager::Bun => "bun",
            PackageManager::Pip => "pip",
            PackageManager::Uv => "uv",
            PackageManager::Poetry => "poetry",
            PackageManager::Maven => "maven",
            PackageManager::Gradle => "gradle",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        let all = Self::NODE
            .iter()
            .chain(Self::PYTHON.iter())
            .chain(Self::JAVA.iter());
        all.copied()
            .find(|pm| pm.as_str().eq_ignore_ascii_case(text.trim()))
    }

    pub fn is_node(self) -> bool {
        Self::NODE.contains(&self)
    }

    pub fn is_python(self) -> bool {
        Self::PYTHON.contains(&self)
    }

    pub fn is_java(self) -> bool {
        Self::JAVA.contains(&self)
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
    /// Yarn 2+ (Berry) rather than Yarn 1: its own install flags, cache and node linker.
    pub yarn_berry: Option<Fact<bool>>,
    pub build_step: Option<Fact<bool>>,
    /// The build command when there is a build step, as an argv.
    pub build_command: Option<Fact<Vec<String>>>,
    /// Where the build writes its output (`dist`, `build`, `.next`...).
    pub build_output: Option<Fact<String>>,
    /// The production start command; its port is filled in once the wizard settles it.
    pub entrypoint: Option<Fact<Command>>,
    /// The development command (a watcher or dev server).
    pub dev_command: Option<Fact<Command>>,
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
    /// Java: the framework that decides the image layout (`spring-boot`, `quarkus`).
    pub framework: Option<Fact<String>>,
    /// Java: the class `java` starts in production (the app's, or Spring Boot's launcher).
    pub main_class: Option<Fact<String>>,
    /// Java: the module directory that builds the application, in a multi-module build.
    pub module: Option<Fact<String>>,
    /// PHP: extensions the project requires that the image must add (`pdo_pgsql`).
    pub extensions: Vec<Fact<String>>,
    /// Ruby: the gems the image is built around (native extensions and their libraries,
    /// bootsnap, the asset pipeline).
    pub gems: Vec<Fact<String>>,
    /// Rust workspaces / JS workspaces: member directories.
    pub workspace_members: Vec<String>,
    /// Files the production server reads besides the build output (Next.js `public/` and
    /// `next.config.*`): the production stage copies them too.
    pub runtime_files: Vec<Fact<String>>,
    /// Python: a dev dependency group exists (poetry export `--with dev`).
    pub dev_group: bool,
    /// Add-on services suggested by client libraries (`postgres`, `redis`, `mysql`).
    pub add_ons: Vec<Fact<String>>,
    /// Server packages the commands run that the production dependencies lack (gunicorn for
    /// a Flask app that only lists flask): the image must add them, the user should declare them.
    pub server_packages: Vec<Fact<String>>,
    /// The server's listen call binds the loopback interface (value: the host): unreachable
    /// through a published port, and only the code can change it.
    pub loopback: Option<Fact<String>>,
    /// Manifests of stacks devbox has no template for (pom.xml, composer.json, Gemfile, …).
    pub foreign: Vec<Foreign>,
    /// Recognised apps in sub-directories (a monorepo root): where `devbox init DIR` would work.
    pub sub_projects: Vec<SubProject>,
    /// Broken or unreadable manifests: the wizard asks instead of guessing.
    pub problems: Vec<ManifestProblem>,
}

impl Detected {
    /// A detected command as it would run with the detected package manager and port (for
    /// summaries; the wizard renders it again with the answers).
    pub fn argv(&self, command: &Command) -> Vec<String> {
        let pm = self.package_manager.as_ref().map(|f| f.value);
        let port = self.port.as_ref().map_or(8080, |f| f.value);
        command.argv(pm, port)
    }
}

/// Runs every detector over the scan. Pure: the scan already holds the contents.
pub fn detect(scan: &ProjectScan) -> Detected {
    let mut out = Detected::default();
    let chosen = choose(scan, &mut out.problems);
    out.foreign = survey::foreign(scan);
    let dotnet_app = chosen
        .as_ref()
        .and_then(|(p, _)| p.language.as_ref())
        .is_some_and(|l| l.value == Language::Dotnet);
    if dotnet_app {
        out.foreign.retain(|f| !f.stack.starts_with(".NET"));
    }
    // Guessing is worse than asking: a manifest with nothing that runs next to a stack devbox
    // cannot build (composer.json, Gemfile: package.json only builds their assets) or in a
    // monorepo root is refused, and `init` says what it found instead.
    let refused = match &chosen {
        None => true,
        Some((_, Strength::Weak)) => true,
        Some((_, Strength::Site)) => out.foreign.iter().any(|f| f.manifest),
        Some(_) => false,
    };
    if refused {
        out.sub_projects = survey::sub_projects(scan, |sub| {
            let mut ignored = Vec::new();
            let (partial, _) =
                choose(sub, &mut ignored).filter(|(_, strength)| *strength != Strength::Weak)?;
            let language = partial.language?;
            // What makes it an app (`depends on express`) says more than "package.json here".
            let reason = partial
                .kind
                .filter(|k| k.value != ServiceKind::Static && k.reason.file.is_some())
                .map_or(language.reason, |k| k.reason);
            Some((language.value, reason))
        });
    }
    let keep = match &chosen {
        Some((_, Strength::Weak)) => out.foreign.is_empty() && out.sub_projects.is_empty(),
        Some(_) => !refused,
        None => false,
    };
    if let Some((found, _)) = chosen.filter(|_| keep) {
        found.apply(&mut out);
        port::detect(scan, &mut out);
        out.loopback = listen::loopback(scan, out.language.as_ref().map(|l| l.value));
        health::detect(scan, &mut out);
        addons::detect(scan, &mut out);
    }
    out
}

/// How much a detector's finding says about what runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Strength {
    /// A server, a main package, a framework app.
    Runs,
    /// A static-site build.
    Site,
    /// Only a manifest: tooling, a library, a monorepo root.
    Weak,
}

/// The detector whose finding describes the app: what runs beats a static build beats a bare
/// manifest; a Node server over a Go/Rust/Python one (it is the one with the start script).
fn choose(scan: &ProjectScan, problems: &mut Vec<ManifestProblem>) -> Option<(Partial, Strength)> {
    let node = node::detect(scan, problems);
    let python = python::detect(scan, problems);
    let go = go::detect(scan, problems);
    let rust = rust::detect(scan, problems);
    let java = java::detect(scan);
    let php = php::detect(scan, problems);
    let ruby = ruby::detect(scan);
    let dotnet = dotnet::detect(scan);
    let deno = deno::detect(scan);
    let site = static_site::detect(scan, node.as_ref());
    let evidence = |p: &Partial| {
        p.entrypoint
            .as_ref()
            .is_some_and(|e| e.reason.file.is_some())
            || p.dev_command.is_some()
            || p.main_class.is_some()
            || p.framework.is_some()
            // A front controller (index.php) is what runs a plain PHP site.
            || p.language.as_ref().is_some_and(|l| l.value == Language::Php) && p.kind.is_some()
    };
    let node_runs = site.is_none() && node.as_ref().is_some_and(|n| n.runnable);
    let mut ranked: Vec<(Partial, Strength)> = Vec::new();
    let mut node_partial = node.map(|n| n.partial);
    if node_runs {
        ranked.extend(node_partial.take().map(|p| (p, Strength::Runs)));
    }
    let mut weak = Vec::new();
    for backend in [go, rust, java, php, ruby, dotnet, deno, python]
        .into_iter()
        .flatten()
    {
        if evidence(&backend) {
            ranked.push((backend, Strength::Runs));
        } else {
            weak.push((backend, Strength::Weak));
        }
    }
    ranked.extend(site.map(|p| (p, Strength::Site)));
    // A broken manifest is still the project's language: the wizard asks for the rest.
    let broken = |p: &Partial| {
        p.language.as_ref().is_some_and(|l| {
            problems
                .iter()
                .any(|pr| l.reason.file.as_deref() == Some(&pr.file))
        })
    };
    ranked.extend(node_partial.map(|p| {
        let strength = if broken(&p) {
            Strength::Runs
        } else {
            Strength::Weak
        };
        (p, strength)
    }));
    ranked.extend(weak.into_iter().map(|(p, s)| {
        if broken(&p) {
            (p, Strength::Runs)
        } else {
            (p, s)
        }
    }));
    let best = ranked
        .iter()
        .position(|(_, s)| *s == Strength::Runs)
        .or_else(|| ranked.iter().position(|(_, s)| *s == Strength::Site))
        .unwrap_or(0);
    (!ranked.is_empty()).then(|| ranked.swap_remove(best))
}

/// What one language detector found; merged into `Detected` by `apply`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Partial {
    pub language: Option<Fact<Language>>,
    pub package_manager: Option<Fact<PackageManager>>,
    pub lockfile: Option<Fact<String>>,
    pub install_extras: Vec<Fact<String>>,
    pub yarn_berry: Option<Fact<bool>>,
    pub build_step: Option<Fact<bool>>,
    pub build_command: Option<Fact<Vec<String>>>,
    pub build_output: Option<Fact<String>>,
    pub entrypoint: Option<Fact<Command>>,
    pub dev_command: Option<Fact<Command>>,
    pub source_dir: Option<Fact<String>>,
    pub kind: Option<Fact<ServiceKind>>,
    pub version: Option<Fact<String>>,
    pub go_main: Option<Fact<String>>,
    pub binary: Option<Fact<String>>,
    pub framework: Option<Fact<String>>,
    pub main_class: Option<Fact<String>>,
    pub module: Option<Fact<String>>,
    pub extensions: Vec<Fact<String>>,
    pub gems: Vec<Fact<String>>,
    pub workspace_members: Vec<String>,
    pub runtime_files: Vec<Fact<String>>,
    pub dev_group: bool,
    /// Framework default port, used only when neither env files nor code name one.
    pub framework_port: Option<Fact<u16>>,
    pub server_packages: Vec<Fact<String>>,
    /// A liveness route the framework itself serves (Streamlit's `/_stcore/health`).
    pub health_path: Option<Fact<String>>,
}

impl Partial {
    fn apply(self, out: &mut Detected) {
        out.language = self.language;
        out.package_manager = self.package_manager;
        out.lockfile = self.lockfile;
        out.install_extras = self.install_extras;
        out.yarn_berry = self.yarn_berry;
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
        out.framework = self.framework;
        out.main_class = self.main_class;
        out.module = self.module;
        out.extensions = self.extensions;
        out.gems = self.gems;
        out.workspace_members = self.workspace_members;
        out.runtime_files = self.runtime_files;
        out.dev_group = self.dev_group;
        out.port = self.framework_port;
        out.server_packages = self.server_packages;
        out.health_path = self.health_path;
    }
}
