//! Detection over the sample projects in tests/fixtures/projects: every detected value and the
//! reason (file and line) it carries; broken manifests name file and line and leave the rest
//! to the wizard. Real-app cases (entry points, ports, framework commands, unknown stacks) are
//! in wizard_detect/real_apps.rs.

#![allow(clippy::expect_used, clippy::unwrap_used)] // test helpers may panic

use std::path::Path;

use devbox::domain::detect::{
    Command, Detected, Fact, Language, PackageManager, ServiceKind, detect,
};
use devbox::fsio::scan::scan_project;

#[path = "wizard_detect/real_apps.rs"]
mod real_apps;

fn detected(name: &str) -> Detected {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/projects")
        .join(name);
    detect(&scan_project(&dir).expect("fixture scans"))
}

fn value<T: Clone>(fact: &Option<Fact<T>>) -> T {
    fact.as_ref().expect("detected").value.clone()
}

fn reason<T>(fact: &Option<Fact<T>>) -> String {
    fact.as_ref().expect("detected").reason.to_string()
}

/// A detected command as it runs with the detected package manager and port.
fn run(d: &Detected, fact: &Option<Fact<Command>>) -> Vec<String> {
    d.argv(&fact.as_ref().expect("detected").value)
}

fn argv(words: &[&str]) -> Vec<String> {
    words.iter().map(|w| w.to_string()).collect()
}

#[test]
fn node_typescript_api() {
    let d = detected("node-ts-api");
    assert!(d.problems.is_empty(), "{:?}", d.problems);
    assert_eq!(value(&d.language), Language::Node);
    assert_eq!(value(&d.package_manager), PackageManager::Npm);
    assert_eq!(
        reason(&d.package_manager),
        "package-lock.json: package-lock.json is npm's lockfile"
    );
    assert_eq!(value(&d.lockfile), "package-lock.json");
    assert!(value(&d.build_step));
    assert_eq!(
        reason(&d.build_step),
        "package.json:5: scripts.build is \"tsc -p .\""
    );
    assert_eq!(value(&d.build_output), "dist");
    assert_eq!(
        reason(&d.build_output),
        "tsconfig.json:4: compilerOptions.outDir is \"./dist\""
    );
    assert_eq!(run(&d, &d.entrypoint), argv(&["node", "dist/index.js"]));
    assert_eq!(
        reason(&d.entrypoint),
        "package.json:6: scripts.start is \"node dist/index.js\""
    );
    assert_eq!(run(&d, &d.dev_command), argv(&["npm", "run", "dev"]));
    assert_eq!(value(&d.port), 4000);
    assert!(
        reason(&d.port).starts_with("src/index.ts:7: app.listen("),
        "{}",
        reason(&d.port)
    );
    assert_eq!(value(&d.kind), ServiceKind::Http);
    assert_eq!(reason(&d.kind), "package.json:10: depends on express");
    assert_eq!(value(&d.version), "20");
    assert_eq!(
        reason(&d.version),
        "package.json:17: engines.node is \">=20\""
    );
    assert_eq!(value(&d.source_dir), "src");
}

#[test]
fn node_plain_pnpm_port_from_env_file() {
    let d = detected("node-plain-pnpm");
    assert_eq!(value(&d.package_manager), PackageManager::Pnpm);
    assert_eq!(
        reason(&d.package_manager),
        "package.json:3: packageManager is \"pnpm@9.12.0\""
    );
    assert_eq!(value(&d.lockfile), "pnpm-lock.yaml");
    assert!(!value(&d.build_step));
    assert_eq!(run(&d, &d.entrypoint), argv(&["node", "server.js"]));
    assert_eq!(
        reason(&d.entrypoint),
        "package.json:4: main is \"server.js\""
    );
    assert_eq!(value(&d.port), 5050);
    assert_eq!(reason(&d.port), ".env:3: PORT=5050");
    assert_eq!(value(&d.kind), ServiceKind::Http);
}

#[test]
fn node_monorepo_workspaces() {
    let d = detected("node-monorepo");
    assert_eq!(value(&d.language), Language::Node);
    assert_eq!(value(&d.package_manager), PackageManager::Yarn);
    assert_eq!(
        d.workspace_members,
        vec!["packages/api".to_string(), "packages/worker".to_string()]
    );
    assert!(value(&d.build_step));
    assert_eq!(
        run(&d, &d.entrypoint),
        argv(&["node", "packages/api/dist/main.js"])
    );
    assert_eq!(value(&d.port), 3000);
    assert_eq!(
        reason(&d.port),
        "packages/api/src/main.ts:2: new Koa().listen(3000);"
    );
}

#[test]
fn node_worker_kind() {
    let d = detected("node-worker");
    assert_eq!(value(&d.kind), ServiceKind::Worker);
    assert_eq!(
        reason(&d.kind),
        "package.json:5: depends on bullmq and no HTTP framework"
    );
}

#[test]
fn broken_package_json_names_file_and_line() {
    let d = detected("node-broken");
    assert_eq!(value(&d.language), Language::Node);
    let problem = d.problems.first().expect("a problem");
    assert_eq!((problem.file.as_str(), problem.line), ("package.json", 5));
    assert!(
        problem.to_string().starts_with("package.json:5:"),
        "{problem}"
    );
    assert!(d.package_manager.is_none() && d.entrypoint.is_none() && d.build_step.is_none());
}

#[test]
fn python_uv_fastapi() {
    let d = detected("python-uv-fastapi");
    assert_eq!(value(&d.language), Language::Python);
    assert_eq!(value(&d.package_manager), PackageManager::Uv);
    assert_eq!(value(&d.lockfile), "uv.lock");
    assert_eq!(
        run(&d, &d.entrypoint),
        argv(&[
            "uvicorn",
            "app.main:app",
            "--host",
            "0.0.0.0",
            "--port",
            "8000"
        ])
    );
    assert_eq!(reason(&d.entrypoint), "app/main.py:3: ASGI app object");
    assert_eq!(
        run(&d, &d.dev_command).last().map(String::as_str),
        Some("--reload")
    );
    assert_eq!(value(&d.port), 8000);
    assert_eq!(value(&d.version), "3.13");
    assert_eq!(
        reason(&d.version),
        ".python-version:1: pinned Python version"
    );
    assert_eq!(value(&d.source_dir), "app");
    assert_eq!(
        d.install_extras.first().map(|f| f.value.as_str()),
        Some("README.md")
    );
}

#[test]
fn python_poetry_flask() {
    let d = detected("python-poetry-flask");
    assert_eq!(value(&d.package_manager), PackageManager::Poetry);
    assert!(d.dev_group);
    assert_eq!(
        run(&d, &d.entrypoint),
        argv(&["gunicorn", "--bind", "0.0.0.0:5001", "web.app:app"])
    );
    assert_eq!(value(&d.kind), ServiceKind::Http);
    assert_eq!(reason(&d.kind), "pyproject.toml:9: depends on flask");
    assert_eq!(value(&d.port), 5001);
    assert!(
        reason(&d.port).starts_with("web/app.py:12: "),
        "{}",
        reason(&d.port)
    );
}

#[test]
fn python_pip_django_and_celery_worker() {
    let d = detected("python-pip-django");
    assert_eq!(value(&d.package_manager), PackageManager::Pip);
    assert_eq!(value(&d.lockfile), "requirements.txt");
    assert_eq!(
        run(&d, &d.entrypoint),
        argv(&["gunicorn", "--bind", "0.0.0.0:8000", "mysite.wsgi"])
    );
    assert_eq!(reason(&d.kind), "requirements.txt:1: depends on django");
    assert_eq!(d.add_ons.len(), 1);
    assert_eq!(d.add_ons[0].value, "postgres");
    assert_eq!(
        d.add_ons[0].reason.to_string(),
        "requirements.txt:3: uses psycopg"
    );
    let w = detected("python-celery-worker");
    assert_eq!(w.add_ons[0].value, "redis");
    assert_eq!(
        w.add_ons[0].reason.to_string(),
        "requirements.txt:2: uses redis"
    );
    assert_eq!(value(&w.kind), ServiceKind::Worker);
    assert_eq!(
        run(&w, &w.entrypoint),
        argv(&["celery", "-A", "tasks", "worker", "--loglevel=INFO"])
    );
}

#[test]
fn broken_pyproject_names_file_and_line() {
    let d = detected("python-broken");
    assert_eq!(value(&d.language), Language::Python);
    let problem = d.problems.first().expect("a problem");
    assert_eq!(problem.file, "pyproject.toml");
    assert!(problem.line >= 5, "{problem}");
    assert!(d.package_manager.is_none());
}

#[test]
fn go_cmd_layout_and_root_worker() {
    let d = detected("go-cmd-server");
    assert_eq!(value(&d.language), Language::Go);
    assert_eq!(value(&d.version), "1.22");
    assert_eq!(reason(&d.version), "go.mod:3: go 1.22.3");
    assert_eq!(value(&d.go_main), "./cmd/migrate");
    assert_eq!(value(&d.binary), "migrate");
    assert_eq!(value(&d.lockfile), "go.sum");
    let w = detected("go-root-worker");
    assert_eq!(value(&w.go_main), ".");
    assert_eq!(value(&w.binary), "ticker");
    assert_eq!(value(&w.kind), ServiceKind::Worker);
}

#[test]
fn go_server_port_from_code() {
    let d = detected("go-cmd-server");
    assert_eq!(value(&d.port), 9090);
    assert!(
        reason(&d.port).starts_with("cmd/server/main.go:10: "),
        "{}",
        reason(&d.port)
    );
    assert_eq!(value(&d.kind), ServiceKind::Http);
}

#[test]
fn broken_go_mod_names_file_and_line() {
    let d = detected("go-broken");
    let problem = d.problems.first().expect("a problem");
    assert_eq!((problem.file.as_str(), problem.line), ("go.mod", 5));
    assert!(problem.message.contains("requires"), "{problem}");
}

#[test]
fn rust_axum_and_workspace() {
    let d = detected("rust-axum");
    assert_eq!(value(&d.language), Language::Rust);
    assert_eq!(value(&d.binary), "hello-api");
    assert_eq!(value(&d.version), "1.82");
    assert_eq!(
        reason(&d.version),
        "rust-toolchain.toml:2: toolchain 1.82.0"
    );
    assert_eq!(value(&d.port), 8000);
    assert_eq!(value(&d.kind), ServiceKind::Http);
    let w = detected("rust-workspace");
    assert_eq!(
        w.workspace_members,
        vec!["crates/core".to_string(), "crates/worker".to_string()]
    );
    assert_eq!(value(&w.binary), "jobrunner");
    assert_eq!(
        reason(&w.binary),
        "crates/worker/Cargo.toml:2: package jobrunner has src/main.rs"
    );
    assert_eq!(value(&w.kind), ServiceKind::Worker);
}

#[test]
fn broken_cargo_toml_names_file_and_line() {
    let d = detected("rust-broken");
    let problem = d.problems.first().expect("a problem");
    assert_eq!(problem.file, "Cargo.toml");
    assert_eq!(problem.line, 3, "{problem}");
}

#[test]
fn static_sites() {
    let d = detected("static-vite");
    assert_eq!(value(&d.language), Language::Static);
    assert!(
        reason(&d.language).starts_with("package.json:9: vite builds static files"),
        "{}",
        reason(&d.language)
    );
    assert!(value(&d.build_step));
    assert_eq!(value(&d.build_output), "dist");
    assert_eq!(value(&d.kind), ServiceKind::Static);
    let h = detected("static-html");
    assert_eq!(value(&h.language), Language::Static);
    assert_eq!(
        reason(&h.language),
        "public/index.html: an index.html and no language manifest"
    );
    assert_eq!(value(&h.build_output), "public");
    assert!(!value(&h.build_step));
}

/// Bun runs TypeScript as it is: no build step, no `npx tsc` (the oven/bun image has no npx),
/// and the entry is the source file `bun init` names in `module`, copied with the source.
#[test]
fn bun_runs_typescript_without_a_build() {
    use devbox::domain::detect::ProjectScan;
    let scan = ProjectScan::from_files(
        "bunapp",
        [
            (
                "package.json",
                r#"{"name":"b","module":"index.ts","scripts":{"dev":"bun --watch index.ts"},"dependencies":{"hono":"4.6.0"}}"#,
            ),
            ("bun.lock", ""),
            ("tsconfig.json", "{}"),
            ("index.ts", "export default { port: 3000, fetch() {} }"),
        ],
    );
    let d = detect(&scan);
    assert_eq!(value(&d.package_manager), PackageManager::Bun);
    assert!(!value(&d.build_step), "{}", reason(&d.build_step));
    assert!(d.build_command.is_none());
    assert_eq!(run(&d, &d.entrypoint), argv(&["bun", "index.ts"]));
    assert!(reason(&d.entrypoint).contains("module is \"index.ts\""));
    // A start script wins, as `bun run file` or `bun file`.
    let scan = ProjectScan::from_files(
        "bunapp",
        [
            (
                "package.json",
                r#"{"name":"b","scripts":{"start":"bun run src/server.ts --port 4000"},"dependencies":{"elysia":"1"}}"#,
            ),
            ("bun.lockb", ""),
            ("src/server.ts", ""),
        ],
    );
    let d = detect(&scan);
    assert_eq!(
        run(&d, &d.entrypoint),
        argv(&["bun", "src/server.ts", "--port", "4000"])
    );
}

/// Yarn Berry's release and plugins are read at install time: copied before it, to their path.
#[test]
fn yarn_berry_release_and_plugins_are_install_files() {
    use devbox::domain::detect::ProjectScan;
    let scan = ProjectScan::from_files(
        "berry",
        [
            (
                "package.json",
                r#"{"name":"b","packageManager":"yarn@4.5.3","scripts":{"start":"node server.js"},"dependencies":{"express":"4"}}"#,
            ),
            ("yarn.lock", ""),
            (".yarnrc.yml", "yarnPath: .yarn/releases/yarn-4.5.3.cjs\n"),
            (".yarn/releases/yarn-4.5.3.cjs", ""),
            (".yarn/plugins/@yarnpkg/plugin-x.cjs", ""),
            (".yarn/cache/express-npm-4.zip", ""),
            ("server.js", ""),
        ],
    );
    let d = detect(&scan);
    assert_eq!(value(&d.package_manager), PackageManager::Yarn);
    let extras: Vec<String> = d.install_extras.iter().map(|f| f.value.clone()).collect();
    assert_eq!(
        extras,
        [
            ".yarnrc.yml",
            ".yarn/plugins/@yarnpkg/plugin-x.cjs",
            ".yarn/releases/yarn-4.5.3.cjs"
        ]
    );
}

/// Corepack picks Yarn 2+ from `packageManager` alone: such a project is Berry without a
/// `.yarnrc.yml` (and its default Plug'n'Play linker must be turned off for the image's
/// node_modules); a `yarn@1` pin is classic.
#[test]
fn yarn_berry_is_recognised_from_package_manager_alone() {
    use devbox::domain::detect::ProjectScan;
    let project = |pin: &str| {
        let manifest = format!(
            r#"{{"name":"b","packageManager":"{pin}","scripts":{{"start":"node server.js"}},"dependencies":{{"express":"4"}}}}"#
        );
        ProjectScan::from_files(
            "berry",
            [
                ("package.json", manifest.as_str()),
                ("yarn.lock", ""),
                ("server.js", ""),
            ],
        )
    };
    let d = detect(&project("yarn@4.5.3"));
    assert!(value(&d.yarn_berry));
    assert_eq!(
        reason(&d.yarn_berry),
        "package.json:1: packageManager is \"yarn@4.5.3\""
    );
    let answers = walked(d);
    assert!(answers.project.yarn_berry);
    let dockerfile = &dockerfile_of(&answers);
    assert!(
        dockerfile.contains("yarn install --immutable"),
        "{dockerfile}"
    );
    assert!(
        dockerfile.contains("YARN_NODE_LINKER=node-modules"),
        "{dockerfile}"
    );
    assert!(!dockerfile.contains("--frozen-lockfile"), "{dockerfile}");

    let d = detect(&project("yarn@1.22.22"));
    assert!(!value(&d.yarn_berry));
    let dockerfile = dockerfile_of(&walked(d));
    assert!(dockerfile.contains("yarn install --frozen-lockfile"));
    assert!(!dockerfile.contains("YARN_NODE_LINKER"));
}

/// The answers `devbox init --yes` would settle on for what was detected.
fn walked(detected: Detected) -> devbox::domain::wizard::Answers {
    use devbox::domain::wizard::{Step, Walk};
    match Walk::new(detected, "demo").advance(true).unwrap() {
        Step::Done(answers) => *answers,
        Step::Ask(q) => panic!("unanswered: {:?}", q.spec.id),
    }
}

fn dockerfile_of(answers: &devbox::domain::wizard::Answers) -> String {
    let files = devbox::domain::plan::render(answers, &Default::default()).unwrap();
    files
        .into_iter()
        .find(|f| f.path == "Dockerfile")
        .unwrap()
        .text
}

/// A solution with a Web SDK project under src/, a library it references and a test project:
/// the web project is the app, every project file is a restore input, the test project is not
/// the app. (.NET is checked statically: the SDK is not in Debian.)
#[test]
fn dotnet_solution_with_a_web_project() {
    let d = detected("dotnet-webapi");
    assert_eq!(value(&d.language), Language::Dotnet);
    assert_eq!(value(&d.module), "src/Shop.Api/Shop.Api.csproj");
    assert_eq!(value(&d.binary), "Shop.Api");
    assert_eq!(value(&d.version), "8.0");
    assert_eq!(
        reason(&d.version),
        "src/Shop.Api/Shop.Api.csproj:3: targets net8.0"
    );
    assert_eq!(value(&d.kind), ServiceKind::Http);
    assert_eq!(value(&d.port), 8080);
    assert_eq!(value(&d.health_path), "/healthz");
    assert!(reason(&d.health_path).starts_with("src/Shop.Api/Program.cs:6"));
    assert_eq!(value(&d.lockfile), "src/Shop.Api/packages.lock.json");
    assert_eq!(run(&d, &d.entrypoint), argv(&["dotnet", "Shop.Api.dll"]));
    let extras: Vec<String> = d.install_extras.iter().map(|f| f.value.clone()).collect();
    for file in ["Shop.sln", "global.json", "src/Shop.Core/Shop.Core.csproj"] {
        assert!(
            extras.contains(&file.to_string()),
            "{file} not in {extras:?}"
        );
    }
    assert!(d.foreign.is_empty(), "{:?}", d.foreign);
}
