//! The compose.yaml part of the context: the app's watch rules, environment and dependencies,
//! a hardened `production` profile service, and the add-on services with native health checks.

use serde::Serialize;

use super::pins;
use crate::domain::detect::ServiceKind;
use crate::domain::wizard::{AddOn, Answers, Leaf, SecurityOpt};

#[derive(Debug, Clone, Serialize)]
pub struct WatchRule {
    pub action: &'static str,
    pub path: String,
    pub target: Option<String>,
    pub ignore: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AddOnCtx {
    pub name: &'static str,
    pub image: &'static str,
    pub environment: Vec<(String, String)>,
    pub port: String,
    pub volume_name: String,
    pub volume_target: &'static str,
    pub test: String,
    pub interval: &'static str,
    pub timeout: &'static str,
    pub start_period: Option<&'static str>,
    pub retries: u8,
}

#[derive(Debug, Clone, Serialize)]
pub struct ComposeCtx {
    pub publish: bool,
    pub environment: Vec<(String, String)>,
    pub depends: Vec<&'static str>,
    pub watch: Vec<WatchRule>,
    pub no_new_privileges: bool,
    pub cap_drop: bool,
    /// Capabilities given back after `cap_drop: ALL` (Caddy's binary carries a file capability
    /// and cannot even be executed when its bounding set lacks it).
    pub cap_add: Vec<&'static str>,
    pub read_only: bool,
    pub production_port: u16,
    pub tmpfs: Vec<&'static str>,
    pub add_ons: Vec<AddOnCtx>,
}

/// Where the development image keeps the synced files.
fn sync_root(answers: &Answers) -> &'static str {
    match answers.leaf {
        Leaf::StaticNginx if !answers.build_step => "/usr/share/nginx/html",
        Leaf::StaticCaddy if !answers.build_step => "/srv",
        Leaf::PhpApache => "/var/www/html",
        _ => "/app",
    }
}

fn watch(answers: &Answers, manifests: &[String]) -> Vec<WatchRule> {
    let p = &answers.project;
    let root = sync_root(answers);
    // A single-page app's dev server also reads files outside its source directory (Vite's
    // index.html and public/, CRA's public/): the whole project is synced there, minus the
    // dependencies and the build output.
    let spa = answers.leaf.is_static() && answers.build_step;
    let dir = if spa {
        "."
    } else {
        p.source_dir.trim_start_matches("./").trim_end_matches('/')
    };
    // A static site without a build copies its directory's contents into the web root
    // (`COPY public /usr/share/nginx/html`), so its files sync to the root itself.
    let contents_at_root = answers.leaf.is_static() && !answers.build_step;
    let (path, target) = if dir.is_empty() || dir == "." {
        (".".to_string(), root.to_string())
    } else if contents_at_root {
        (format!("./{dir}"), root.to_string())
    } else {
        (format!("./{dir}"), format!("{root}/{dir}"))
    };
    // Interpreters with reloaders pick up synced files themselves; compiled languages and plain
    // processes need a restart after the sync.
    let reloads = p
        .dev_command
        .iter()
        .any(|w| w == "--reload" || w == "--debug" || w == "runserver" || w == "--watch")
        || p.dev_command.iter().any(|w| w == "dev")
        || answers.leaf.is_static()
        // PHP reads the files on each request (the dev image has no opcache).
        || answers.leaf == Leaf::PhpApache
        // Rails' development environment reloads edited code on the next request.
        || (answers.leaf == Leaf::Ruby && p.framework == "rails")
        // `dotnet watch` rebuilds and restarts the app itself.
        || answers.leaf == Leaf::Dotnet;
    let action = if reloads { "sync" } else { "sync+restart" };
    let ignore: Vec<String> = if path == "." {
        match answers.leaf {
            Leaf::NodeBuild | Leaf::NodePlain | Leaf::StaticNginx | Leaf::StaticCaddy
                if answers.build_step || answers.leaf.is_node() =>
            {
                let output = p
                    .build_output
                    .trim_start_matches("./")
                    .trim_end_matches('/');
                let mut ignore = vec!["node_modules/".to_string()];
                if answers.build_step && !output.is_empty() && output != "." {
                    ignore.push(format!("{output}/"));
                }
                ignore
            }
            Leaf::PythonPip | Leaf::PythonUv | Leaf::PythonPoetry => {
                vec![".venv/".into(), "**/__pycache__/".into()]
            }
            Leaf::Rust => vec!["target/".into()],
            Leaf::JavaMaven => vec!["target/".into()],
            Leaf::JavaGradle => vec!["build/".into(), ".gradle/".into()],
            Leaf::Ruby => vec![
                ".bundle/".into(),
                "vendor/bundle/".into(),
                "node_modules/".into(),
                "log/".into(),
                "tmp/".into(),
                "storage/".into(),
            ],
            Leaf::Dotnet => vec!["**/bin/".into(), "**/obj/".into(), ".vs/".into()],
            Leaf::Deno => vec!["node_modules/".into()],
            Leaf::PhpApache => vec![
                "vendor/".into(),
                "node_modules/".into(),
                "storage/".into(),
                "var/".into(),
            ],
            _ => Vec::new(),
        }
    } else {
        Vec::new()
    };
    let mut rules = vec![WatchRule {
        action,
        path,
        target: Some(target),
        ignore,
    }];
    for file in manifests {
        rules.push(WatchRule {
            action: "rebuild",
            path: file.clone(),
            target: None,
            ignore: Vec::new(),
        });
    }
    rules
}

fn add_on(addon: AddOn) -> AddOnCtx {
    let env = |pairs: &[(&str, &str)]| {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    };
    match addon {
        AddOn::Postgres => AddOnCtx {
            name: "postgres",
            image: pins::POSTGRES_IMAGE,
            environment: env(&[("POSTGRES_USER", "app"), ("POSTGRES_PASSWORD", "app"), ("POSTGRES_DB", "app")]),
            port: "127.0.0.1:5432:5432".into(),
            volume_name: "postgres-data".into(),
            volume_target: "/var/lib/postgresql/data",
            // -h 127.0.0.1: the init server listens on the socket only, so TCP means really ready.
            test: r#"["CMD-SHELL", "pg_isready -h 127.0.0.1 -U $${POSTGRES_USER} -d $${POSTGRES_DB}"]"#.into(),
            interval: "10s",
            timeout: "5s",
            start_period: Some("30s"),
            retries: 5,
        },
        AddOn::Redis => AddOnCtx {
            name: "redis",
            image: pins::REDIS_IMAGE,
            environment: Vec::new(),
            port: "127.0.0.1:6379:6379".into(),
            volume_name: "redis-data".into(),
            volume_target: "/data",
            test: r#"["CMD", "redis-cli", "ping"]"#.into(),
            interval: "10s",
            timeout: "3s",
            start_period: Some("5s"),
            retries: 5,
        },
        AddOn::Mysql => AddOnCtx {
            name: "mysql",
            image: pins::MYSQL_IMAGE,
            environment: env(&[("MYSQL_DATABASE", "app"), ("MYSQL_USER", "app"), ("MYSQL_PASSWORD", "app"), ("MYSQL_ROOT_PASSWORD", "root")]),
            port: "127.0.0.1:3306:3306".into(),
            volume_name: "mysql-data".into(),
            volume_target: "/var/lib/mysql",
            // The init server runs with --skip-networking: a TCP ping only answers once it is done.
            test: r#"["CMD", "mysqladmin", "ping", "-h", "127.0.0.1"]"#.into(),
            interval: "10s",
            timeout: "5s",
            start_period: Some("30s"),
            retries: 5,
        },
    }
}

/// The add-ons' addresses as the frameworks read them (Spring Boot's relaxed binding of
/// `spring.datasource.*`, Quarkus' `quarkus.datasource.*`, Laravel's `DB_*`): they never look at
/// DATABASE_URL.
fn framework_environment(answers: &Answers, add_ons: &[AddOn]) -> Vec<(String, String)> {
    let spring = answers.project.framework == "spring-boot";
    let quarkus = answers.project.framework == "quarkus";
    let laravel = answers.project.framework == "laravel";
    let rails = answers.project.framework == "rails";
    let mut out = Vec::new();
    let pair = |k: &str, v: &str| (k.to_string(), v.to_string());
    // Postgres wins the one datasource when both databases are added.
    let database = if add_ons.contains(&AddOn::Postgres) {
        Some("jdbc:postgresql://postgres:5432/app")
    } else if add_ons.contains(&AddOn::Mysql) {
        Some("jdbc:mysql://mysql:3306/app")
    } else {
        None
    };
    if laravel && let Some((driver, host, port)) = laravel_database(add_ons) {
        for (k, v) in [
            ("DB_CONNECTION", driver),
            ("DB_HOST", host),
            ("DB_PORT", port),
            ("DB_DATABASE", "app"),
            ("DB_USERNAME", "app"),
            ("DB_PASSWORD", "app"),
        ] {
            out.push(pair(k, v));
        }
    }
    // Production Rails needs its master key (config/master.key, kept out of the image), from
    // .env or the shell.
    if rails {
        out.push(pair("RAILS_MASTER_KEY", "${RAILS_MASTER_KEY:-}"));
    }
    if laravel && add_ons.contains(&AddOn::Redis) {
        out.push(pair("REDIS_HOST", "redis"));
    }
    if let Some(url) = database {
        if spring {
            out.push(pair("SPRING_DATASOURCE_URL", url));
            out.push(pair("SPRING_DATASOURCE_USERNAME", "app"));
            out.push(pair("SPRING_DATASOURCE_PASSWORD", "app"));
        } else if quarkus {
            out.push(pair("QUARKUS_DATASOURCE_JDBC_URL", url));
            out.push(pair("QUARKUS_DATASOURCE_USERNAME", "app"));
            out.push(pair("QUARKUS_DATASOURCE_PASSWORD", "app"));
        }
    }
    if add_ons.contains(&AddOn::Redis) {
        if spring {
            out.push(pair("SPRING_DATA_REDIS_HOST", "redis"));
        } else if quarkus {
            out.push(pair("QUARKUS_REDIS_HOSTS", "redis://redis:6379"));
        }
    }
    out
}

fn laravel_database(add_ons: &[AddOn]) -> Option<(&'static str, &'static str, &'static str)> {
    if add_ons.contains(&AddOn::Postgres) {
        Some(("pgsql", "postgres", "5432"))
    } else if add_ons.contains(&AddOn::Mysql) {
        Some(("mysql", "mysql", "3306"))
    } else {
        None
    }
}

pub fn compose_ctx(answers: &Answers, manifests: &[String]) -> ComposeCtx {
    let mut environment = Vec::new();
    if answers.kind != ServiceKind::Worker && !answers.leaf.is_static() {
        environment.push(("PORT".to_string(), answers.port.to_string()));
    }
    let mut add_ons: Vec<AddOn> = answers.add_ons.clone();
    add_ons.sort();
    add_ons.dedup();
    for addon in &add_ons {
        let (key, value) = match addon {
            AddOn::Postgres => ("DATABASE_URL", "postgres://app:app@postgres:5432/app"),
            AddOn::Mysql if add_ons.contains(&AddOn::Postgres) => {
                ("MYSQL_URL", "mysql://app:app@mysql:3306/app")
            }
            // Rails reads the adapter's name as the scheme.
            AddOn::Mysql if answers.project.framework == "rails" => {
                ("DATABASE_URL", "mysql2://app:app@mysql:3306/app")
            }
            AddOn::Mysql => ("DATABASE_URL", "mysql://app:app@mysql:3306/app"),
            AddOn::Redis => ("REDIS_URL", "redis://redis:6379/0"),
        };
        environment.push((key.to_string(), value.to_string()));
    }
    environment.extend(framework_environment(answers, &add_ons));
    let mut tmpfs = vec!["/tmp"];
    if answers.leaf == Leaf::PhpApache {
        tmpfs.extend(super::php::tmpfs(answers));
    }
    if answers.leaf == Leaf::Ruby {
        tmpfs.extend(super::ruby::tmpfs(answers));
    }
    if answers.leaf == Leaf::StaticCaddy {
        // Caddy keeps its autosaved config and certificates under XDG dirs /config and /data.
        tmpfs.extend(["/config", "/data"]);
    }
    ComposeCtx {
        publish: answers.kind != ServiceKind::Worker,
        environment,
        depends: add_ons.iter().map(|a| a.as_str()).collect(),
        watch: watch(answers, manifests),
        no_new_privileges: answers.has(SecurityOpt::NoNewPrivileges),
        cap_drop: answers.has(SecurityOpt::CapDrop),
        cap_add: if answers.leaf == Leaf::StaticCaddy && answers.has(SecurityOpt::CapDrop) {
            vec!["NET_BIND_SERVICE"]
        } else {
            Vec::new()
        },
        read_only: answers.has(SecurityOpt::ReadOnly),
        production_port: answers.port.checked_add(1).unwrap_or(answers.port - 1),
        tmpfs,
        add_ons: add_ons.into_iter().map(add_on).collect(),
    }
}
