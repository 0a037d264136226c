//! Fills the project facts of the answers: `[project]` overrides, then detected values, then the
//! leaf's conventions; commands follow the package manager actually chosen.

use super::answers::{PartialProject, Project};
use super::java::JavaProject;
use super::tree::Leaf;
use crate::domain::detect::{Command, Detected, PackageManager, Word};

/// Pinned default versions (image tags never say `latest`).
pub const NODE_VERSION: &str = "22.12";
pub const PYTHON_VERSION: &str = "3.12";
pub const GO_VERSION: &str = "1.23";
pub const RUST_VERSION: &str = "1.83";
/// The current LTS release of the JDK.
pub const JAVA_VERSION: &str = "21";
pub const PHP_VERSION: &str = "8.3";
pub const RUBY_VERSION: &str = "3.3";
/// The current LTS (.NET 8 left support in November 2026).
pub const DOTNET_VERSION: &str = "10.0";
pub const DENO_VERSION: &str = "2.9.6";

fn strings(words: &[&str]) -> Vec<String> {
    words.iter().map(|w| w.to_string()).collect()
}

/// A binary/image-friendly name: lower-case ASCII letters, digits and dashes.
pub fn slug(name: &str) -> String {
    let slug: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let slug = slug.trim_matches('-').to_string();
    if slug.is_empty() { "app".into() } else { slug }
}

/// Swaps the package manager of `npm run x`-style commands for the chosen one.
fn with_pm(mut argv: Vec<String>, pm: Option<PackageManager>) -> Vec<String> {
    if let (Some(pm), Some(first)) = (pm, argv.first_mut())
        && PackageManager::parse(first).is_some_and(PackageManager::is_node)
        && pm.is_node()
    {
        *first = pm.as_str().to_string();
    }
    argv
}

/// The settled answers the project facts depend on.
pub(crate) struct Settled {
    pub leaf: Leaf,
    pub pm: Option<PackageManager>,
    pub build_step: bool,
    /// The port the service listens on: detected commands are rendered with it, so the flag a
    /// server takes (`--port`, `--bind 0.0.0.0:PORT`, `runserver 0.0.0.0:PORT`) matches
    /// EXPOSE, the HEALTHCHECK and compose.
    pub port: u16,
}

pub(crate) fn resolve_project(
    settled: &Settled,
    detected: &Detected,
    over: &PartialProject,
    name: &str,
) -> Project {
    let Settled {
        leaf,
        pm,
        build_step,
        port,
    } = *settled;
    let same_language = detected.language.as_ref().is_some_and(|l| match leaf {
        Leaf::NodeBuild | Leaf::NodePlain => l.value == crate::domain::detect::Language::Node,
        Leaf::PythonPip | Leaf::PythonUv | Leaf::PythonPoetry => {
            l.value == crate::domain::detect::Language::Python
        }
        Leaf::Go => l.value == crate::domain::detect::Language::Go,
        Leaf::Rust => l.value == crate::domain::detect::Language::Rust,
        Leaf::JavaMaven | Leaf::JavaGradle => l.value == crate::domain::detect::Language::Java,
        Leaf::PhpApache => l.value == crate::domain::detect::Language::Php,
        Leaf::Ruby => l.value == crate::domain::detect::Language::Ruby,
        Leaf::Dotnet => l.value == crate::domain::detect::Language::Dotnet,
        Leaf::Deno => l.value == crate::domain::detect::Language::Deno,
        Leaf::StaticNginx | Leaf::StaticCaddy => l.value == crate::domain::detect::Language::Static,
    });
    // Facts detected for another language (the user overrode it) would be wrong here.
    let fact = |f: &Option<crate::domain::detect::Fact<String>>| {
        f.as_ref()
            .filter(|_| same_language)
            .map(|f| f.value.clone())
    };
    let argv_fact = |f: &Option<crate::domain::detect::Fact<Vec<String>>>| {
        f.as_ref()
            .filter(|_| same_language)
            .map(|f| f.value.clone())
    };
    let command_fact = |f: &Option<crate::domain::detect::Fact<Command>>| {
        f.as_ref()
            .filter(|_| same_language)
            .map(|f| f.value.argv(pm, port))
    };
    let run = pm.map_or("npm", PackageManager::as_str);

    let version = over
        .version
        .clone()
        .or_else(|| fact(&detected.version))
        .unwrap_or_else(|| {
            match leaf {
                Leaf::PythonPip | Leaf::PythonUv | Leaf::PythonPoetry => PYTHON_VERSION,
                Leaf::Go => GO_VERSION,
                Leaf::Rust => RUST_VERSION,
                Leaf::JavaMaven | Leaf::JavaGradle => JAVA_VERSION,
                Leaf::PhpApache => PHP_VERSION,
                Leaf::Ruby => RUBY_VERSION,
                Leaf::Dotnet => DOTNET_VERSION,
                Leaf::Deno => DENO_VERSION,
                _ => NODE_VERSION,
            }
            .to_string()
        });
    // A lockfile only counts if it belongs to the chosen package manager.
    let lock_matches = |lock: &str| match (leaf, pm) {
        (Leaf::Go, _) => lock == "go.sum",
        (Leaf::Rust, _) => lock == "Cargo.lock",
        (Leaf::PhpApache, _) => lock == "composer.lock",
        (Leaf::Ruby, _) => lock == "Gemfile.lock",
        (Leaf::Dotnet, _) => lock.ends_with("packages.lock.json"),
        (Leaf::Deno, _) => lock == "deno.lock",
        (_, Some(PackageManager::Npm)) => {
            lock == "package-lock.json" || lock == "npm-shrinkwrap.json"
        }
        (_, Some(PackageManager::Yarn)) => lock == "yarn.lock",
        (_, Some(PackageManager::Pnpm)) => lock == "pnpm-lock.yaml",
        (_, Some(PackageManager::Bun)) => lock.starts_with("bun.lock"),
        (_, Some(PackageManager::Uv)) => lock == "uv.lock",
        (_, Some(PackageManager::Poetry)) => lock == "poetry.lock",
        (_, Some(PackageManager::Pip)) => lock.starts_with("requirements"),
        (_, Some(PackageManager::Gradle)) => lock == "gradle.lockfile",
        (_, Some(PackageManager::Maven)) => false,
        (_, None) => false,
    };
    let lockfile = over
        .lockfile
        .clone()
        .or_else(|| fact(&detected.lockfile))
        .filter(|l| lock_matches(l));
    let install_extras = over.install_extras.clone().unwrap_or_else(|| {
        if same_language {
            detected
                .install_extras
                .iter()
                .map(|f| f.value.clone())
                .collect()
        } else {
            Vec::new()
        }
    });
    let build_output = over
        .build_output
        .clone()
        .or_else(|| fact(&detected.build_output))
        .unwrap_or_else(|| {
            if leaf.is_static() && !build_step {
                ".".into()
            } else {
                "dist".into()
            }
        });
    let build_command = if !build_step || matches!(leaf, Leaf::Go | Leaf::Rust) || leaf.is_java() {
        over.build_command.clone().unwrap_or_default()
    } else {
        over.build_command
            .clone()
            .or_else(|| argv_fact(&detected.build_command))
            .map(|b| with_pm(b, pm))
            .unwrap_or_else(|| strings(&[run, "run", "build"]))
    };
    let binary = over
        .binary
        .clone()
        .or_else(|| fact(&detected.binary))
        .unwrap_or_else(|| slug(name));
    let go_main = over
        .go_main
        .clone()
        .or_else(|| fact(&detected.go_main))
        .unwrap_or_else(|| ".".into());
    // A command that is the detected one for another port (an answers file printed before the
    // port changed) is re-rendered for this port; any other command is the user's own.
    let own = |given: &Option<Vec<String>>,
               detected: &Option<crate::domain::detect::Fact<Command>>| {
        given.clone().filter(|argv| {
            !(same_language
                && detected
                    .as_ref()
                    .is_some_and(|c| c.value.renders_as(pm, argv)))
        })
    };
    let entry_override = own(&over.entrypoint, &detected.entrypoint);
    // .NET: the project restored, built and published (`src/Api/Api.csproj`).
    let dotnet_project = over
        .module
        .clone()
        .or_else(|| fact(&detected.module))
        .unwrap_or_else(|| format!("{binary}.csproj"));
    let java = leaf.is_java().then(|| {
        JavaProject::new(
            leaf,
            over.framework.clone().or_else(|| fact(&detected.framework)),
            over.main_class
                .clone()
                .or_else(|| fact(&detected.main_class)),
            over.module.clone().or_else(|| fact(&detected.module)),
            &install_extras,
        )
    });
    let entrypoint = entry_override
        .clone()
        .unwrap_or_else(|| match (leaf, &java) {
            (_, Some(java)) => java.entrypoint(),
            _ => match leaf {
                Leaf::Go => vec![format!("/{binary}")],
                Leaf::Rust => vec![format!("/usr/local/bin/{binary}")],
                Leaf::StaticNginx => strings(&["nginx", "-g", "daemon off;"]),
                Leaf::PhpApache => strings(&["apache2-foreground"]),
                Leaf::Dotnet => vec!["dotnet".into(), format!("{binary}.dll")],
                Leaf::StaticCaddy => strings(&[
                    "caddy",
                    "file-server",
                    "--root",
                    "/srv",
                    "--listen",
                    ":8080",
                ]),
                _ => command_fact(&detected.entrypoint).unwrap_or_else(|| match leaf {
                    Leaf::NodeBuild => vec!["node".into(), format!("{build_output}/index.js")],
                    Leaf::NodePlain => strings(&["node", "index.js"]),
                    Leaf::Deno => strings(&[
                        "deno",
                        "run",
                        "--allow-net",
                        "--allow-env",
                        "--allow-read",
                        "main.ts",
                    ]),
                    // Ruby without a server found: Puma serving config.ru (Rack's convention).
                    Leaf::Ruby => vec![
                        "bundle".into(),
                        "exec".into(),
                        "puma".into(),
                        "--bind".into(),
                        format!("tcp://0.0.0.0:{port}"),
                    ],
                    // A Python project whose production server could not be found (Django without
                    // wsgi.py): the dev server is what is known to start it.
                    _ => command_fact(&detected.dev_command)
                        .unwrap_or_else(|| strings(&["python", "main.py"])),
                }),
            },
        });
    let dev_command = own(&over.dev_command, &detected.dev_command).unwrap_or_else(|| {
        let detected_dev = command_fact(&detected.dev_command);
        if let Some(java) = &java {
            return java.dev_command();
        }
        match leaf {
            Leaf::Go => strings(&["go", "run", &go_main]),
            // PHP reads the synced sources on the next request: the same server serves them.
            Leaf::PhpApache => entrypoint.clone(),
            Leaf::Rust => strings(&["cargo", "run", "--bin", &binary]),
            Leaf::Dotnet => strings(&[
                "dotnet",
                "watch",
                "run",
                "--project",
                &dotnet_project,
                "--no-launch-profile",
            ]),
            Leaf::StaticNginx | Leaf::StaticCaddy if !build_step => entrypoint.clone(),
            // A site whose framework is unknown: Vite-style flags on `dev`, bound to 0.0.0.0.
            Leaf::StaticNginx | Leaf::StaticCaddy => detected_dev.unwrap_or_else(|| {
                Command::script(
                    "dev",
                    vec![
                        "--host".into(),
                        "0.0.0.0".into(),
                        "--port".into(),
                        Word::port(),
                    ],
                )
                .argv(pm, port)
            }),
            Leaf::NodeBuild => detected_dev.unwrap_or_else(|| {
                let build = build_command.join(" ");
                let start = entrypoint.join(" ");
                vec!["sh".into(), "-c".into(), format!("{build} && exec {start}")]
            }),
            Leaf::NodePlain => detected_dev.unwrap_or_else(|| match entrypoint.as_slice() {
                [node, file] if node == "node" => strings(&["node", "--watch", file]),
                _ => entrypoint.clone(),
            }),
            _ => detected_dev.unwrap_or_else(|| entrypoint.clone()),
        }
    });
    let source_dir = over
        .source_dir
        .clone()
        .or_else(|| fact(&detected.source_dir))
        .unwrap_or_else(|| if leaf.is_java() { "src" } else { "." }.into());
    Project {
        version,
        lockfile,
        install_extras,
        yarn_berry: over.yarn_berry.unwrap_or_else(|| {
            same_language
                && pm == Some(PackageManager::Yarn)
                && detected.yarn_berry.as_ref().is_some_and(|f| f.value)
        }),
        build_command,
        build_output,
        entrypoint,
        dev_command,
        source_dir,
        go_main,
        binary,
        framework: match &java {
            Some(j) => j.framework.clone(),
            None if matches!(leaf, Leaf::PhpApache | Leaf::Ruby | Leaf::Dotnet) => over
                .framework
                .clone()
                .or_else(|| fact(&detected.framework))
                .unwrap_or_default(),
            None => String::new(),
        },
        main_class: java
            .as_ref()
            .map(|j| j.main_class.clone())
            .unwrap_or_default(),
        module: match &java {
            Some(j) => j.module.clone(),
            None if leaf == Leaf::Dotnet => dotnet_project,
            None => String::new(),
        },
        extensions: over.extensions.clone().unwrap_or_else(|| {
            if same_language {
                detected
                    .extensions
                    .iter()
                    .map(|f| f.value.clone())
                    .collect()
            } else {
                Vec::new()
            }
        }),
        gems: over.gems.clone().unwrap_or_else(|| {
            if same_language {
                detected.gems.iter().map(|f| f.value.clone()).collect()
            } else {
                Vec::new()
            }
        }),
        workspace_members: over.workspace_members.clone().unwrap_or_else(|| {
            if same_language {
                detected.workspace_members.clone()
            } else {
                Vec::new()
            }
        }),
        runtime_files: over.runtime_files.clone().unwrap_or_else(|| {
            // Only a built Node server has them (a static site's files are its whole output).
            if same_language && leaf == Leaf::NodeBuild {
                detected
                    .runtime_files
                    .iter()
                    .map(|f| f.value.clone())
                    .collect()
            } else {
                Vec::new()
            }
        }),
        dev_group: over
            .dev_group
            .unwrap_or(same_language && detected.dev_group),
        server_packages: over.server_packages.clone().unwrap_or_else(|| {
            // Only for the command detection chose; an entrypoint of the user's own is theirs.
            if same_language && entry_override.is_none() {
                detected
                    .server_packages
                    .iter()
                    .map(|f| f.value.clone())
                    .collect()
            } else {
                Vec::new()
            }
        }),
        health_path: over
            .health_path
            .clone()
            .or_else(|| fact(&detected.health_path))
            // A JVM app without a health dependency: its root answers once it serves.
            .unwrap_or_else(|| {
                if leaf.is_java() || matches!(leaf, Leaf::PhpApache | Leaf::Ruby) {
                    "/"
                } else {
                    "/health"
                }
                .into()
            }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slug_and_pm_swap() {
        assert_eq!(slug("My App_2"), "my-app-2");
        assert_eq!(slug("___"), "app");
        assert_eq!(
            with_pm(strings(&["npm", "run", "dev"]), Some(PackageManager::Pnpm)),
            strings(&["pnpm", "run", "dev"])
        );
        assert_eq!(
            with_pm(strings(&["node", "x.js"]), Some(PackageManager::Pnpm)),
            strings(&["node", "x.js"])
        );
    }
}
