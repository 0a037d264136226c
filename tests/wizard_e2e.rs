//! The wizard's output proved by outcome, one test per leaf of the decision tree (plus a stack
//! with Postgres and Redis add-ons), on stand-in base images (tests/stand-ins): `devbox init
//! --yes` → `devbox up --wait` → the app answers on its published port and is healthy → an edit
//! under a sync rule reaches the response → a manifest change rebuilds it healthy → the
//! production target runs healthy, non-root, read-only → `devbox down -v` leaves nothing.
//! Each step's time and the production image's size are printed (`--nocapture`) for
//! BENCHMARKS.md.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod e2e;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use bollard::Docker;
use bollard::query_parameters::{
    ListContainersOptionsBuilder, ListNetworksOptions, ListVolumesOptions,
};

struct Case {
    fixture: &'static str,
    /// A file under a sync rule, the text replaced in it, and the text that replaces it (which
    /// `GET /` then shows).
    edit: (&'static str, &'static str, &'static str),
    /// What `GET /` shows before the edit.
    page: &'static str,
    /// The dependency manifest whose change rebuilds the service (`None`: the leaf has none).
    manifest: Option<&'static str>,
    /// Add-on services that must be healthy too.
    add_ons: &'static [&'static str],
    /// The production image promises no shell (distroless, scratch).
    no_shell: bool,
}

const BUILD: Duration = Duration::from_secs(900);
const SYNC: Duration = Duration::from_secs(120);

async fn run(case: Case) {
    let Some(docker) = common::engine_or_skip().await else {
        return;
    };
    let _serial = e2e::SERIAL.lock().await;
    if !e2e::stand_ins() {
        return;
    }
    let dir = e2e::fixture_copy(case.fixture);
    let project = e2e::Project {
        dir: dir.path().to_path_buf(),
        name: common::unique_project(&format!("e2e-{}", case.fixture)),
        port: e2e::free_port(),
        production_port: e2e::free_port(),
    };
    let _guard = common::ProjectGuard::new(&project.name);
    let f = case.fixture;

    project.run(&["init", "--yes"]);

    let started = Instant::now();
    project.run(&["up", "--wait", "--wait-timeout", "900"]);
    let up_secs = started.elapsed().as_secs_f64();
    let app = project.container("app");
    let first = e2e::wait_healthy(&docker, &app, None, Duration::from_secs(60))
        .await
        .unwrap_or_else(|e| panic!("{f}: {e}"));
    for add_on in case.add_ons {
        e2e::wait_healthy(
            &docker,
            &project.container(add_on),
            None,
            Duration::from_secs(120),
        )
        .await
        .unwrap_or_else(|e| panic!("{f}: add-on {e}"));
    }
    e2e::wait_for_body(project.port, "/", case.page, Duration::from_secs(60))
        .unwrap_or_else(|e| panic!("{f}: {e}"));

    let watch = project.watch();
    // The watcher needs a moment to register its paths before the edit.
    std::thread::sleep(Duration::from_secs(3));
    let edited = Instant::now();
    let (file, from, to) = case.edit;
    project.edit(file, from, to);
    if let Err(err) = e2e::wait_for_body(project.port, "/", to, SYNC) {
        panic!(
            "{f}: the edit to {file} never reached the app: {err}\nwatch said:\n{}",
            watch.stop()
        );
    }
    let sync_secs = edited.elapsed().as_secs_f64();

    let mut rebuild_secs = None;
    if let Some(manifest) = case.manifest {
        let touched = Instant::now();
        project.append(manifest, "\n");
        match e2e::wait_healthy(&docker, &app, Some(&first.id), BUILD).await {
            Ok(_) => {}
            Err(err) => panic!(
                "{f}: changing {manifest} did not rebuild: {err}\nwatch said:\n{}",
                watch.stop()
            ),
        }
        // The rebuilt image carries the edited source too.
        e2e::wait_for_body(project.port, "/", to, Duration::from_secs(60))
            .unwrap_or_else(|e| panic!("{f}: after the rebuild: {e}"));
        rebuild_secs = Some(touched.elapsed().as_secs_f64());
    }
    watch.stop();

    // The production image's own HEALTHCHECK command, probed every 2 s instead of its 30 s
    // interval (the engine keeps the image's test when the override sets none): the outcome is
    // the same, each row is ~25 s shorter, and CI stays inside its time budget.
    std::fs::write(
        project.dir.join("compose.override.yaml"),
        "services:\n  app-production:\n    healthcheck:\n      interval: 2s\n",
    )
    .unwrap();
    let started = Instant::now();
    project.run(&[
        "up",
        "--profile",
        "production",
        "--wait",
        "--wait-timeout",
        "900",
        "app-production",
    ]);
    let production = e2e::wait_healthy(
        &docker,
        &project.container("app-production"),
        None,
        Duration::from_secs(120),
    )
    .await
    .unwrap_or_else(|e| panic!("{f}: production {e}"));
    let production_secs = started.elapsed().as_secs_f64();
    // Healthy by the image's own probe: the override changed only the interval.
    let probe =
        |c: Option<bollard::models::HealthConfig>| c.and_then(|h| h.test).unwrap_or_default();
    let container = docker
        .inspect_container(&project.container("app-production"), None)
        .await
        .unwrap();
    let image = docker.inspect_image(&production.image).await.unwrap();
    let image_probe = probe(image.config.and_then(|c| c.healthcheck));
    assert!(
        image_probe.len() > 1,
        "{f}: the production image has no HEALTHCHECK"
    );
    assert_eq!(
        probe(container.config.and_then(|c| c.healthcheck)),
        image_probe,
        "{f}: the container does not run the image's health probe"
    );
    e2e::wait_for_body(project.production_port, "/", to, Duration::from_secs(30))
        .unwrap_or_else(|e| panic!("{f}: production: {e}"));
    let (uid, gid) = production
        .user
        .split_once(':')
        .unwrap_or((&production.user, ""));
    assert!(
        uid.parse::<u32>().is_ok_and(|u| u != 0) && (gid.is_empty() || gid.parse::<u32>().is_ok()),
        "{f}: production runs as {:?}, not a numeric non-root user",
        production.user
    );
    assert!(
        production.read_only,
        "{f}: production root file system is writable"
    );
    if case.no_shell {
        let (code, out) = e2e::exec(
            &docker,
            &project.container("app-production"),
            &["sh", "-c", "true"],
        )
        .await;
        assert_ne!(code, 0, "{f}: production image has a shell: {out}");
    }
    let size = e2e::image_size(&docker, &production.image).await;

    project.run(&["down", "-v", "--profile", "production"]);
    assert_nothing_left(&docker, &project.name).await;

    eprintln!(
        "e2e {f}: up --wait {up_secs:.1} s (build + healthy), edit served after {sync_secs:.1} s, \
         manifest rebuild healthy after {}, production healthy {production_secs:.1} s, \
         production image {:.1} MiB",
        rebuild_secs.map_or("-".to_string(), |s| format!("{s:.1} s")),
        size as f64 / 1_048_576.0
    );
}

async fn assert_nothing_left(docker: &Docker, project: &str) {
    let filters: HashMap<String, Vec<String>> = HashMap::from([(
        "label".to_string(),
        vec![format!("com.docker.compose.project={project}")],
    )]);
    let containers = docker
        .list_containers(Some(
            ListContainersOptionsBuilder::new()
                .all(true)
                .filters(&filters)
                .build(),
        ))
        .await
        .unwrap();
    assert!(
        containers.is_empty(),
        "down -v left containers: {containers:?}"
    );
    let networks = docker
        .list_networks(Some(ListNetworksOptions {
            filters: Some(filters.clone()),
        }))
        .await
        .unwrap();
    assert!(networks.is_empty(), "down -v left networks: {networks:?}");
    let volumes = docker
        .list_volumes(Some(ListVolumesOptions {
            filters: Some(filters),
        }))
        .await
        .unwrap();
    let volumes = volumes.volumes.unwrap_or_default();
    assert!(volumes.is_empty(), "down -v left volumes: {volumes:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn node_typescript_api() {
    run(Case {
        fixture: "node-ts-api",
        edit: ("src/message.ts", "hello from the ts api", "edited ts api"),
        page: "hello from the ts api",
        manifest: Some("package.json"),
        add_ons: &[],
        no_shell: false,
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn node_plain_with_postgres_and_redis() {
    run(Case {
        fixture: "node-addons",
        edit: (
            "lib/message.js",
            "hello from the plain node app",
            "edited plain node",
        ),
        page: "hello from the plain node app",
        manifest: Some("package.json"),
        add_ons: &["postgres", "redis"],
        no_shell: false,
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn pnpm_express() {
    run(Case {
        fixture: "pnpm-express",
        edit: (
            "lib/message.js",
            "hello from the pnpm app",
            "edited pnpm app",
        ),
        page: "hello from the pnpm app",
        manifest: Some("package.json"),
        add_ons: &[],
        no_shell: false,
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn yarn_classic_express() {
    run(Case {
        fixture: "yarn-classic",
        edit: (
            "lib/message.js",
            "hello from the yarn classic app",
            "edited yarn classic",
        ),
        page: "hello from the yarn classic app",
        manifest: Some("package.json"),
        add_ons: &[],
        no_shell: false,
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn yarn_berry_typescript() {
    run(Case {
        fixture: "yarn-berry-ts",
        edit: (
            "src/message.ts",
            "hello from the yarn berry app",
            "edited yarn berry",
        ),
        page: "hello from the yarn berry app",
        manifest: Some("package.json"),
        add_ons: &[],
        no_shell: false,
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn vite_spa() {
    run(Case {
        fixture: "vite-spa",
        edit: ("index.html", "hello from the vite spa", "edited vite spa"),
        page: "hello from the vite spa",
        manifest: Some("package.json"),
        add_ons: &[],
        no_shell: false,
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn python_pip_flask() {
    run(Case {
        fixture: "flask-pip",
        edit: ("message.py", "hello from flask", "edited flask"),
        page: "hello from flask",
        manifest: Some("requirements.txt"),
        add_ons: &[],
        no_shell: false,
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn python_uv_fastapi_in_app_package() {
    run(Case {
        fixture: "uv-fastapi",
        edit: ("app/message.py", "hello from fastapi", "edited fastapi"),
        page: "hello from fastapi",
        manifest: Some("pyproject.toml"),
        add_ons: &[],
        no_shell: false,
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn python_poetry_flask() {
    run(Case {
        fixture: "poetry-flask",
        edit: (
            "hello/message.py",
            "hello from poetry flask",
            "edited poetry flask",
        ),
        page: "hello from poetry flask",
        manifest: Some("pyproject.toml"),
        add_ons: &[],
        no_shell: false,
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn go_net_http_in_cmd_server() {
    run(Case {
        fixture: "go-server",
        edit: ("cmd/server/message.go", "hello from go", "edited go"),
        page: "hello from go",
        manifest: Some("go.mod"),
        add_ons: &[],
        no_shell: true,
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn rust_axum() {
    run(Case {
        fixture: "rust-axum",
        edit: ("src/message.rs", "hello from axum", "edited axum"),
        page: "hello from axum",
        manifest: Some("Cargo.toml"),
        add_ons: &[],
        no_shell: false,
    })
    .await;
}

/// A plain Maven jar (no dependencies: Maven Central is not reachable here; the stand-in's Maven
/// resolves its plugins from Debian's offline repository): the JDK builds, the JRE runs it as uid
/// 10001 with its runtime classpath; the development target recompiles on restart.
#[tokio::test(flavor = "multi_thread")]
async fn java_maven_plain_jar() {
    run(Case {
        fixture: "java-maven",
        edit: (
            "src/main/java/com/example/App.java",
            "hello from java",
            "edited java",
        ),
        page: "hello from java",
        manifest: Some("pom.xml"),
        add_ons: &[],
        no_shell: false,
    })
    .await;
}

/// Composer (no packages: Packagist is not reachable here) on php-apache: vendor/ from its own
/// stage, Apache serving public/ on 8080 as www-data, read-only in production.
#[tokio::test(flavor = "multi_thread")]
async fn php_composer_apache() {
    run(Case {
        fixture: "php-composer",
        edit: ("src/Message.php", "hello from php", "edited php"),
        page: "hello from php",
        manifest: Some("composer.json"),
        add_ons: &[],
        no_shell: false,
    })
    .await;
}

/// A Rack app served by Puma (its gems are Debian's, installed in the stand-in: rubygems.org is
/// not reachable here), installed frozen from Gemfile.lock; compose watch restarts Puma after a
/// sync; production runs as uid 10001, read-only.
#[tokio::test(flavor = "multi_thread")]
async fn ruby_rack_puma() {
    run(Case {
        fixture: "ruby-rack",
        edit: ("lib/message.rb", "hello from ruby", "edited ruby"),
        page: "hello from ruby",
        manifest: Some("Gemfile"),
        add_ons: &[],
        no_shell: false,
    })
    .await;
}

/// Bun runs the TypeScript entry as it is (no build step), on the oven/bun slim image.
#[tokio::test(flavor = "multi_thread")]
async fn bun_hono_typescript() {
    run(Case {
        fixture: "bun-hono",
        edit: ("message.ts", "hello from bun", "edited bun"),
        page: "hello from bun",
        manifest: Some("package.json"),
        add_ons: &[],
        no_shell: false,
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn deno_hono() {
    run(Case {
        fixture: "deno-hono",
        edit: ("message.ts", "hello from the deno app", "edited deno app"),
        page: "hello from the deno app",
        manifest: Some("deno.json"),
        add_ons: &[],
        no_shell: false,
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn static_html() {
    run(Case {
        fixture: "static-html",
        edit: (
            "index.html",
            "hello from the static site",
            "edited static site",
        ),
        page: "hello from the static site",
        manifest: None,
        add_ons: &[],
        no_shell: false,
    })
    .await;
}

/// A site in `public/`: the image serves the directory's contents from the web root, so the
/// sync must write there too (it once wrote to `<root>/public`, where nothing is served).
#[tokio::test(flavor = "multi_thread")]
async fn static_site_in_public() {
    run(Case {
        fixture: "static-public",
        edit: (
            "public/index.html",
            "hello from the public directory",
            "edited public site",
        ),
        page: "hello from the public directory",
        manifest: None,
        add_ons: &[],
        no_shell: false,
    })
    .await;
}
