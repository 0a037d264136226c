//! Node/TypeScript detection from package.json, lockfiles, tsconfig.json and .nvmrc; what a
//! known framework runs comes from `node_framework`, the production command from `node_entry`.

use serde_json::Value;

use super::command::Command;
use super::facts::{Fact, ManifestProblem, Reason, line_of};
use super::node_entry::{entrypoint, is_orchestrator, runtime_files, script_port};
pub(crate) use super::node_found::NodeFound;
use super::node_framework::{self, Scripts};
use super::node_output;
use super::{Language, PackageManager, ProjectScan, ServiceKind};

/// Frameworks that serve HTTP themselves (their presence means "an API", not a static site).
pub(crate) const SERVER_DEPS: &[&str] = &[
    "express",
    "fastify",
    "koa",
    "@hapi/hapi",
    "@nestjs/core",
    "next",
    "nuxt",
    "hono",
    "@hono/node-server",
    "@remix-run/serve",
    "@react-router/serve",
    "@sveltejs/kit",
];

const WORKER_DEPS: &[&str] = &[
    "bullmq",
    "bull",
    "bee-queue",
    "agenda",
    "node-cron",
    "kafkajs",
];

const LOCKFILES: &[(&str, PackageManager)] = &[
    ("package-lock.json", PackageManager::Npm),
    ("npm-shrinkwrap.json", PackageManager::Npm),
    ("pnpm-lock.yaml", PackageManager::Pnpm),
    ("yarn.lock", PackageManager::Yarn),
    ("bun.lock", PackageManager::Bun),
    ("bun.lockb", PackageManager::Bun),
];

pub(crate) fn detect(scan: &ProjectScan, problems: &mut Vec<ManifestProblem>) -> Option<NodeFound> {
    if !scan.has("package.json") {
        return None;
    }
    let text = scan.text("package.json").unwrap_or_default();
    let mut found = NodeFound {
        manifest: text.to_string(),
        ..NodeFound::default()
    };
    found.partial.language = Some(Fact::new(
        Language::Node,
        Reason::at("package.json", None, "package.json at the project root"),
    ));
    let json: Value = match serde_json::from_str(text) {
        Ok(json) => json,
        Err(err) => {
            problems.push(ManifestProblem {
                file: "package.json".into(),
                line: err.line(),
                column: err.column(),
                message: format!("invalid JSON: {err}"),
            });
            return Some(found);
        }
    };
    for key in ["dependencies", "devDependencies"] {
        if let Some(map) = json.get(key).and_then(Value::as_object) {
            found.deps.extend(map.keys().cloned());
            if key == "dependencies" {
                found.prod_deps.extend(map.keys().cloned());
            }
        }
    }
    // A bundler next to a server framework (Vite + Express SSR) builds assets for that server:
    // the server's scripts decide, not the bundler's dev server.
    let serves = SERVER_DEPS.iter().any(|d| found.deps.contains(*d));
    found.framework = node_framework::framework(&found.deps).filter(|f| !f.static_site || !serves);
    let pm = package_manager(scan, &json, text);
    let pm_value = pm.value;
    found.partial.package_manager = Some(pm);
    found.partial.lockfile = LOCKFILES
        .iter()
        .find(|(file, manager)| *manager == pm_value && scan.has(file))
        .map(|(file, _)| Fact::new(file.to_string(), Reason::at(file, None, "lockfile present")));
    for extra in [".npmrc", ".yarnrc.yml", "pnpm-workspace.yaml"] {
        if scan.has(extra) {
            found.partial.install_extras.push(Fact::new(
                extra.to_string(),
                Reason::at(extra, None, "read by the package manager at install time"),
            ));
        }
    }
    found.partial.yarn_berry = (pm_value == PackageManager::Yarn)
        .then(|| yarn_berry(scan, &json, text))
        .flatten();
    // Yarn Berry runs the release `yarnPath` names and loads its plugins and patches at install
    // time: they are manifests too (never its cache or install state).
    if pm_value == PackageManager::Yarn && scan.has(".yarnrc.yml") {
        let kept = [
            ".yarn/releases/",
            ".yarn/plugins/",
            ".yarn/patches/",
            ".yarn/sdks/",
        ];
        for file in scan
            .files
            .iter()
            .filter(|f| kept.iter().any(|dir| f.starts_with(dir)))
        {
            found.partial.install_extras.push(Fact::new(
                file.clone(),
                Reason::at(file, None, "read by Yarn at install time"),
            ));
        }
    }
    // Workspace globs expand to the member directories holding a package.json: their manifests
    // must be copied before the install, or the package manager cannot link them.
    found.partial.workspace_members = expand_members(scan, workspaces(scan, &json));

    let scripts = Scripts {
        map: json.get("scripts").and_then(Value::as_object),
        text,
    };
    let run = |name: &str| {
        vec![
            pm_value.as_str().to_string(),
            "run".into(),
            name.to_string(),
        ]
    };

    let typescript = scan.has("tsconfig.json");
    if let Some(build) = scripts.get("build") {
        let reason = scripts.reason("build", &format!("scripts.build is \"{build}\""));
        found.partial.build_step = Some(Fact::new(true, reason.clone()));
        found.partial.build_command = Some(Fact::new(run("build"), reason));
    } else if pm_value == PackageManager::Bun {
        let reason = Reason::at(
            "package.json",
            None,
            "no scripts.build: Bun runs TypeScript and JavaScript as they are",
        );
        found.partial.build_step = Some(Fact::new(false, reason));
    } else if typescript {
        let reason = Reason::at(
            "tsconfig.json",
            None,
            "TypeScript must be compiled (no scripts.build: using tsc)",
        );
        found.partial.build_step = Some(Fact::new(true, reason.clone()));
        found.partial.build_command = Some(Fact::new(vec!["npx".into(), "tsc".into()], reason));
    } else {
        found.partial.build_step = Some(Fact::new(
            false,
            Reason::at(
                "package.json",
                None,
                "no scripts.build and no tsconfig.json: plain JavaScript",
            ),
        ));
    }
    found.partial.build_output = Some(build_output(scan, &found, &scripts));
    found.partial.entrypoint = entrypoint(scan, &json, &scripts, &found);
    found.partial.dev_command = dev_command(&found, &scripts);
    // A guessed entry (no start script, main or entry file: a reason without a file) is not
    // evidence that something runs here.
    found.runnable = found.framework.is_some()
        || SERVER_DEPS.iter().any(|d| found.deps.contains(*d))
        || found
            .partial
            .entrypoint
            .as_ref()
            .is_some_and(|e| e.reason.file.is_some());
    found.partial.source_dir = Some(if scan.under("src").next().is_some() {
        Fact::new(
            "src".to_string(),
            Reason::at("src", None, "sources live in src/"),
        )
    } else {
        Fact::new(
            ".".to_string(),
            Reason::default_for("no src/ directory: the whole project is synced"),
        )
    });
    found.partial.kind = Some(kind(&found));
    found.partial.framework_port =
        Some(script_port(&scripts).unwrap_or_else(|| framework_port(&found)));
    found.partial.version = version(scan, &json, text);
    found.partial.runtime_files = runtime_files(scan, &found);
    Some(found)
}

/// Yarn 2+ (Berry), from what makes corepack or Yarn pick it: `.yarnrc.yml` (Yarn 1 never
/// reads it) or a `packageManager` pin of 2 or later. A Berry `yarn.lock` alone does not count:
/// without either, corepack runs Yarn 1 on it.
fn yarn_berry(scan: &ProjectScan, json: &Value, text: &str) -> Option<Fact<bool>> {
    if scan.has(".yarnrc.yml") {
        return Some(Fact::new(
            true,
            Reason::at(
                ".yarnrc.yml",
                None,
                "Yarn 2+ configuration (Yarn 1 never reads it)",
            ),
        ));
    }
    let field = json.get("packageManager").and_then(Value::as_str)?;
    let major: u32 = field
        .strip_prefix("yarn@")?
        .split('.')
        .next()?
        .parse()
        .ok()?;
    Some(Fact::new(
        major >= 2,
        Reason::at(
            "package.json",
            line_of(text, "\"packageManager\""),
            format!("packageManager is \"{field}\""),
        ),
    ))
}

fn package_manager(scan: &ProjectScan, json: &Value, text: &str) -> Fact<PackageManager> {
    if let Some(field) = json.get("packageManager").and_then(Value::as_str) {
        let name = field.split('@').next().unwrap_or_default();
        if let Some(pm) = PackageManager::parse(name).filter(|pm| pm.is_node()) {
            return Fact::new(
                pm,
                Reason::at(
                    "package.json",
                    line_of(text, "\"packageManager\""),
                    format!("packageManager is \"{field}\""),
                ),
            );
        }
    }
    for (file, pm) in LOCKFILES {
        if scan.has(file) {
            return Fact::new(
                *pm,
                Reason::at(file, None, format!("{file} is {}'s lockfile", pm.as_str())),
            );
        }
    }
    Fact::new(
        PackageManager::Npm,
        Reason::default_for(
            "no lockfile: npm is Node's default (commit a lockfile for reproducible builds)",
        ),
    )
}

fn expand_members(scan: &ProjectScan, patterns: Vec<String>) -> Vec<String> {
    let mut dirs = Vec::new();
    for pattern in patterns {
        let pattern = pattern.trim_start_matches("./").trim_end_matches('/');
        if let Some(prefix) = pattern.strip_suffix("/*") {
            dirs.extend(
                scan.files
                    .iter()
                    .filter_map(|f| f.strip_suffix("/package.json"))
                    .filter(|d| {
                        d.strip_prefix(prefix)
                            .is_some_and(|r| r.starts_with('/') && !r[1..].contains('/'))
                    })
                    .map(str::to_string),
            );
        } else if scan.has(&format!("{pattern}/package.json")) {
            dirs.push(pattern.to_string());
        }
    }
    dirs.sort();
    dirs.dedup();
    dirs
}

fn workspaces(scan: &ProjectScan, json: &Value) -> Vec<String> {
    let listed = match json.get("workspaces") {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        Some(Value::Object(map)) => map
            .get("packages")
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    if !listed.is_empty() {
        return listed;
    }
    scan.text("pnpm-workspace.yaml")
        .map(|yaml| {
            yaml.lines()
                .filter_map(|line| line.trim().strip_prefix("- "))
                .map(|item| item.trim().trim_matches(['"', '\'']).to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// The development command: the framework's dev server, else `scripts.dev` (unless it only
/// fans out to workspace packages).
fn dev_command(found: &NodeFound, scripts: &Scripts) -> Option<Fact<Command>> {
    if let Some(framework) = found.framework {
        return Some(node_framework::dev_command(framework, scripts));
    }
    // `start:dev` is NestJS's watcher.
    let (name, dev) = ["dev", "start:dev", "develop"]
        .into_iter()
        .find_map(|name| scripts.get(name).map(|s| (name, s)))?;
    if is_orchestrator(dev) {
        return None;
    }
    // `node --watch dist/server.js` in a project that must be built: the dev stage copies the
    // sources, not the build output (.dockerignore excludes it), so such a script cannot start
    // there. The plan's fallback builds first and then starts.
    if found.partial.build_step.as_ref().is_some_and(|b| b.value)
        && let Some(output) = found.partial.build_output.as_ref()
        && runs_unbuilt_output(dev, &output.value)
    {
        return None;
    }
    Some(Fact::new(
        Command::script(name, Vec::new()),
        scripts.reason(name, &format!("scripts.{name} is \"{dev}\"")),
    ))
}

fn build_output(scan: &ProjectScan, found: &NodeFound, scripts: &Scripts) -> Fact<String> {
    // A framework's own output wins over tsconfig's outDir (Angular's tsconfig names
    // dist/out-tsc, which only type checks write).
    if let Some(framework) = found.framework {
        return node_output::build_output(framework, scan, scripts);
    }
    if let Some(tsconfig) = scan.text("tsconfig.json")
        && let Some(line) = line_of(tsconfig, "\"outDir\"")
        && let Some(value) = tsconfig.lines().nth(line - 1).and_then(json_string_value)
    {
        let dir = value
            .trim_start_matches("./")
            .trim_end_matches('/')
            .to_string();
        return Fact::new(
            dir,
            Reason::at(
                "tsconfig.json",
                Some(line),
                format!("compilerOptions.outDir is \"{value}\""),
            ),
        );
    }
    for (dep, dir) in [("@11ty/eleventy", "_site"), ("@remix-run/dev", "build")] {
        if found.deps.contains(dep) {
            return Fact::new(
                dir.to_string(),
                found.dep_reason(dep, &format!("{dep} writes its build to {dir}/")),
            );
        }
    }
    Fact::new(
        "dist".into(),
        Reason::default_for("dist/ is the usual build output"),
    )
}

/// Whether a script starts a file under the build output without building it first (no
/// compiler or TypeScript runner anywhere in it).
fn runs_unbuilt_output(script: &str, output: &str) -> bool {
    const BUILDERS: [&str; 12] = [
        "tsc",
        "tsx",
        "ts-node",
        "ts-node-dev",
        "esbuild",
        "swc",
        "babel",
        "webpack",
        "rollup",
        "nest",
        "build",
        "tsup",
    ];
    let words: Vec<&str> = script
        .split(|c: char| c.is_whitespace() || matches!(c, '&' | ';' | '|' | '(' | ')'))
        .filter(|w| !w.is_empty())
        .collect();
    let under_output = |w: &&str| {
        let w = w.trim_start_matches("./").trim_matches(['"', '\'']);
        w.strip_prefix(output)
            .is_some_and(|rest| rest.starts_with('/') && rest.len() > 1)
    };
    let builds = |w: &&str| {
        let name = w.rsplit('/').next().unwrap_or(w);
        BUILDERS.contains(&name) || name.starts_with("build:") || name.ends_with(":build")
    };
    words.iter().any(under_output) && !words.iter().any(builds)
}

/// The quoted value after the first `:` on a JSON-ish line (tsconfig allows comments, so no parser).
fn json_string_value(line: &str) -> Option<String> {
    let after = line.split_once(':')?.1;
    let start = after.find('"')? + 1;
    let rest = &after[start..];
    Some(rest[..rest.find('"')?].to_string())
}

fn kind(found: &NodeFound) -> Fact<ServiceKind> {
    if let Some(server) = SERVER_DEPS.iter().find(|d| found.deps.contains(**d)) {
        return Fact::new(
            ServiceKind::Http,
            found.dep_reason(server, &format!("depends on {server}")),
        );
    }
    if let Some(worker) = WORKER_DEPS.iter().find(|d| found.deps.contains(**d)) {
        return Fact::new(
            ServiceKind::Worker,
            found.dep_reason(
                worker,
                &format!("depends on {worker} and no HTTP framework"),
            ),
        );
    }
    Fact::new(
        ServiceKind::Http,
        Reason::default_for("no worker library found: assuming an HTTP service"),
    )
}

fn framework_port(found: &NodeFound) -> Fact<u16> {
    for dep in [
        "next",
        "express",
        "fastify",
        "@nestjs/core",
        "koa",
        "hono",
        "nuxt",
    ] {
        if found.deps.contains(dep) {
            return Fact::new(
                3000,
                found.dep_reason(dep, &format!("{dep} listens on 3000 by default")),
            );
        }
    }
    Fact::new(3000, Reason::default_for("Node default port 3000"))
}

fn version(scan: &ProjectScan, json: &Value, text: &str) -> Option<Fact<String>> {
    for file in [".nvmrc", ".node-version"] {
        if let Some(major) = scan.text(file).and_then(leading_major) {
            return Some(Fact::new(
                major,
                Reason::at(file, Some(1), "pinned Node version"),
            ));
        }
    }
    let engines = json.get("engines")?.get("node")?.as_str()?;
    let major = leading_major(engines)?;
    Some(Fact::new(
        major,
        Reason::at(
            "package.json",
            line_of(text, "\"node\""),
            format!("engines.node is \"{engines}\""),
        ),
    ))
}

/// `v20.11.0`, `>=20`, `^22.1` → the first major number.
fn leading_major(text: &str) -> Option<String> {
    let start = text.find(|c: char| c.is_ascii_digit())?;
    let digits: String = text[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    (!digits.is_empty()).then_some(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn majors_and_json_values() {
        assert_eq!(leading_major("v20.11.0\n").as_deref(), Some("20"));
        assert_eq!(leading_major(">=22 <23").as_deref(), Some("22"));
        assert_eq!(
            json_string_value(r#"  "outDir": "./build", // x"#).as_deref(),
            Some("./build")
        );
    }

    #[test]
    fn a_dev_script_that_runs_unbuilt_output_is_recognised() {
        for script in [
            "node --watch dist/server.js",
            "nodemon ./dist/index.js",
            "NODE_ENV=development node dist/main.js",
        ] {
            assert!(runs_unbuilt_output(script, "dist"), "{script}");
        }
        for script in [
            "tsx watch src/server.ts",
            "tsc -w & node --watch dist/server.js",
            "npm run build && node dist/server.js",
            "nodemon --exec ts-node src/index.ts",
            "node --watch server.js",
            "vite",
            "node distant/server.js",
        ] {
            assert!(!runs_unbuilt_output(script, "dist"), "{script}");
        }
    }
}
