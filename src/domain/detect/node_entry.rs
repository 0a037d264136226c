//! A Node project's production command — a server framework's own, `scripts.start` when what it
//! runs is installed in production (not `nest start` from a devDependency, not a monorepo
//! fan-out), `start:prod`, `main`, the compiled entry file — the files its server reads beside
//! the build, and the port its scripts name.

use serde_json::Value;

use super::command::Command;
use super::facts::{Fact, Reason, line_of};
use super::node_found::NodeFound;
use super::node_framework::{self, Scripts};
use super::{PackageManager, ProjectScan};

/// Commands whose package is not named after them.
const BIN_PACKAGES: &[(&str, &str)] = &[
    ("nest", "@nestjs/cli"),
    ("remix-serve", "@remix-run/serve"),
    ("react-router-serve", "@react-router/serve"),
    ("pm2-runtime", "pm2"),
    ("ts-node-dev", "ts-node-dev"),
];

/// The last command of a `a && b` chain: the one left running.
fn last_command(script: &str) -> Vec<&str> {
    let last = script.rsplit("&&").next().unwrap_or(script);
    node_framework::program_words(last)
}

/// `npm run x`, `yarn x`, `pnpm start`: the script another script delegates to.
fn delegated<'a>(words: &[&'a str]) -> Option<&'a str> {
    match words {
        ["npm" | "pnpm" | "yarn" | "bun", "run", name, ..] => Some(name),
        ["npm" | "pnpm" | "yarn" | "bun", "start", ..] => Some("start"),
        ["yarn" | "pnpm", name, ..] if !name.starts_with('-') => Some(name),
        _ => None,
    }
}

/// Whether the command a script runs is installed in the production image.
fn installed_in_production(binary: &str, found: &NodeFound) -> bool {
    let package = BIN_PACKAGES
        .iter()
        .find(|(bin, _)| *bin == binary)
        .map(|(_, package)| package.to_string())
        .or_else(|| {
            found
                .deps
                .iter()
                .find(|d| *d == binary || d.rsplit('/').next() == Some(binary))
                .cloned()
        });
    match package {
        Some(package) => found.prod_deps.contains(&package),
        // Not a dependency we know of: trust the script.
        None => true,
    }
}

/// The production command from the script `name`, following delegation a few levels.
/// A file Bun (or Node) runs directly.
fn is_source(word: &str) -> bool {
    [".ts", ".tsx", ".js", ".mjs", ".cjs", ".mts", ".jsx"]
        .iter()
        .any(|ext| word.ends_with(ext))
}

fn from_script(
    found: &NodeFound,
    scripts: &Scripts,
    name: &str,
    depth: usize,
) -> Option<Fact<Command>> {
    let script = scripts.get(name)?;
    if is_orchestrator(script) || depth > 3 {
        return None;
    }
    let words = last_command(script);
    // `bun run index.ts` runs a file, not a script of that name.
    let runs_file = matches!(words.as_slice(), ["bun", "run", file, ..] if is_source(file));
    if !runs_file && let Some(next) = delegated(&words) {
        return from_script(found, scripts, next, depth + 1);
    }
    let reason = scripts.reason(name, &format!("scripts.{name} is \"{script}\""));
    match words.as_slice() {
        ["node", _, ..] => Some(Fact::new(Command::exec(words.iter().copied()), reason)),
        // `bun run index.ts` and `bun index.ts` run a file as it is (Bun needs no build).
        ["bun", "run", file, rest @ ..] | ["bun", file, rest @ ..] if is_source(file) => {
            let argv = ["bun", file].into_iter().chain(rest.iter().copied());
            Some(Fact::new(Command::exec(argv), reason))
        }
        [first, rest @ ..] if installed_in_production(first, found) => {
            // Through the package's own binary, so signals reach the server without npm.
            let mut argv = vec![format!("node_modules/.bin/{first}")];
            argv.extend(rest.iter().map(|w| w.to_string()));
            Some(Fact::new(Command::exec(argv), reason))
        }
        _ => None,
    }
}

pub(crate) fn entrypoint(
    scan: &ProjectScan,
    json: &Value,
    scripts: &Scripts,
    found: &NodeFound,
) -> Option<Fact<Command>> {
    if let Some(framework) = found.framework {
        if framework.static_site {
            return None;
        }
        if let Some(entry) = node_framework::server_entry(framework, &found.deps, scripts) {
            return Some(entry);
        }
    }
    for name in [
        "start",
        "start:prod",
        "start:production",
        "prod",
        "serve:prod",
    ] {
        if let Some(entry) = from_script(found, scripts, name, 0) {
            return Some(entry);
        }
    }
    // Bun's templates name the entry in `module` (`bun init`): Bun runs it as it is.
    if found.partial.package_manager.as_ref().map(|p| p.value) == Some(PackageManager::Bun)
        && let Some(module) = json
            .get("module")
            .and_then(Value::as_str)
            .filter(|m| is_source(m))
    {
        return Some(Fact::new(
            Command::exec(["bun", module.trim_start_matches("./")]),
            Reason::at(
                "package.json",
                line_of(scripts.text, "\"module\""),
                format!("module is \"{module}\" (Bun runs it as it is)"),
            ),
        ));
    }
    if let Some(main) = json.get("main").and_then(Value::as_str) {
        return Some(Fact::new(
            Command::exec(["node", main.trim_start_matches("./")]),
            Reason::at(
                "package.json",
                line_of(scripts.text, "\"main\""),
                format!("main is \"{main}\""),
            ),
        ));
    }
    if found.partial.build_step.as_ref().is_some_and(|b| b.value) {
        return Some(compiled_entry(scan, found));
    }
    [
        "server.js",
        "index.js",
        "app.js",
        "main.js",
        "src/index.js",
        "src/server.js",
        "src/main.js",
        "src/app.js",
    ]
    .into_iter()
    .find(|file| scan.has(file))
    .map(|file| {
        Fact::new(
            Command::exec(["node", file]),
            Reason::at(file, None, "conventional entry file"),
        )
    })
}

/// The compiled form of the TypeScript entry file (`src/main.ts` → `dist/main.js`).
fn compiled_entry(scan: &ProjectScan, found: &NodeFound) -> Fact<Command> {
    let out = found
        .partial
        .build_output
        .as_ref()
        .map_or("dist", |o| o.value.as_str());
    let source = [
        "src/main.ts",
        "src/index.ts",
        "src/server.ts",
        "src/app.ts",
        "main.ts",
        "index.ts",
        "server.ts",
    ]
    .into_iter()
    .find(|f| scan.has(f));
    match source {
        Some(file) => {
            let stem = file.trim_start_matches("src/").trim_end_matches(".ts");
            let built = format!("{out}/{stem}.js");
            Fact::new(
                Command::exec(["node", &built]),
                Reason::at(
                    file,
                    None,
                    format!("no usable start script or main: the build of {file} is {built}"),
                ),
            )
        }
        None => Fact::new(
            Command::exec(["node".to_string(), format!("{out}/index.js")]),
            Reason::default_for(format!(
                "no scripts.start or main: assuming the build writes {out}/index.js"
            )),
        ),
    }
}

/// A port the dev or start script passes (`next dev -p 4000`, `--port=5173`, `PORT=4000 node …`).
pub(crate) fn script_port(scripts: &Scripts) -> Option<Fact<u16>> {
    for name in ["dev", "start", "serve", "develop"] {
        let Some(script) = scripts.get(name) else {
            continue;
        };
        let words: Vec<&str> = script.split_whitespace().collect();
        let port = words.iter().enumerate().find_map(|(i, word)| {
            let value = match *word {
                "-p" | "--port" => words.get(i + 1).copied(),
                w => w
                    .strip_prefix("--port=")
                    .or_else(|| w.strip_prefix("PORT=")),
            }?;
            value.parse::<u16>().ok().filter(|p| *p >= 1024 || *p == 80)
        });
        if let Some(port) = port {
            return Some(Fact::new(
                port,
                scripts.reason(name, &format!("scripts.{name} is \"{script}\"")),
            ));
        }
    }
    None
}

/// Scripts that run other packages' scripts (a monorepo root), not an app.
pub(crate) fn is_orchestrator(script: &str) -> bool {
    let words = node_framework::program_words(script);
    match words.as_slice() {
        [tool, ..]
            if [
                "turbo",
                "nx",
                "lerna",
                "npm-run-all",
                "run-p",
                "run-s",
                "concurrently",
            ]
            .contains(tool) =>
        {
            true
        }
        [pm, rest @ ..] if ["npm", "pnpm", "yarn", "bun"].contains(pm) => rest.iter().any(|w| {
            w.starts_with("--filter")
                || w.starts_with("--workspace")
                || matches!(
                    *w,
                    "-r" | "--recursive" | "-w" | "workspaces" | "workspace" | "-ws"
                )
        }),
        _ => false,
    }
}

/// What a server framework reads at run time next to its build output: `next start` serves
/// `public/` and loads `next.config.*`; `remix-serve` serves `public/`.
pub(crate) fn runtime_files(scan: &ProjectScan, found: &NodeFound) -> Vec<Fact<String>> {
    let candidates: &[&str] = if found.deps.contains("next") {
        &[
            "public",
            "next.config.js",
            "next.config.mjs",
            "next.config.ts",
        ]
    } else if found.deps.contains("@remix-run/serve") || found.deps.contains("@react-router/serve")
    {
        &["public"]
    } else {
        &[]
    };
    candidates
        .iter()
        .filter(|f| scan.has(f) || scan.under(f).next().is_some())
        .map(|f| {
            Fact::new(
                f.to_string(),
                Reason::at(f, None, "read by the production server next to the build"),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chains_and_delegation() {
        assert_eq!(
            last_command("npm run build && node dist/x.js"),
            ["node", "dist/x.js"]
        );
        assert_eq!(delegated(&["npm", "run", "serve"]), Some("serve"));
        assert_eq!(delegated(&["yarn", "serve"]), Some("serve"));
        assert_eq!(delegated(&["node", "x"]), None);
    }
}
