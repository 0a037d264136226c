//! Answers → the template context: every value a template prints, computed here so the
//! templates stay declarative and user overrides get the same data.

use serde::Serialize;

use super::compose::{ComposeCtx, compose_ctx};
use super::dotnet::{DotnetCtx, dotnet_ctx};
use super::health::{Health, dev_health, health};
use super::java::{JavaCtx, java_ctx};
use super::php::{PhpCtx, php_ctx};
use super::pins;
use super::ruby::{RubyCtx, ruby_ctx};
use crate::domain::detect::{PackageManager, ServiceKind};
use crate::domain::wizard::{Answers, Base, Leaf};

/// Node/Bun install details for the chosen package manager.
#[derive(Debug, Clone, Serialize)]
pub struct NodeCtx {
    pub version_arg: &'static str,
    pub version: String,
    /// `FROM` image with the ARG reference, e.g. `node:${NODE_VERSION}-alpine`.
    pub image: String,
    /// Extra setup run as root in the base stage (corepack), if any.
    pub setup: Option<String>,
    /// An environment variable of the base stage (Yarn Berry's node linker).
    pub env: Option<(String, String)>,
    pub install_all: String,
    pub install_prod: String,
    /// Package-manager cache for root builds and for the uid-1000 development stage.
    pub cache_root: String,
    pub cache_dev: String,
    pub runtime: &'static str,
}

/// Everything the templates print.
#[derive(Debug, Clone, Serialize)]
pub struct Context {
    pub leaf: &'static str,
    pub port: u16,
    /// Workers listen nowhere: no EXPOSE, no published port.
    pub expose: bool,
    pub version: String,
    /// Files copied (and installed from) before the source, space separated.
    pub manifests: String,
    pub manifest_list: Vec<String>,
    pub lockfile: Option<String>,
    pub build: bool,
    pub build_command: String,
    pub build_output: String,
    pub entrypoint: String,
    /// Deno: the script the start command runs (cached at build time).
    pub entry_file: String,
    pub dev_command: String,
    pub source_dir: String,
    pub health: Health,
    /// The development stage's probe (the dev image's own tools).
    pub dev_health: Health,
    pub node: Option<NodeCtx>,
    pub java: Option<JavaCtx>,
    pub php: Option<PhpCtx>,
    pub ruby: Option<RubyCtx>,
    pub dotnet: Option<DotnetCtx>,
    pub binary: String,
    pub go_main: String,
    pub final_base: String,
    pub scratch: bool,
    pub distroless: bool,
    pub workspace_members: Vec<String>,
    /// Files the production server reads besides the build output (Next.js `public/`,
    /// `next.config.*`), copied from the build stage to the same path.
    pub runtime_files: Vec<String>,
    /// Node workspaces: each member's package.json, copied (to the same path) with the manifests.
    pub member_manifests: Vec<String>,
    pub dev_group: bool,
    /// Pinned server packages (`gunicorn==23.0.0`) the commands need and the project's
    /// dependencies lack, space separated; empty when none.
    pub server_packages: String,
    pub pins: Pins,
    pub compose: ComposeCtx,
    /// Build output excluded from the context (not when it is also what gets served as-is).
    pub ignore_output: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Pins {
    pub uv: &'static str,
    pub poetry: &'static str,
    pub poetry_export: &'static str,
    pub busybox: &'static str,
    pub nginx: &'static str,
    pub caddy: &'static str,
    pub debian: &'static str,
    pub composer: &'static str,
}

/// Quotes a word for a shell-form `RUN` only when it needs it.
pub fn shell_word(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@,+%".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

fn json(argv: &[String]) -> String {
    serde_json::to_string(argv).unwrap_or_default()
}

fn node_ctx(answers: &Answers) -> Option<NodeCtx> {
    let uses_node = answers.leaf.is_node() || (answers.leaf.is_static() && answers.build_step);
    if !uses_node {
        return None;
    }
    let pm = answers
        .package_manager
        .filter(|p| p.is_node())
        .unwrap_or(PackageManager::Npm);
    let locked = answers.project.lockfile.is_some();
    let variant = if answers.leaf == Leaf::NodePlain {
        "slim"
    } else {
        "alpine"
    };
    let berry = pm == PackageManager::Yarn && answers.project.yarn_berry;
    let (install_all, install_prod, cache_root, cache_dev) = match pm {
        PackageManager::Yarn if berry => {
            let base = if locked {
                "yarn install --immutable"
            } else {
                "yarn install"
            };
            (
                base.to_string(),
                // Berry has no `install --production`: focusing every workspace on its
                // production dependencies is its equivalent (built in since Yarn 4).
                "yarn workspaces focus --all --production".to_string(),
                // Berry's whole global folder (cache and index): BuildKit creates a mount
                // target's parents as root, so a mount at .../berry/cache would leave the dev
                // user unable to create .../berry/index.
                "/root/.yarn/berry",
                "/home/node/.yarn/berry",
            )
        }
        PackageManager::Yarn => {
            let base = if locked {
                "yarn install --frozen-lockfile"
            } else {
                "yarn install"
            };
            (
                base.to_string(),
                format!("{base} --production"),
                "/usr/local/share/.cache/yarn",
                "/home/node/.cache/yarn",
            )
        }
        PackageManager::Pnpm => {
            let base = if locked {
                "pnpm install --frozen-lockfile"
            } else {
                "pnpm install"
            };
            (
                base.to_string(),
                format!("{base} --prod"),
                "/root/.local/share/pnpm/store",
                "/home/node/.local/share/pnpm/store",
            )
        }
        PackageManager::Bun => {
            let base = if locked {
                "bun install --frozen-lockfile"
            } else {
                "bun install"
            };
            (
                base.to_string(),
                format!("{base} --production"),
                "/root/.bun/install/cache",
                "/home/bun/.bun/install/cache",
            )
        }
        _ => {
            let base = if locked { "npm ci" } else { "npm install" };
            (
                base.to_string(),
                format!("{base} --omit=dev"),
                "/root/.npm",
                "/home/node/.npm",
            )
        }
    };
    let major: u32 = answers
        .project
        .version
        .split('.')
        .next()
        .and_then(|m| m.parse().ok())
        .unwrap_or(22);
    // Corepack left the Node images with Node 25: install a pinned one first there.
    let corepack = if major >= 25 {
        "npm install --global corepack@0.31.0 && corepack enable"
    } else {
        "corepack enable"
    };
    let setup = match pm {
        PackageManager::Pnpm => Some(format!("{corepack} pnpm")),
        // The images' yarn is 1.x: corepack runs the release package.json pins.
        PackageManager::Yarn if berry => Some(format!("{corepack} yarn")),
        PackageManager::Yarn if major >= 25 => Some(format!("{corepack} yarn")),
        _ => None,
    };
    let bun = pm == PackageManager::Bun;
    Some(NodeCtx {
        version_arg: if bun { "BUN_VERSION" } else { "NODE_VERSION" },
        version: if bun {
            pins::BUN_VERSION.to_string()
        } else {
            answers.project.version.clone()
        },
        image: if bun {
            format!("oven/bun:${{BUN_VERSION}}-{variant}")
        } else {
            format!("node:${{NODE_VERSION}}-{variant}")
        },
        setup,
        // The stages copy node_modules: Plug'n'Play's zip cache would not be there.
        env: berry.then(|| ("YARN_NODE_LINKER".to_string(), "node-modules".to_string())),
        install_all,
        install_prod,
        cache_root: cache_root.to_string(),
        cache_dev: cache_dev.to_string(),
        runtime: if bun { "bun" } else { "node" },
    })
}

/// The manifests copied before dependencies are installed.
pub fn manifests(answers: &Answers) -> Vec<String> {
    let p = &answers.project;
    let mut files: Vec<String> = match answers.leaf {
        Leaf::NodeBuild | Leaf::NodePlain => vec!["package.json".into()],
        Leaf::StaticNginx | Leaf::StaticCaddy if answers.build_step => vec!["package.json".into()],
        Leaf::StaticNginx | Leaf::StaticCaddy => Vec::new(),
        Leaf::PythonPip => vec![
            p.lockfile
                .clone()
                .unwrap_or_else(|| "pyproject.toml".into()),
        ],
        Leaf::PythonUv | Leaf::PythonPoetry => vec!["pyproject.toml".into()],
        Leaf::Go => vec!["go.mod".into()],
        Leaf::Rust => vec!["Cargo.toml".into()],
        Leaf::JavaMaven => vec!["pom.xml".into()],
        // Detection lists the Gradle build script (Groovy or Kotlin) with the tool files.
        Leaf::JavaGradle
            if p.install_extras
                .iter()
                .any(|f| f.starts_with("build.gradle") || f.starts_with("settings.gradle")) =>
        {
            Vec::new()
        }
        Leaf::JavaGradle => vec!["build.gradle".into()],
        // composer.json when the project has one (detection lists it with the install files).
        Leaf::PhpApache => p
            .install_extras
            .iter()
            .filter(|f| *f == "composer.json")
            .cloned()
            .collect(),
        Leaf::Ruby => vec!["Gemfile".into()],
        // Detection lists the project files, the solution and the restore settings.
        Leaf::Dotnet | Leaf::Deno => Vec::new(),
    };
    if let Some(lock) = &p.lockfile
        && !files.contains(lock)
        && (!answers.leaf.is_static() || answers.build_step)
    {
        files.push(lock.clone());
    }
    // pip reads the files requirements.txt includes (`-r requirements/base.txt`) at install
    // time: they are manifests too (copied before the install, watched for rebuilds).
    if answers.leaf == Leaf::PythonPip && p.lockfile.is_some() {
        let included =
            |f: &&String| f.ends_with(".txt") && !f.to_ascii_lowercase().starts_with("readme");
        files.extend(p.install_extras.iter().filter(included).cloned());
    }
    // Node reads .npmrc/.yarnrc.yml/pnpm-workspace.yaml at install time; Python's README is read
    // by the build backend only when the project itself is installed (after `COPY . .`).
    if matches!(
        answers.leaf,
        Leaf::NodeBuild | Leaf::NodePlain | Leaf::Dotnet | Leaf::Deno
    ) || answers.leaf.is_java()
        || (answers.leaf.is_static() && answers.build_step)
    {
        files.extend(p.install_extras.iter().cloned());
    }
    files
}

pub fn context(answers: &Answers) -> Context {
    let p = &answers.project;
    let manifest_list = manifests(answers);
    let java = java_ctx(answers, &manifest_list);
    let node = node_ctx(answers);
    // A change to any build file (a module's too) rebuilds the development image.
    let watched: Vec<String> = match &java {
        Some(j) => j
            .root_files
            .iter()
            .chain(&j.nested_files)
            .cloned()
            .collect(),
        None => manifest_list.clone(),
    };
    // Nested manifests copied to their own path (Node's workspace members and Yarn's release,
    // a .NET solution's project files for their ProjectReference paths), not flattened into ./.
    let keeps_layout = node.is_some() || answers.leaf == Leaf::Dotnet;
    let base = answers.base;
    let final_base = match (answers.leaf, base) {
        (Leaf::Go, Some(Base::Scratch)) => "scratch".to_string(),
        (Leaf::Go, _) => "gcr.io/distroless/static-debian12:nonroot".to_string(),
        (Leaf::Rust, Some(Base::DistrolessCc)) => {
            "gcr.io/distroless/cc-debian12:nonroot".to_string()
        }
        (Leaf::Rust, _) => "debian:${DEBIAN_RELEASE}-slim".to_string(),
        _ => String::new(),
    };
    let ignore_output = (answers.build_step
        && !matches!(answers.leaf, Leaf::Go | Leaf::Rust)
        && !answers.leaf.is_java()
        && !matches!(answers.leaf, Leaf::PhpApache | Leaf::Ruby)
        && !p.build_output.is_empty()
        && p.build_output != "."
        && p.build_output != p.source_dir
        && !manifest_list.contains(&p.build_output))
    .then(|| p.build_output.clone());
    Context {
        leaf: answers.leaf.as_str(),
        port: answers.port,
        expose: answers.kind != ServiceKind::Worker,
        version: p.version.clone(),
        manifests: manifest_list
            .iter()
            .filter(|f| !f.contains('/') || !keeps_layout)
            .cloned()
            .collect::<Vec<_>>()
            .join(" "),
        manifest_list: manifest_list.clone(),
        lockfile: p.lockfile.clone(),
        build: answers.build_step,
        build_command: p
            .build_command
            .iter()
            .map(|w| shell_word(w))
            .collect::<Vec<_>>()
            .join(" "),
        build_output: p.build_output.trim_end_matches('/').to_string(),
        entrypoint: json(&entrypoint(answers)),
        entry_file: p
            .entrypoint
            .iter()
            .rev()
            .find(|w| {
                [".ts", ".tsx", ".js", ".mjs"]
                    .iter()
                    .any(|e| w.ends_with(e))
            })
            .cloned()
            .unwrap_or_default(),
        dev_command: json(&p.dev_command),
        source_dir: p.source_dir.clone(),
        health: health(answers),
        dev_health: dev_health(answers),
        node: node.clone(),
        java: java.clone(),
        php: php_ctx(answers),
        ruby: ruby_ctx(answers),
        dotnet: dotnet_ctx(answers),
        binary: p.binary.clone(),
        go_main: p.go_main.clone(),
        scratch: final_base == "scratch",
        distroless: final_base.contains("distroless"),
        final_base,
        workspace_members: p.workspace_members.clone(),
        runtime_files: p.runtime_files.clone(),
        // Files copied to their own path before the install: workspace members' manifests and
        // nested install files (Yarn's release and plugins).
        member_manifests: if keeps_layout {
            p.workspace_members
                .iter()
                .filter(|_| node.is_some())
                .map(|m| format!("{m}/package.json"))
                .chain(manifest_list.iter().filter(|f| f.contains('/')).cloned())
                .collect()
        } else {
            Vec::new()
        },
        dev_group: p.dev_group,
        server_packages: server_packages(&p.server_packages),
        pins: Pins {
            uv: pins::UV_VERSION,
            poetry: pins::POETRY_VERSION,
            poetry_export: pins::POETRY_EXPORT_VERSION,
            busybox: pins::BUSYBOX_VERSION,
            nginx: pins::NGINX_VERSION,
            caddy: pins::CADDY_VERSION,
            debian: pins::DEBIAN_RELEASE,
            composer: pins::COMPOSER_VERSION,
        },
        compose: compose_ctx(answers, &watched),
        ignore_output,
    }
}

/// Pinned requirement specs for the named server packages.
fn server_packages(names: &[String]) -> String {
    names
        .iter()
        .map(|name| match name.as_str() {
            "gunicorn" => format!("gunicorn=={}", pins::GUNICORN_VERSION),
            "uvicorn" => format!("uvicorn=={}", pins::UVICORN_VERSION),
            other => other.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The production command; package binaries are called by absolute path (no npm in between,
/// so SIGTERM reaches the server).
fn entrypoint(answers: &Answers) -> Vec<String> {
    let mut argv = answers.project.entrypoint.clone();
    if let Some(first) = argv.first_mut() {
        if first.starts_with("node_modules/") {
            *first = format!("/app/{first}");
        }
        if first == "node" && answers.package_manager == Some(PackageManager::Bun) {
            *first = "bun".into();
        }
    }
    argv
}
