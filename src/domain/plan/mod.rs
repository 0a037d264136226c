//! Rendering: `Answers` → template context (`context`, `compose`, `health`) → the three files
//! (Dockerfile, .dockerignore, compose.yaml) from minijinja templates embedded from
//! `assets/templates/`. A user override (same file name, read by the caller from the config dir)
//! replaces the embedded template; rendering itself does no I/O.

mod compose;
mod context;
pub mod diff;
mod dotnet;
mod health;
mod java;
pub mod monorepo;
mod php;
pub mod pins;
mod ruby;

use std::collections::BTreeMap;

pub use context::{Context, context, manifests, shell_word};
pub use health::{HEARTBEAT, Health, dev_health, health};

use crate::domain::detect::Language;
use crate::domain::wizard::{Answers, Leaf};

/// A generated file, path relative to the project root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedFile {
    pub path: String,
    pub text: String,
}

/// A template that does not render: names the template (and whether it is a user override).
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum PlanError {
    #[error("template {name}{} does not render: {detail}", if *.overridden { " (your override)" } else { "" })]
    #[diagnostic(help(
        "fix or remove the override in the devbox templates directory (`devbox init --print-template-dir` shows it)"
    ))]
    Template {
        name: String,
        overridden: bool,
        detail: String,
    },
}

/// Every embedded template, by file name.
pub const TEMPLATES: &[(&str, &str)] = &[
    (
        "Dockerfile.go.j2",
        include_str!("../../../assets/templates/Dockerfile.go.j2"),
    ),
    (
        "Dockerfile.java.j2",
        include_str!("../../../assets/templates/Dockerfile.java.j2"),
    ),
    (
        "Dockerfile.node-build.j2",
        include_str!("../../../assets/templates/Dockerfile.node-build.j2"),
    ),
    (
        "Dockerfile.node-plain.j2",
        include_str!("../../../assets/templates/Dockerfile.node-plain.j2"),
    ),
    (
        "Dockerfile.php-apache.j2",
        include_str!("../../../assets/templates/Dockerfile.php-apache.j2"),
    ),
    (
        "Dockerfile.deno.j2",
        include_str!("../../../assets/templates/Dockerfile.deno.j2"),
    ),
    (
        "dockerignore.deno.j2",
        include_str!("../../../assets/templates/dockerignore.deno.j2"),
    ),
    (
        "Dockerfile.dotnet.j2",
        include_str!("../../../assets/templates/Dockerfile.dotnet.j2"),
    ),
    (
        "dockerignore.dotnet.j2",
        include_str!("../../../assets/templates/dockerignore.dotnet.j2"),
    ),
    (
        "Dockerfile.ruby.j2",
        include_str!("../../../assets/templates/Dockerfile.ruby.j2"),
    ),
    (
        "Dockerfile.python-pip.j2",
        include_str!("../../../assets/templates/Dockerfile.python-pip.j2"),
    ),
    (
        "Dockerfile.python-poetry.j2",
        include_str!("../../../assets/templates/Dockerfile.python-poetry.j2"),
    ),
    (
        "Dockerfile.python-uv.j2",
        include_str!("../../../assets/templates/Dockerfile.python-uv.j2"),
    ),
    (
        "Dockerfile.rust.j2",
        include_str!("../../../assets/templates/Dockerfile.rust.j2"),
    ),
    (
        "Dockerfile.static-caddy.j2",
        include_str!("../../../assets/templates/Dockerfile.static-caddy.j2"),
    ),
    (
        "Dockerfile.static-nginx.j2",
        include_str!("../../../assets/templates/Dockerfile.static-nginx.j2"),
    ),
    (
        "_compose_app.j2",
        include_str!("../../../assets/templates/_compose_app.j2"),
    ),
    (
        "_ignore_common.j2",
        include_str!("../../../assets/templates/_ignore_common.j2"),
    ),
    (
        "_node_base.j2",
        include_str!("../../../assets/templates/_node_base.j2"),
    ),
    (
        "_node_dev.j2",
        include_str!("../../../assets/templates/_node_dev.j2"),
    ),
    (
        "_probe.j2",
        include_str!("../../../assets/templates/_probe.j2"),
    ),
    (
        "_python_base.j2",
        include_str!("../../../assets/templates/_python_base.j2"),
    ),
    (
        "_python_dev_user.j2",
        include_str!("../../../assets/templates/_python_dev_user.j2"),
    ),
    (
        "_python_production.j2",
        include_str!("../../../assets/templates/_python_production.j2"),
    ),
    (
        "_static_build.j2",
        include_str!("../../../assets/templates/_static_build.j2"),
    ),
    (
        "compose.yaml.j2",
        include_str!("../../../assets/templates/compose.yaml.j2"),
    ),
    (
        "compose.monorepo.yaml.j2",
        include_str!("../../../assets/templates/compose.monorepo.yaml.j2"),
    ),
    (
        "dockerignore.go.j2",
        include_str!("../../../assets/templates/dockerignore.go.j2"),
    ),
    (
        "dockerignore.java.j2",
        include_str!("../../../assets/templates/dockerignore.java.j2"),
    ),
    (
        "dockerignore.node.j2",
        include_str!("../../../assets/templates/dockerignore.node.j2"),
    ),
    (
        "dockerignore.php.j2",
        include_str!("../../../assets/templates/dockerignore.php.j2"),
    ),
    (
        "dockerignore.ruby.j2",
        include_str!("../../../assets/templates/dockerignore.ruby.j2"),
    ),
    (
        "dockerignore.python.j2",
        include_str!("../../../assets/templates/dockerignore.python.j2"),
    ),
    (
        "dockerignore.rust.j2",
        include_str!("../../../assets/templates/dockerignore.rust.j2"),
    ),
    (
        "dockerignore.static.j2",
        include_str!("../../../assets/templates/dockerignore.static.j2"),
    ),
];

/// The template names used for `leaf`: Dockerfile, .dockerignore, compose.yaml.
pub fn template_names(leaf: Leaf) -> [String; 3] {
    let language = match leaf {
        Leaf::NodeBuild | Leaf::NodePlain => Language::Node,
        Leaf::PythonPip | Leaf::PythonUv | Leaf::PythonPoetry => Language::Python,
        Leaf::Go => Language::Go,
        Leaf::Rust => Language::Rust,
        Leaf::JavaMaven | Leaf::JavaGradle => Language::Java,
        Leaf::PhpApache => Language::Php,
        Leaf::Ruby => Language::Ruby,
        Leaf::Dotnet => Language::Dotnet,
        Leaf::Deno => Language::Deno,
        Leaf::StaticNginx | Leaf::StaticCaddy => Language::Static,
    };
    // One Dockerfile template for both build tools: the context carries their differences.
    let dockerfile = if leaf.is_java() {
        "java"
    } else {
        leaf.as_str()
    };
    [
        format!("Dockerfile.{dockerfile}.j2"),
        format!("dockerignore.{}.j2", language.as_str()),
        "compose.yaml.j2".to_string(),
    ]
}

/// Renders the three files. `overrides` maps template file names to user-provided texts.
pub fn render(
    answers: &Answers,
    overrides: &BTreeMap<String, String>,
) -> Result<Vec<RenderedFile>, PlanError> {
    let env = environment(overrides)?;
    let ctx = context(answers);
    let paths = ["Dockerfile", ".dockerignore", "compose.yaml"];
    let mut files = Vec::with_capacity(3);
    for (name, path) in template_names(answers.leaf).iter().zip(paths) {
        files.push(RenderedFile {
            path: path.to_string(),
            text: render_one(&env, name, &ctx, overrides)?,
        });
    }
    Ok(files)
}

/// Every template (the user's override where there is one), ready to render.
fn environment(
    overrides: &BTreeMap<String, String>,
) -> Result<minijinja::Environment<'static>, PlanError> {
    let mut env = minijinja::Environment::new();
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.set_keep_trailing_newline(true);
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
    for (name, text) in TEMPLATES {
        let source = overrides.get(*name).map_or(*text, String::as_str);
        env.add_template_owned(name.to_string(), source.to_string())
            .map_err(|err| template_error(name, overrides, &err))?;
    }
    Ok(env)
}

/// One template rendered with `ctx`, blank-line runs collapsed.
fn render_one(
    env: &minijinja::Environment<'static>,
    name: &str,
    ctx: &impl serde::Serialize,
    overrides: &BTreeMap<String, String>,
) -> Result<String, PlanError> {
    let template = env
        .get_template(name)
        .map_err(|err| template_error(name, overrides, &err))?;
    let text = template
        .render(ctx)
        .map_err(|err| template_error(name, overrides, &err))?;
    Ok(tidy(&text))
}

fn template_error(
    name: &str,
    overrides: &BTreeMap<String, String>,
    err: &minijinja::Error,
) -> PlanError {
    let mut detail = err.to_string();
    if let Some(line) = err.line() {
        detail = format!("line {line}: {detail}");
    }
    PlanError::Template {
        name: name.to_string(),
        overridden: overrides.contains_key(name),
        detail,
    }
}

/// Collapses runs of blank lines left by skipped template blocks and ends with one newline.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    let trimmed = out.trim_matches('\n');
    format!("{trimmed}\n")
}
