//! Real-app cases (issue 14): the entry point that exists (ASGI/WSGI module paths, Django's WSGI
//! module), one port for every command, EXPOSE, HEALTHCHECK and compose (the wizard's answer
//! included), production servers in production, ports read only from the server's own listen
//! call, the framework's real dev command and output directory, 0.0.0.0 binds, and roots that
//! hold no app devbox knows. Each fixture is a small app written for its case.

use std::collections::BTreeMap;

use devbox::domain::detect::{Language, PackageManager, ServiceKind};
use devbox::domain::plan;
use devbox::domain::wizard::summary::follow_ups;
use devbox::domain::wizard::{Answers, Leaf, PartialAnswers, Step, Walk};

use super::{argv, detected, reason, run, value};

/// The answers `init --yes` settles on for a fixture (with `port` when given).
fn answers(name: &str, port: Option<u16>) -> Answers {
    let presets = PartialAnswers {
        port,
        ..PartialAnswers::default()
    };
    let mut walk = Walk::with_presets(detected(name), name, presets);
    match walk.advance(true).expect("valid presets") {
        Step::Done(answers) => *answers,
        Step::Ask(q) => panic!("unanswered {:?}", q.spec.id),
    }
}

fn file(answers: &Answers, path: &str) -> String {
    plan::render(answers, &BTreeMap::new())
        .expect("renders")
        .into_iter()
        .find(|f| f.path == path)
        .expect("rendered")
        .text
}

/// The production stage of a Dockerfile (everything after `AS production`).
fn production(dockerfile: &str) -> &str {
    let at = dockerfile.find(" AS production").expect("production stage");
    &dockerfile[at..]
}

#[test]
fn fastapi_in_app_main_with_one_line_dependencies() {
    let d = detected("fastapi-uv-oneline");
    assert_eq!(value(&d.language), Language::Python);
    assert_eq!(value(&d.package_manager), PackageManager::Uv);
    assert_eq!(
        reason(&d.kind),
        "pyproject.toml:5: depends on an ASGI framework"
    );
    let uvicorn = argv(&[
        "uvicorn",
        "app.main:app",
        "--host",
        "0.0.0.0",
        "--port",
        "8000",
    ]);
    assert_eq!(run(&d, &d.entrypoint), uvicorn);
    assert_eq!(reason(&d.entrypoint), "app/main.py:5: ASGI app object");
    assert_eq!(
        run(&d, &d.dev_command),
        [uvicorn.clone(), argv(&["--reload"])].concat()
    );
    // `redis.Redis(port=6379)` in app/cache.py is the add-on's port.
    assert_eq!(value(&d.port), 8000);
    assert_eq!(d.add_ons.len(), 1);
    assert_eq!(
        d.add_ons[0].reason.to_string(),
        "pyproject.toml:5: uses redis"
    );
    // fastapi[standard] brings uvicorn.
    assert!(d.server_packages.is_empty(), "{:?}", d.server_packages);
    assert_eq!(value(&d.source_dir), "app");

    let a = answers("fastapi-uv-oneline", None);
    let dockerfile = file(&a, "Dockerfile");
    assert!(
        dockerfile.contains(r#"CMD ["uvicorn","app.main:app","--host","0.0.0.0","--port","8000"]"#),
        "{dockerfile}"
    );
    assert!(!dockerfile.contains("main.py"), "{dockerfile}");
}

#[test]
fn fastapi_factory_in_a_src_layout_with_poetry_tables() {
    let d = detected("fastapi-src-poetry");
    assert_eq!(value(&d.package_manager), PackageManager::Poetry);
    assert_eq!(
        run(&d, &d.entrypoint),
        argv(&[
            "uvicorn",
            "inventory.api:create_app",
            "--factory",
            "--app-dir",
            "src",
            "--host",
            "0.0.0.0",
            "--port",
            "8000"
        ])
    );
    assert_eq!(
        reason(&d.entrypoint),
        "src/inventory/api.py:5: ASGI app factory"
    );
    // uvicorn is only in the dev group: the production image would not have it.
    assert_eq!(d.server_packages.len(), 1);
    assert_eq!(d.server_packages[0].value, "uvicorn");
    assert!(
        d.server_packages[0]
            .reason
            .to_string()
            .starts_with("pyproject.toml:9: the ASGI app is served by uvicorn, and uvicorn is not among the production dependencies"),
        "{}",
        d.server_packages[0].reason
    );
    assert_eq!(value(&d.health_path), "/healthz");

    let a = answers("fastapi-src-poetry", None);
    assert_eq!(a.project.server_packages, ["uvicorn"]);
    assert_eq!(plan::context(&a).server_packages, "uvicorn==0.34.0");
    let to_do = follow_ups(&detected("fastapi-src-poetry"), &a).join("\n");
    assert!(
        to_do
            .contains("uvicorn is not among the production dependencies: add it to pyproject.toml"),
        "{to_do}"
    );
}

#[test]
fn flask_uses_one_port_everywhere_and_the_answer_reaches_the_commands() {
    let d = detected("flask-pip-port");
    assert_eq!(value(&d.port), 8000);
    assert_eq!(
        reason(&d.port),
        "app.py:17: app.run(host=\"0.0.0.0\", port=8000)"
    );
    assert_eq!(
        run(&d, &d.entrypoint),
        argv(&["gunicorn", "--bind", "0.0.0.0:8000", "app:app"])
    );
    assert_eq!(
        run(&d, &d.dev_command),
        argv(&[
            "flask", "--app", "app:app", "run", "--host", "0.0.0.0", "--port", "8000", "--debug"
        ])
    );
    assert_eq!(d.server_packages[0].value, "gunicorn");
    assert_eq!(
        d.server_packages[0].reason.to_string(),
        "requirements.txt:1: the production target serves the WSGI app with gunicorn, and gunicorn is not among the production dependencies"
    );

    for (port, other) in [(None, "5000"), (Some(9000), "8000")] {
        let a = answers("flask-pip-port", port);
        let port = port.unwrap_or(8000);
        let dockerfile = file(&a, "Dockerfile");
        let compose = file(&a, "compose.yaml");
        assert!(
            dockerfile.contains(&format!("EXPOSE {port}")),
            "{dockerfile}"
        );
        assert!(
            dockerfile.contains(&format!("127.0.0.1:{port}/health")),
            "{dockerfile}"
        );
        assert!(
            dockerfile.contains(&format!(
                r#""--host","0.0.0.0","--port","{port}","--debug"]"#
            )),
            "{dockerfile}"
        );
        assert!(
            production(&dockerfile).contains(&format!(
                r#"CMD ["gunicorn","--bind","0.0.0.0:{port}","app:app"]"#
            )),
            "{dockerfile}"
        );
        assert!(!production(&dockerfile).contains("flask"), "{dockerfile}");
        assert!(!dockerfile.contains(other), "{other} in\n{dockerfile}");
        assert!(compose.contains(&format!(":{port}\"")), "{compose}");
        assert!(!compose.contains(other), "{other} in\n{compose}");
        let to_do = follow_ups(&detected("flask-pip-port"), &a).join("\n");
        assert!(
            to_do.contains(
                "gunicorn is not among the production dependencies: add it to requirements.txt"
            ),
            "{to_do}"
        );
    }
}

#[test]
fn django_serves_its_settings_wsgi_module_with_gunicorn() {
    let d = detected("django-config");
    assert_eq!(
        reason(&d.kind),
        "requirements/base.txt:1: depends on django"
    );
    assert_eq!(
        run(&d, &d.entrypoint),
        argv(&["gunicorn", "--bind", "0.0.0.0:8000", "config.wsgi"])
    );
    assert_eq!(
        reason(&d.entrypoint),
        "manage.py:7: DJANGO_SETTINGS_MODULE is config.settings"
    );
    assert_eq!(
        run(&d, &d.dev_command),
        argv(&["python", "manage.py", "runserver", "0.0.0.0:8000"])
    );
    assert_eq!(
        d.add_ons[0].reason.to_string(),
        "requirements/base.txt:2: uses psycopg"
    );
    let a = answers("django-config", Some(9000));
    assert_eq!(
        a.project.dev_command,
        argv(&["python", "manage.py", "runserver", "0.0.0.0:9000"])
    );
    assert_eq!(
        a.project.entrypoint,
        argv(&["gunicorn", "--bind", "0.0.0.0:9000", "config.wsgi"])
    );
    assert_eq!(a.project.server_packages, ["gunicorn"]);
}

#[test]
fn client_ports_are_not_the_app_port() {
    let node = detected("node-express-redis");
    assert_eq!(value(&node.port), 8080);
    assert!(
        reason(&node.port).starts_with("src/server.js:10: app.listen(PORT"),
        "{}",
        reason(&node.port)
    );
    assert_eq!(node.add_ons[0].value, "redis");
    let compose = file(&answers("node-express-redis", None), "compose.yaml");
    assert!(compose.contains(":8080\""), "{compose}");

    let go = detected("go-redis-client");
    assert_eq!(value(&go.port), 8081);
    assert_eq!(reason(&go.port), "main.go:22: port = \"8081\"");

    let rust = detected("rust-actix-redis");
    assert_eq!(value(&rust.port), 8085);
    assert!(
        reason(&rust.port).starts_with("src/main.rs:13: .bind((\"0.0.0.0\", 8085))"),
        "{}",
        reason(&rust.port)
    );
}

#[test]
fn angular_is_a_static_site_built_to_its_output_path() {
    let d = detected("angular-app");
    assert_eq!(value(&d.language), Language::Static);
    assert_eq!(value(&d.build_output), "dist/storefront/browser");
    assert!(
        reason(&d.build_output).starts_with("angular.json:14: outputPath is \"dist/storefront\""),
        "{}",
        reason(&d.build_output)
    );
    let a = answers("angular-app", None);
    assert_eq!(a.leaf, Leaf::StaticNginx);
    assert_eq!(a.port, 8080);
    assert_eq!(
        a.project.dev_command,
        argv(&[
            "env",
            "NG_CLI_ANALYTICS=false",
            "npm",
            "run",
            "start",
            "--",
            "--host",
            "0.0.0.0",
            "--port",
            "8080"
        ])
    );
    let dockerfile = file(&a, "Dockerfile");
    assert!(
        dockerfile.contains("COPY --from=build /app/dist/storefront/browser /usr/share/nginx/html"),
        "{dockerfile}"
    );
    assert!(
        !dockerfile.contains("9876") && !dockerfile.contains("out-tsc"),
        "{dockerfile}"
    );
}

#[test]
fn create_react_app_and_vue_cli_run_their_own_dev_servers() {
    let cra = answers("cra-app", None);
    assert_eq!(cra.leaf, Leaf::StaticNginx);
    assert_eq!(cra.project.build_output, "build");
    assert_eq!(
        cra.project.dev_command,
        argv(&[
            "env",
            "HOST=0.0.0.0",
            "PORT=8080",
            "BROWSER=none",
            "CI=true",
            "npm",
            "run",
            "start"
        ])
    );
    assert!(
        file(&cra, "Dockerfile").contains("COPY --from=build /app/build /usr/share/nginx/html")
    );

    let d = detected("vue-cli-app");
    assert_eq!(value(&d.language), Language::Static);
    assert_eq!(
        reason(&d.build_output),
        "vue.config.js:5: outputDir is \"www\""
    );
    let vue = answers("vue-cli-app", None);
    assert_eq!(
        vue.project.dev_command,
        argv(&[
            "npm", "run", "serve", "--", "--host", "0.0.0.0", "--port", "8080"
        ])
    );
    let dockerfile = file(&vue, "Dockerfile");
    assert!(
        dockerfile.contains("/app/www /usr/share/nginx/html"),
        "{dockerfile}"
    );
    assert!(!dockerfile.contains("dist/index.js"), "{dockerfile}");

    let vite = answers("static-vite", None);
    assert_eq!(
        vite.project.dev_command,
        argv(&[
            "npm", "run", "dev", "--", "--host", "0.0.0.0", "--port", "8080"
        ])
    );
}

#[test]
fn next_binds_all_interfaces_on_the_answered_port() {
    let d = detected("next-app");
    assert_eq!(value(&d.language), Language::Node);
    assert_eq!(value(&d.kind), ServiceKind::Http);
    assert_eq!(value(&d.build_output), ".next");
    let a = answers("next-app", Some(4000));
    assert_eq!(a.leaf, Leaf::NodeBuild);
    assert_eq!(
        a.project.entrypoint,
        argv(&[
            "node_modules/.bin/next",
            "start",
            "-H",
            "0.0.0.0",
            "-p",
            "4000"
        ])
    );
    assert_eq!(a.project.runtime_files, ["public", "next.config.mjs"]);
    // pnpm passes a `--` through to the program: none is added.
    assert_eq!(
        a.project.dev_command,
        argv(&["pnpm", "run", "dev", "-H", "0.0.0.0", "-p", "4000"])
    );
}

#[test]
fn a_plain_maven_jar_runs_its_main_class() {
    let java = detected("java-maven");
    assert_eq!(java.language.map(|l| l.value), Some(Language::Java));
    assert!(java.foreign.is_empty(), "{:?}", java.foreign);
    let main = java.main_class.expect("main class");
    assert_eq!(main.value, "com.example.App");
    assert_eq!(
        (main.reason.file.as_deref(), main.reason.line),
        (Some("src/main/java/com/example/App.java"), Some(4))
    );
    let a = answers("java-maven", None);
    assert_eq!(a.leaf.as_str(), "java-maven");
    assert_eq!(a.project.version, "21");
    assert_eq!(
        a.project.entrypoint,
        argv(&["java", "-cp", "/app/lib/*", "com.example.App"])
    );
}

/// Laravel with a Vite front end: the PHP app is what runs (package.json only builds its assets).
#[test]
fn laravel_with_vite_is_a_php_app() {
    let php = detected("php-laravel-vite");
    assert_eq!(php.language.map(|l| l.value), Some(Language::Php));
    assert_eq!(value(&php.framework), "laravel");
    assert_eq!(value(&php.build_output), "public");
    let a = answers("php-laravel-vite", None);
    assert_eq!(a.leaf, Leaf::PhpApache);
    assert_eq!(a.project.entrypoint, argv(&["apache2-foreground"]));
}

/// A Rack app without a lockfile: Puma serves config.ru on every interface, not frozen.
#[test]
fn a_rack_app_is_served_by_puma() {
    let ruby = detected("ruby-rack");
    assert_eq!(ruby.language.map(|l| l.value), Some(Language::Ruby));
    assert!(ruby.foreign.is_empty(), "{:?}", ruby.foreign);
    assert!(ruby.lockfile.is_none());
    let a = answers("ruby-rack", None);
    assert_eq!(a.leaf, Leaf::Ruby);
    assert_eq!(a.port, 9292);
    assert_eq!(
        a.project.entrypoint,
        argv(&["bundle", "exec", "puma", "--bind", "tcp://0.0.0.0:9292"])
    );
    let files = plan::render(&a, &BTreeMap::new()).expect("renders");
    let dockerfile = &files.iter().find(|f| f.path == "Dockerfile").unwrap().text;
    assert!(!dockerfile.contains("BUNDLE_FROZEN"), "{dockerfile}");
    assert!(
        dockerfile.contains("COPY --from=gems /app/Gemfile.lock ./"),
        "{dockerfile}"
    );
}

/// Rails is checked statically (rubygems.org is not reachable here): `bin/rails server` bound to
/// 0.0.0.0, the `/up` route, the version from .ruby-version, pg/bootsnap/propshaft and the add-ons.
#[test]
fn a_rails_app_serves_with_bin_rails_and_its_up_route() {
    let rails = detected("rails-app");
    assert_eq!(value(&rails.framework), "rails");
    let health = rails.health_path.clone().expect("health route");
    assert_eq!(
        (
            health.value.as_str(),
            health.reason.file.as_deref(),
            health.reason.line
        ),
        ("/up", Some("config/routes.rb"), Some(3))
    );
    let add_ons: Vec<&str> = rails.add_ons.iter().map(|f| f.value.as_str()).collect();
    assert_eq!(add_ons, ["postgres", "redis"]);
    let a = answers("rails-app", None);
    assert_eq!(a.leaf, Leaf::Ruby);
    assert_eq!((a.port, a.project.version.as_str()), (3000, "3.4"));
    assert_eq!(
        a.project.entrypoint,
        argv(&["./bin/rails", "server", "-b", "0.0.0.0", "-p", "3000"])
    );
    assert_eq!(a.project.gems, ["pg", "bootsnap", "propshaft"]);
}

#[test]
fn roots_without_a_known_app_are_not_guessed() {
    let go = detected("go-no-mod");
    assert!(go.language.is_none());
    assert!(go.foreign[0].advice.contains("go mod init"));

    let subs = |name: &str| {
        let d = detected(name);
        assert!(d.language.is_none(), "{name}: {:?}", d.language);
        d.sub_projects
            .iter()
            .map(|s| (s.dir.clone(), s.language))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        subs("monorepo-mixed"),
        [
            ("api".to_string(), Language::Python),
            ("frontend".to_string(), Language::Static)
        ]
    );
    assert_eq!(
        subs("monorepo-turbo"),
        [
            ("apps/api".to_string(), Language::Node),
            ("apps/web".to_string(), Language::Node)
        ]
    );
}

/// demo/api's case: `scripts.dev` runs the build output, which the dev stage never has (it
/// does not build and .dockerignore excludes dist). The dev command builds first instead.
#[test]
fn a_dev_script_that_runs_the_build_output_is_not_taken_as_is() {
    let d = detected("node-dev-runs-dist");
    assert!(d.dev_command.is_none(), "{:?}", d.dev_command);
    let a = answers("node-dev-runs-dist", None);
    assert_eq!(a.leaf, Leaf::NodeBuild);
    assert_eq!(
        a.project.dev_command,
        argv(&["sh", "-c", "npm run build && exec node dist/server.js"])
    );
    let dockerfile = file(&a, "Dockerfile");
    assert!(
        !dockerfile.contains("\"--watch\", \"dist/server.js\""),
        "{dockerfile}"
    );
}
