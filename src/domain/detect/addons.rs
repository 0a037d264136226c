//! Add-on services the code already talks to: database and cache client libraries named in the
//! manifests suggest postgres, redis or mysql (each with the manifest line as its reason).

use super::facts::{Fact, Reason};
use super::{Detected, ProjectScan, pydeps};

/// (add-on, client libraries) per manifest style.
const CLIENTS: &[(&str, &[&str])] = &[
    (
        "postgres",
        &[
            "pg",
            "postgres",
            "psycopg",
            "psycopg2",
            "psycopg2-binary",
            "asyncpg",
            "github.com/jackc/pgx/v5",
            "github.com/lib/pq",
            "tokio-postgres",
            "postgresql",
            "r2dbc-postgresql",
            "ext-pdo_pgsql",
            "ext-pgsql",
        ],
    ),
    (
        "redis",
        &[
            "redis",
            "ioredis",
            "bullmq",
            "github.com/redis/go-redis/v9",
            "deadpool-redis",
            "spring-boot-starter-data-redis",
            "jedis",
            "lettuce-core",
            "quarkus-redis-client",
            "predis/predis",
            "ext-redis",
        ],
    ),
    (
        "mysql",
        &[
            "mysql",
            "mysql2",
            "pymysql",
            "mysqlclient",
            "github.com/go-sql-driver/mysql",
            "mysql_async",
            "mysql-connector-j",
            "mysql-connector-java",
            "mariadb-java-client",
            "ext-pdo_mysql",
            "mysql2",
            "trilogy",
            "ext-mysqli",
        ],
    ),
];

/// Manifests read line by line (Python's are read as data by `pydeps`).
const MANIFESTS: &[&str] = &[
    "package.json",
    "go.mod",
    "Cargo.toml",
    "pom.xml",
    "build.gradle",
    "build.gradle.kts",
    "composer.json",
    "Gemfile",
];

fn names_dependency(file: &str, line: &str, name: &str) -> bool {
    let line = line.trim();
    match file {
        "package.json" | "composer.json" => line.starts_with(&format!("\"{name}\":")),
        "go.mod" => line
            .trim_start_matches("require ")
            .starts_with(&format!("{name} ")),
        "Cargo.toml" => {
            line.starts_with(&format!("{name} ")) || line.starts_with(&format!("{name}="))
        }
        "Gemfile" => super::ruby::gems(line)
            .first()
            .is_some_and(|(gem, _)| gem == name),
        "pom.xml" => line.contains(&format!("<artifactId>{name}</artifactId>")),
        // `group:artifact[:version]` in a dependency notation.
        "build.gradle" | "build.gradle.kts" => [':', '\'', '"']
            .iter()
            .any(|end| line.contains(&format!(":{name}{end}"))),
        _ => {
            let lead: String = line
                .trim_start_matches(['"', '\''])
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
                .collect();
            lead.eq_ignore_ascii_case(name)
        }
    }
}

pub(crate) fn detect(scan: &ProjectScan, out: &mut Detected) {
    // Python manifests are read as data (one-line arrays, Poetry tables, `-r` includes).
    let pyproject = scan
        .text("pyproject.toml")
        .and_then(|t| t.parse::<toml::Table>().ok());
    let python = pydeps::read(scan, pyproject.as_ref());
    for (addon, clients) in CLIENTS {
        let from_python = python.iter().find_map(|dep| {
            clients
                .iter()
                .find(|c| dep.name == **c)
                .map(|name| dep.reason(&format!("uses {name}")))
        });
        let found = from_python.or_else(|| {
            MANIFESTS.iter().find_map(|file| {
                let text = scan.text(file)?;
                text.lines().enumerate().find_map(|(index, line)| {
                    clients
                        .iter()
                        .find(|name| names_dependency(file, line, name))
                        .map(|name| Reason::at(file, Some(index + 1), format!("uses {name}")))
                })
            })
        });
        if let Some(reason) = found {
            out.add_ons.push(Fact::new(addon.to_string(), reason));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_whole_dependency_names() {
        assert!(names_dependency("package.json", r#"    "pg": "^8","#, "pg"));
        assert!(!names_dependency(
            "package.json",
            r#"    "pgx": "^8","#,
            "pg"
        ));
        assert!(names_dependency(
            "requirements.txt",
            "psycopg[binary]==3.2",
            "psycopg"
        ));
        assert!(names_dependency(
            "go.mod",
            "\tgithub.com/lib/pq v1.10.9",
            "github.com/lib/pq"
        ));
        assert!(names_dependency(
            "Cargo.toml",
            "tokio-postgres = \"0.7\"",
            "tokio-postgres"
        ));
        assert!(names_dependency(
            "pom.xml",
            "<dependency><artifactId>postgresql</artifactId></dependency>",
            "postgresql"
        ));
        assert!(names_dependency(
            "build.gradle",
            "runtimeOnly 'com.mysql:mysql-connector-j'",
            "mysql-connector-j"
        ));
        assert!(!names_dependency(
            "build.gradle",
            "implementation 'io.r2dbc:r2dbc-postgresql:1.0'",
            "postgresql"
        ));
    }
}
