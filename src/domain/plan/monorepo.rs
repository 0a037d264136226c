//! A monorepo root: one Dockerfile and .dockerignore per app (in its directory, rendered exactly
//! as `devbox init DIR` would) and one compose.yaml at the root with a service per app — built
//! from its directory, on its own host port, with its watch rules rooted there, told where the
//! other apps answer — sharing one set of add-on services.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::compose::{AddOnCtx, ComposeCtx};
use super::{PlanError, RenderedFile, context, environment, render_one, template_names};
use crate::domain::detect::{Detected, Language, ProjectScan};
use crate::domain::wizard::Answers;
use crate::domain::wizard::summary;

/// One app of the monorepo: its directory (relative to the root) and its settled answers.
#[derive(Debug, Clone)]
pub struct App {
    pub dir: String,
    pub answers: Answers,
}

#[derive(Debug, Clone, Serialize)]
struct AppCtx {
    name: String,
    dir: String,
    leaf: &'static str,
    port: u16,
    host_port: u16,
    port_var: String,
    production_port: u16,
    production_port_var: String,
    compose: ComposeCtx,
    /// The production variant's: its URLs name the other apps' production variants.
    production: ComposeCtx,
}

#[derive(Debug, Clone, Serialize)]
struct MonorepoCtx {
    apps: Vec<AppCtx>,
    add_ons: Vec<AddOnCtx>,
    no_new_privileges: bool,
}

/// Node lockfiles a workspace keeps at its root.
const WORKSPACE_LOCKFILES: [&str; 5] = [
    "package-lock.json",
    "pnpm-lock.yaml",
    "yarn.lock",
    "bun.lock",
    "bun.lockb",
];

/// The Node lockfile at a monorepo root (a workspace's), if there is one.
pub fn root_lockfile(root: &ProjectScan) -> Option<String> {
    WORKSPACE_LOCKFILES
        .into_iter()
        .find(|lock| root.has(lock))
        .map(String::from)
}

/// What is left to do for one app, each line under its directory: the summary's follow-ups and,
/// for a Node app without its own lockfile under a root that has one (a workspace member), what
/// building it from its own directory lacks.
pub fn follow_ups(app: &App, detected: &Detected, root_lockfile: Option<&str>) -> Vec<String> {
    let dir = &app.dir;
    let mut lines = Vec::new();
    let member = app.answers.language == Language::Node && app.answers.project.lockfile.is_none();
    if let Some(lock) = root_lockfile.filter(|_| member) {
        lines.push(format!(
            "{dir}/: the workspace's lockfile ({lock}) is at the root, outside this app's build context: its image installs unpinned, and workspace packages it depends on are missing from the context. To pin and include them, build from the root (`context: .`, `dockerfile: {dir}/Dockerfile`) after pruning the workspace to this app (`pnpm deploy`, `turbo prune`, `yarn workspaces focus`)"
        ));
    }
    lines.extend(
        summary::follow_ups(detected, &app.answers)
            .into_iter()
            .map(|line| format!("{dir}/: {line}")),
    );
    lines
}

/// The template of the root compose.yaml.
pub const MONOREPO_COMPOSE: &str = "compose.monorepo.yaml.j2";

/// Every app's Dockerfile and .dockerignore under its directory, then the root compose.yaml.
pub fn render_monorepo(
    apps: &[App],
    overrides: &BTreeMap<String, String>,
) -> Result<Vec<RenderedFile>, PlanError> {
    let env = environment(overrides)?;
    let names = service_names(apps);
    let mut files = Vec::with_capacity(apps.len() * 2 + 1);
    let mut ctxs = Vec::with_capacity(apps.len());
    for (app, name) in apps.iter().zip(&names) {
        let ctx = context(&app.answers);
        let [dockerfile, ignore, _] = template_names(app.answers.leaf);
        for (template, file) in [(dockerfile, "Dockerfile"), (ignore, ".dockerignore")] {
            files.push(RenderedFile {
                path: format!("{}/{file}", app.dir),
                text: render_one(&env, &template, &ctx, overrides)?,
            });
        }
        ctxs.push((name.clone(), app, ctx));
    }
    let compose = monorepo_ctx(ctxs);
    files.push(RenderedFile {
        path: "compose.yaml".to_string(),
        text: render_one(&env, MONOREPO_COMPOSE, &compose, overrides)?,
    });
    Ok(files)
}

fn monorepo_ctx(ctxs: Vec<(String, &App, super::Context)>) -> MonorepoCtx {
    // Host ports: each app keeps its own where it can; a clash (two Node apps on 3000, an
    // add-on's published port) moves the later one up, since two services cannot publish the
    // same host port.
    let mut used: BTreeSet<u16> = ctxs
        .iter()
        .flat_map(|(_, _, c)| &c.compose.add_ons)
        .filter_map(|a| a.port.rsplit(':').nth(1).and_then(|p| p.parse().ok()))
        .collect();
    let mut take = |wanted: u16| {
        let mut port = wanted;
        while used.contains(&port) {
            port = port.checked_add(1).unwrap_or(1024);
        }
        used.insert(port);
        port
    };
    let mut apps: Vec<AppCtx> = ctxs
        .iter()
        .map(|(name, app, ctx)| {
            let publish = ctx.compose.publish;
            let host_port = if publish { take(ctx.port) } else { ctx.port };
            let production_port = if publish && ctx.compose.read_only {
                take(ctx.compose.production_port)
            } else {
                ctx.compose.production_port
            };
            let var = name.to_ascii_uppercase().replace('-', "_");
            let mut compose = ctx.compose.clone();
            compose.watch = compose
                .watch
                .into_iter()
                .map(|mut rule| {
                    rule.path = under(&app.dir, &rule.path);
                    rule
                })
                .collect();
            compose.add_ons = Vec::new();
            AppCtx {
                name: name.clone(),
                dir: app.dir.clone(),
                leaf: ctx.leaf,
                port: ctx.port,
                host_port,
                port_var: format!("{var}_PORT"),
                production_port,
                production_port_var: format!("{var}_PRODUCTION_PORT"),
                production: compose.clone(),
                compose,
            }
        })
        .collect();
    // Each app is told where the others answer on the project network (`API_URL=http://api:3000`);
    // static sites run no code that could read it.
    // (key, development URL, production URL): the production profile's apps talk to each other.
    let served: Vec<(String, String, String)> = apps
        .iter()
        .filter(|a| a.compose.publish)
        .map(|a| {
            let key = format!("{}_URL", a.name.to_ascii_uppercase().replace('-', "_"));
            let production = if a.compose.read_only {
                format!("{}-production", a.name)
            } else {
                a.name.clone()
            };
            (
                key,
                format!("http://{}:{}", a.name, a.port),
                format!("http://{production}:{}", a.port),
            )
        })
        .collect();
    for (app, (_, source, _)) in apps.iter_mut().zip(&ctxs) {
        if source.answers.leaf.is_static() {
            continue;
        }
        let own = format!("{}_URL", app.name.to_ascii_uppercase().replace('-', "_"));
        for (key, dev, production) in &served {
            if *key == own || app.compose.environment.iter().any(|(k, _)| k == key) {
                continue;
            }
            app.compose.environment.push((key.clone(), dev.clone()));
            app.production
                .environment
                .push((key.clone(), production.clone()));
        }
    }
    let mut add_ons: Vec<AddOnCtx> = Vec::new();
    for add_on in ctxs.iter().flat_map(|(_, _, c)| &c.compose.add_ons) {
        if !add_ons.iter().any(|a| a.name == add_on.name) {
            add_ons.push(add_on.clone());
        }
    }
    MonorepoCtx {
        no_new_privileges: apps.iter().any(|a| a.compose.no_new_privileges),
        apps,
        add_ons,
    }
}

/// A watch path of an app (relative to its directory) as the root compose file sees it.
fn under(dir: &str, path: &str) -> String {
    let rest = path.trim_start_matches("./");
    if rest.is_empty() || rest == "." {
        format!("./{dir}")
    } else {
        format!("./{dir}/{rest}")
    }
}

/// Service names: the directory's last component (`apps/api` → `api`), the whole path where
/// two apps or an add-on would share one.
fn service_names(apps: &[App]) -> Vec<String> {
    let clean = |s: &str| -> String {
        let name: String = s
            .to_ascii_lowercase()
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '-'
                }
            })
            .collect();
        let name = name.trim_matches('-').to_string();
        if name.is_empty() {
            "app".to_string()
        } else {
            name
        }
    };
    let short: Vec<String> = apps
        .iter()
        .map(|a| clean(a.dir.rsplit('/').next().unwrap_or(&a.dir)))
        .collect();
    let reserved = ["postgres", "redis", "mysql"];
    short
        .iter()
        .zip(apps)
        .map(|(name, app)| {
            let clash = short.iter().filter(|n| *n == name).count() > 1
                || reserved.contains(&name.as_str())
                || name.ends_with("-production");
            if clash {
                clean(&app.dir.replace('/', "-"))
            } else {
                name.clone()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn watch_paths_are_rooted_in_the_app() {
        assert_eq!(under("apps/api", "."), "./apps/api");
        assert_eq!(under("apps/api", "./src"), "./apps/api/src");
        assert_eq!(under("web", "./"), "./web");
    }
}
