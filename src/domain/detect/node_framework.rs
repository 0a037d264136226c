//! What Node frameworks really run: the dev server command (the package.json script that starts
//! it, told to bind 0.0.0.0 on the settled port through the flag or variable that framework
//! reads), the build output directory (angular.json `outputPath`, `outDir` in vite/astro
//! configs, Vue CLI's `outputDir`…), and a server framework's production command.

use std::collections::BTreeSet;

use serde_json::Value;

use super::command::{Command, Word};
use super::facts::{Fact, Reason, line_of};

/// How a dev server is told its address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Bind {
    /// `HOST_FLAG 0.0.0.0 PORT_FLAG <port>`.
    Flags(&'static str, &'static str),
    /// Create React App reads `HOST` and `PORT`; without `CI=true` it exits as soon as stdin
    /// ends (no terminal in a container), and `BROWSER=none` stops it opening one.
    CraEnv,
}

/// One framework's facts.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Framework {
    /// The dependency that identifies it.
    pub dep: &'static str,
    /// Its command in `node_modules/.bin`.
    pub tool: &'static str,
    /// Subcommands that start the dev server; `""` means the bare tool does.
    pub dev: &'static [&'static str],
    /// Subcommands that do something else (so `vite build` is not taken for the dev server).
    pub other: &'static [&'static str],
    pub bind: Bind,
    /// Default build output.
    pub output: &'static str,
    /// Builds a static site (served by nginx/caddy), not a server.
    pub static_site: bool,
}

const HOST_PORT: Bind = Bind::Flags("--host", "--port");
const SHORT: Bind = Bind::Flags("-H", "-p");

const fn fw(
    dep: &'static str,
    tool: &'static str,
    dev: &'static [&'static str],
    other: &'static [&'static str],
    bind: Bind,
    output: &'static str,
    static_site: bool,
) -> Framework {
    Framework {
        dep,
        tool,
        dev,
        other,
        bind,
        output,
        static_site,
    }
}

/// Most specific first: meta-frameworks before the bundler they are built on.
pub(crate) const FRAMEWORKS: &[Framework] = &[
    fw(
        "next",
        "next",
        &["dev"],
        &["build", "start", "lint", "export"],
        SHORT,
        ".next",
        false,
    ),
    fw(
        "nuxt",
        "nuxt",
        &["dev"],
        &["build", "generate", "preview", "prepare", "start"],
        HOST_PORT,
        ".output",
        false,
    ),
    fw(
        "@sveltejs/kit",
        "vite",
        &["", "dev", "serve"],
        &["build", "preview", "optimize"],
        HOST_PORT,
        "build",
        false,
    ),
    fw(
        "astro",
        "astro",
        &["dev", ""],
        &["build", "preview", "check", "sync", "add"],
        HOST_PORT,
        "dist",
        true,
    ),
    fw(
        "vitepress",
        "vitepress",
        &["dev", ""],
        &["build", "preview", "serve", "init"],
        HOST_PORT,
        "docs/.vitepress/dist",
        true,
    ),
    fw(
        "@docusaurus/core",
        "docusaurus",
        &["start"],
        &["build", "serve", "deploy", "clear"],
        HOST_PORT,
        "build",
        true,
    ),
    fw(
        "gatsby",
        "gatsby",
        &["develop"],
        &["build", "serve", "clean"],
        SHORT,
        "public",
        true,
    ),
    fw(
        "@angular/cli",
        "ng",
        &["serve", "s"],
        &["build", "test", "lint", "e2e"],
        HOST_PORT,
        "dist",
        true,
    ),
    fw(
        "@vue/cli-service",
        "vue-cli-service",
        &["serve"],
        &["build", "lint", "test:unit"],
        HOST_PORT,
        "dist",
        true,
    ),
    fw(
        "react-scripts",
        "react-scripts",
        &["start"],
        &["build", "test", "eject"],
        Bind::CraEnv,
        "build",
        true,
    ),
    fw(
        "parcel",
        "parcel",
        &["", "serve"],
        &["build", "watch"],
        HOST_PORT,
        "dist",
        true,
    ),
    fw(
        "vite",
        "vite",
        &["", "dev", "serve"],
        &["build", "preview", "optimize"],
        HOST_PORT,
        "dist",
        true,
    ),
];

/// The first framework the dependencies name.
pub(crate) fn framework(deps: &BTreeSet<String>) -> Option<&'static Framework> {
    FRAMEWORKS.iter().find(|f| deps.contains(f.dep))
}

/// package.json's scripts with their lines.
pub(crate) struct Scripts<'a> {
    pub map: Option<&'a serde_json::Map<String, Value>>,
    pub text: &'a str,
}

impl<'a> Scripts<'a> {
    pub fn get(&self, name: &str) -> Option<&'a str> {
        self.map?.get(name).and_then(Value::as_str)
    }

    pub fn line(&self, name: &str) -> Option<usize> {
        let start = line_of(self.text, "\"scripts\"").unwrap_or(1);
        super::facts::line_of_after(self.text, start, &format!("\"{name}\""))
    }

    pub fn reason(&self, name: &str, note: &str) -> Reason {
        Reason::at("package.json", self.line(name), note)
    }

    /// Script names, conventional dev names first.
    fn names(&self) -> Vec<&'a str> {
        let mut names: Vec<&str> = ["dev", "start", "serve", "develop"]
            .into_iter()
            .filter(|n| self.get(n).is_some())
            .collect();
        for name in self.map.into_iter().flat_map(|m| m.keys()) {
            if !names.contains(&name.as_str()) {
                names.push(name);
            }
        }
        names
    }
}

/// The words of a script after leading `VAR=value` assignments and `cross-env`/`npx`.
pub(crate) fn program_words(script: &str) -> Vec<&str> {
    script
        .split("&&")
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .skip_while(|w| w.contains('=') || matches!(*w, "cross-env" | "npx" | "env"))
        .collect()
}

/// Whether a script starts `framework`'s dev server.
fn runs_dev_server(framework: &Framework, script: &str) -> bool {
    let words = program_words(script);
    if words.first() != Some(&framework.tool) {
        return false;
    }
    match words.get(1) {
        None => framework.dev.contains(&""),
        Some(flag) if flag.starts_with('-') => framework.dev.contains(&""),
        Some(sub) if framework.dev.contains(sub) => true,
        // `vitepress docs`: a bare positional is the root directory, unless it is a subcommand.
        Some(sub) => framework.dev.contains(&"") && !framework.other.contains(sub),
    }
}

fn bind_words(bind: Bind) -> Vec<Word> {
    match bind {
        Bind::Flags(host, port) => vec![host.into(), "0.0.0.0".into(), port.into(), Word::port()],
        Bind::CraEnv => Vec::new(),
    }
}

fn with_bind_env(command: Command, bind: Bind) -> Command {
    match bind {
        Bind::CraEnv => command
            .with_env("HOST", "0.0.0.0".into())
            .with_env("PORT", Word::port())
            .with_env("BROWSER", "none".into())
            .with_env("CI", "true".into()),
        Bind::Flags(..) => command,
    }
}

/// The dev server: the script that starts it, else the tool itself, bound to 0.0.0.0.
pub(crate) fn dev_command(framework: &Framework, scripts: &Scripts) -> Fact<Command> {
    let script = scripts.names().into_iter().find(|name| {
        scripts
            .get(name)
            .is_some_and(|s| runs_dev_server(framework, s))
    });
    let (command, reason) = match script {
        Some(name) => (
            Command::script(name, bind_words(framework.bind)),
            scripts.reason(
                name,
                &format!(
                    "scripts.{name} is \"{}\" ({} dev server, bound to 0.0.0.0)",
                    scripts.get(name).unwrap_or_default(),
                    framework.dep
                ),
            ),
        ),
        None => {
            let mut argv = vec![Word::text(format!("node_modules/.bin/{}", framework.tool))];
            if let Some(sub) = framework.dev.iter().find(|s| !s.is_empty()) {
                argv.push((*sub).into());
            }
            argv.extend(bind_words(framework.bind));
            (
                Command::exec_words(argv),
                Reason::at(
                    "package.json",
                    None,
                    format!(
                        "no script starts the {} dev server: running it directly",
                        framework.dep
                    ),
                ),
            )
        }
    };
    let mut command = with_bind_env(command, framework.bind);
    if framework.tool == "ng" {
        // The Angular CLI asks about analytics on first run; nobody answers in a container.
        command = command.with_env("NG_CLI_ANALYTICS", "false".into());
    }
    Fact::new(command, reason)
}

/// A server framework's production command, when the framework fixes it.
pub(crate) fn server_entry(
    framework: &Framework,
    deps: &BTreeSet<String>,
    scripts: &Scripts,
) -> Option<Fact<Command>> {
    let reason = |note: &str| scripts.reason("start", note);
    let bound = |argv: &[&str]| {
        Command::exec(argv.iter().copied())
            .with_env("HOST", "0.0.0.0".into())
            .with_env("PORT", Word::port())
    };
    match framework.dep {
        "next" => {
            let mut argv: Vec<Word> = vec!["node_modules/.bin/next".into(), "start".into()];
            argv.extend(bind_words(framework.bind));
            Some(Fact::new(
                Command::exec_words(argv),
                reason("next start serves the build, bound to 0.0.0.0"),
            ))
        }
        "nuxt" => Some(Fact::new(
            bound(&["node", ".output/server/index.mjs"]),
            reason("nuxt build writes a standalone server to .output (reads HOST and PORT)"),
        )),
        "@sveltejs/kit" if deps.contains("@sveltejs/adapter-node") => Some(Fact::new(
            bound(&["node", "build"]),
            reason("@sveltejs/adapter-node writes a server to build/ (reads HOST and PORT)"),
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scripts(json: &str) -> Value {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn dev_server_scripts_are_recognised() {
        let vite = framework(&BTreeSet::from(["vite".to_string()])).unwrap();
        assert!(runs_dev_server(vite, "vite"));
        assert!(runs_dev_server(vite, "NODE_ENV=development vite --open"));
        assert!(!runs_dev_server(vite, "vite build"));
        assert!(!runs_dev_server(vite, "tsc && vite build"));
        let json = scripts(r#"{"scripts": {"build": "vite build", "dev": "vite"}}"#);
        let text = r#"{"scripts": {"build": "vite build", "dev": "vite"}}"#;
        let s = Scripts {
            map: json.get("scripts").and_then(Value::as_object),
            text,
        };
        assert_eq!(
            dev_command(vite, &s).value.argv(None, 8080),
            [
                "npm", "run", "dev", "--", "--host", "0.0.0.0", "--port", "8080"
            ]
        );
    }
}
