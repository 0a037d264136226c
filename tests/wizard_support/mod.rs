//! Shared by the wizard test files: the answers for every leaf × add-on variant, rendered.

#![allow(dead_code)]

use std::collections::BTreeMap;

use devbox::domain::detect::{Detected, Language, PackageManager, ServiceKind};
use devbox::domain::plan::{self, RenderedFile};
use devbox::domain::wizard::{AddOn, Answers, Base, PartialAnswers, PartialProject, Step, Walk};

/// One generated variant: its name and the answers.
pub struct Variant {
    pub name: String,
    pub answers: Answers,
}

fn presets(leaf: &str) -> PartialAnswers {
    let mut p = PartialAnswers::default();
    let lock = |f: &str| PartialProject {
        lockfile: Some(f.to_string()),
        ..PartialProject::default()
    };
    match leaf {
        "node-build" => {
            p.language = Some(Language::Node);
            p.build_step = Some(true);
            p.package_manager = Some(PackageManager::Npm);
            p.project = lock("package-lock.json");
        }
        "node-plain" => {
            p.language = Some(Language::Node);
            p.build_step = Some(false);
            p.package_manager = Some(PackageManager::Npm);
            p.project = lock("package-lock.json");
        }
        "python-pip" => {
            p.language = Some(Language::Python);
            p.package_manager = Some(PackageManager::Pip);
            p.project = lock("requirements.txt");
            p.project.entrypoint = Some(vec![
                "gunicorn".into(),
                "--bind".into(),
                "0.0.0.0:8000".into(),
                "app:app".into(),
            ]);
        }
        "python-uv" => {
            p.language = Some(Language::Python);
            p.package_manager = Some(PackageManager::Uv);
            p.project = lock("uv.lock");
            p.project.entrypoint = Some(vec![
                "uvicorn".into(),
                "app.main:app".into(),
                "--host".into(),
                "0.0.0.0".into(),
                "--port".into(),
                "8000".into(),
            ]);
        }
        "python-poetry" => {
            p.language = Some(Language::Python);
            p.package_manager = Some(PackageManager::Poetry);
            p.project = lock("poetry.lock");
            p.project.dev_group = Some(true);
        }
        "go" => {
            p.language = Some(Language::Go);
            p.base = Some(Base::Distroless);
            p.project = lock("go.sum");
            p.project.go_main = Some("./cmd/server".into());
            p.project.binary = Some("server".into());
        }
        "rust" => {
            p.language = Some(Language::Rust);
            p.base = Some(Base::DebianSlim);
            p.project = lock("Cargo.lock");
            p.project.binary = Some("api".into());
        }
        "static-nginx" => {
            p.language = Some(Language::Static);
            p.base = Some(Base::Nginx);
            p.build_step = Some(true);
            p.package_manager = Some(PackageManager::Npm);
            p.project = lock("package-lock.json");
        }
        "static-caddy" => {
            p.language = Some(Language::Static);
            p.base = Some(Base::Caddy);
            p.build_step = Some(false);
            p.project.build_output = Some("public".into());
            p.project.source_dir = Some("public".into());
        }
        "java-maven" => {
            p.language = Some(Language::Java);
            p.package_manager = Some(PackageManager::Maven);
            p.project.framework = Some("spring-boot".into());
            p.project.install_extras = Some(vec![
                "mvnw".into(),
                ".mvn/wrapper/maven-wrapper.properties".into(),
            ]);
            p.project.health_path = Some("/actuator/health/liveness".into());
        }
        "java-gradle" => {
            p.language = Some(Language::Java);
            p.package_manager = Some(PackageManager::Gradle);
            p.project.main_class = Some("com.example.AppKt".into());
            p.project.install_extras = Some(vec![
                "build.gradle.kts".into(),
                "settings.gradle.kts".into(),
            ]);
            p.project.workspace_members = Some(vec!["core".into()]);
        }
        "php-apache" => {
            p.language = Some(Language::Php);
            p.project = lock("composer.lock");
            p.project.install_extras = Some(vec!["composer.json".into()]);
            p.project.build_output = Some("public".into());
        }
        // Rails is checked statically (golden, hadolint, compose config): rubygems.org is not
        // reachable from these machines; the e2e row runs a Rack app on Debian's gems.
        "ruby" => {
            p.language = Some(Language::Ruby);
            p.project = lock("Gemfile.lock");
            p.project.install_extras = Some(vec!["Gemfile".into()]);
            p.project.framework = Some("rails".into());
            p.project.gems = Some(vec!["bootsnap".into(), "propshaft".into()]);
            p.project.health_path = Some("/up".into());
            p.project.entrypoint = Some(
                ["./bin/rails", "server", "-b", "0.0.0.0", "-p", "3000"]
                    .map(String::from)
                    .to_vec(),
            );
            p.project.dev_command = p.project.entrypoint.clone();
        }
        "deno" => {
            p.language = Some(Language::Deno);
            p.project = lock("deno.lock");
            p.project.install_extras = Some(vec!["deno.json".into()]);
            p.project.entrypoint = Some(
                ["deno", "run", "--allow-net", "--allow-env", "main.ts"]
                    .map(String::from)
                    .to_vec(),
            );
            p.project.dev_command = Some(
                [
                    "deno",
                    "run",
                    "--watch",
                    "--allow-net",
                    "--allow-env",
                    "main.ts",
                ]
                .map(String::from)
                .to_vec(),
            );
        }
        // .NET is checked statically (golden, hadolint, the Dockerfile reader, compose config):
        // the .NET SDK is not in Debian and NuGet is not reachable from these machines.
        "dotnet" => {
            p.language = Some(Language::Dotnet);
            p.project = lock("src/Shop.Api/packages.lock.json");
            p.project.module = Some("src/Shop.Api/Shop.Api.csproj".into());
            p.project.binary = Some("Shop.Api".into());
            p.project.version = Some("8.0".into());
            p.project.framework = Some("aspnet".into());
            p.project.install_extras = Some(vec![
                "Shop.sln".into(),
                "global.json".into(),
                "src/Shop.Api/Shop.Api.csproj".into(),
                "src/Shop.Core/Shop.Core.csproj".into(),
            ]);
            p.project.health_path = Some("/healthz".into());
        }
        other => panic!("unknown leaf {other}"),
    }
    p
}

pub const LEAVES: [&str; 15] = [
    "node-build",
    "node-plain",
    "python-pip",
    "python-uv",
    "python-poetry",
    "go",
    "rust",
    "java-maven",
    "java-gradle",
    "php-apache",
    "ruby",
    "dotnet",
    "deno",
    "static-nginx",
    "static-caddy",
];

pub fn answers_for(preset: PartialAnswers) -> Answers {
    let mut walk = Walk::with_presets(Detected::default(), "demo", preset);
    match walk.advance(true).expect("presets are valid") {
        Step::Done(answers) => *answers,
        Step::Ask(q) => panic!("unanswered: {:?}", q.spec.id),
    }
}

/// The golden variants: every leaf without add-ons and with postgres + redis.
pub fn golden() -> Vec<Variant> {
    let mut out = Vec::new();
    for leaf in LEAVES {
        for (suffix, add_ons) in [
            ("plain", vec![]),
            ("postgres-redis", vec![AddOn::Postgres, AddOn::Redis]),
        ] {
            let mut p = presets(leaf);
            p.add_ons = Some(add_ons);
            let answers = answers_for(p);
            assert_eq!(answers.leaf.as_str(), leaf);
            out.push(Variant {
                name: format!("{leaf}__{suffix}"),
                answers,
            });
        }
    }
    out
}

/// Golden variants plus the other branches: workers, scratch, distroless cc, mysql, pnpm, bun,
/// yarn, uv/poetry without lockfiles, static without build / with build on caddy.
pub fn all_variants() -> Vec<Variant> {
    let mut out = golden();
    let mut extra = |name: &str, leaf: &str, tweak: &dyn Fn(&mut PartialAnswers)| {
        let mut p = presets(leaf);
        tweak(&mut p);
        out.push(Variant {
            name: name.to_string(),
            answers: answers_for(p),
        });
    };
    extra("node-build-worker-mysql", "node-build", &|p| {
        p.kind = Some(ServiceKind::Worker);
        p.add_ons = Some(vec![AddOn::Mysql]);
    });
    extra("node-plain-worker", "node-plain", &|p| {
        p.kind = Some(ServiceKind::Worker)
    });
    extra("node-build-workspaces", "node-build", &|p| {
        p.project.workspace_members = Some(vec!["packages/api".into(), "packages/worker".into()]);
    });
    extra("node-build-pnpm", "node-build", &|p| {
        p.package_manager = Some(PackageManager::Pnpm);
        p.project.lockfile = Some("pnpm-lock.yaml".into());
    });
    extra("node-plain-bun", "node-plain", &|p| {
        p.package_manager = Some(PackageManager::Bun);
        p.project.lockfile = Some("bun.lock".into());
    });
    extra("node-build-yarn-nolock", "node-build", &|p| {
        p.package_manager = Some(PackageManager::Yarn);
        p.project.lockfile = None;
    });
    extra("node-build-yarn-berry", "node-build", &|p| {
        p.package_manager = Some(PackageManager::Yarn);
        p.project.lockfile = Some("yarn.lock".into());
        p.project.yarn_berry = Some(true);
        p.project.install_extras = Some(vec![
            ".yarnrc.yml".into(),
            ".yarn/releases/yarn-4.5.3.cjs".into(),
        ]);
    });
    extra("python-uv-nolock-worker", "python-uv", &|p| {
        p.project.lockfile = None;
        p.kind = Some(ServiceKind::Worker);
    });
    extra("python-pip-pyproject", "python-pip", &|p| {
        p.project.lockfile = None
    });
    extra("python-poetry-nolock", "python-poetry", &|p| {
        p.project.lockfile = None
    });
    extra("go-scratch", "go", &|p| p.base = Some(Base::Scratch));
    extra("go-worker", "go", &|p| p.kind = Some(ServiceKind::Worker));
    extra("rust-distroless", "rust", &|p| {
        p.base = Some(Base::DistrolessCc);
        p.project.workspace_members = Some(vec!["crates/api".into(), "crates/core".into()]);
    });
    extra("rust-worker", "rust", &|p| {
        p.kind = Some(ServiceKind::Worker)
    });
    extra("java-maven-plain-jar", "java-maven", &|p| {
        p.project.framework = Some(String::new());
        p.project.main_class = Some("com.example.App".into());
        p.project.install_extras = Some(Vec::new());
        p.project.health_path = Some("/".into());
    });
    extra("java-maven-quarkus-mysql", "java-maven", &|p| {
        p.project.framework = Some("quarkus".into());
        p.project.health_path = Some("/q/health/live".into());
        p.add_ons = Some(vec![AddOn::Mysql, AddOn::Redis]);
    });
    extra("java-gradle-spring-wrapper", "java-gradle", &|p| {
        p.project.framework = Some("spring-boot".into());
        p.project.main_class = Some("org.springframework.boot.loader.JarLauncher".into());
        p.project.install_extras = Some(vec![
            "build.gradle".into(),
            "gradlew".into(),
            "gradle/wrapper/gradle-wrapper.properties".into(),
        ]);
        p.add_ons = Some(vec![AddOn::Postgres]);
    });
    extra("java-gradle-app-module", "java-gradle", &|p| {
        p.project.module = Some("app".into());
        p.project.workspace_members = Some(vec!["app".into(), "lib".into()]);
        p.project.install_extras = Some(vec!["gradlew".into(), "settings.gradle.kts".into()]);
        p.project.source_dir = Some(".".into());
    });
    extra("java-maven-spring-module", "java-maven", &|p| {
        p.project.module = Some("web".into());
        p.project.workspace_members = Some(vec!["core".into(), "web".into()]);
        p.project.source_dir = Some(".".into());
    });
    extra("java-gradle-worker", "java-gradle", &|p| {
        p.kind = Some(ServiceKind::Worker)
    });
    extra("php-apache-laravel-extensions", "php-apache", &|p| {
        p.project.framework = Some("laravel".into());
        p.project.health_path = Some("/up".into());
        p.project.extensions = Some(vec![
            "intl".into(),
            "gd".into(),
            "redis".into(),
            "imagick".into(),
        ]);
        p.add_ons = Some(vec![AddOn::Postgres, AddOn::Redis]);
    });
    extra("php-apache-plain-index", "php-apache", &|p| {
        p.project.lockfile = None;
        p.project.install_extras = Some(Vec::new());
        p.project.build_output = Some(".".into());
    });
    extra("ruby-rack-puma-mysql", "ruby", &|p| {
        p.project.framework = Some(String::new());
        p.project.gems = Some(vec!["mysql2".into(), "git".into()]);
        p.project.health_path = Some("/health".into());
        p.project.entrypoint = Some(
            ["bundle", "exec", "puma", "--bind", "tcp://0.0.0.0:9292"]
                .map(String::from)
                .to_vec(),
        );
        p.project.dev_command = p.project.entrypoint.clone();
        p.port = Some(9292);
        p.add_ons = Some(vec![AddOn::Mysql]);
    });
    extra("ruby-sinatra-nolock-worker", "ruby", &|p| {
        p.project.lockfile = None;
        p.project.framework = Some("sinatra".into());
        p.project.gems = Some(Vec::new());
        p.project.entrypoint = Some(
            ["bundle", "exec", "ruby", "worker.rb"]
                .map(String::from)
                .to_vec(),
        );
        p.project.dev_command = p.project.entrypoint.clone();
        p.kind = Some(ServiceKind::Worker);
    });
    // A worker service at the root, without a solution or lock file: the runtime image and a
    // heartbeat instead of ASP.NET Core and an HTTP probe.
    extra("dotnet-worker-nolock", "dotnet", &|p| {
        p.project.lockfile = None;
        p.project.module = Some("Jobs.csproj".into());
        p.project.binary = Some("Jobs".into());
        p.project.framework = Some("worker".into());
        p.project.install_extras = Some(vec!["Jobs.csproj".into()]);
        p.kind = Some(ServiceKind::Worker);
        p.add_ons = Some(vec![AddOn::Redis]);
    });
    // A Deno worker without a lockfile, its config in deno.jsonc.
    extra("deno-worker-nolock", "deno", &|p| {
        p.project.lockfile = None;
        p.project.install_extras = Some(vec!["deno.jsonc".into()]);
        p.project.entrypoint = Some(
            ["deno", "run", "--allow-net", "--allow-env", "src/worker.ts"]
                .map(String::from)
                .to_vec(),
        );
        p.project.dev_command = None;
        p.kind = Some(ServiceKind::Worker);
        p.add_ons = Some(vec![AddOn::Redis]);
    });
    extra("static-nginx-plain", "static-nginx", &|p| {
        p.build_step = Some(false);
        p.project.build_output = Some(".".into());
        p.project.source_dir = Some(".".into());
    });
    extra("static-caddy-build", "static-caddy", &|p| {
        p.build_step = Some(true);
        p.package_manager = Some(PackageManager::Npm);
        p.project.lockfile = Some("package-lock.json".into());
        p.project.build_output = None;
        p.project.source_dir = Some("src".into());
    });
    out
}

pub fn render(answers: &Answers) -> Vec<RenderedFile> {
    plan::render(answers, &BTreeMap::new()).expect("embedded templates render")
}

pub fn file<'a>(files: &'a [RenderedFile], path: &str) -> &'a str {
    &files
        .iter()
        .find(|f| f.path == path)
        .expect("file rendered")
        .text
}
