//! Rust detection: Cargo.toml (package name, `[[bin]]`, workspace members; invalid TOML is
//! reported by line), Cargo.lock, and the toolchain version.

use super::command::Command;
use super::facts::{Fact, ManifestProblem, Reason, line_col, line_of};
use super::{Language, Partial, ProjectScan, ServiceKind};

pub(crate) fn detect(scan: &ProjectScan, problems: &mut Vec<ManifestProblem>) -> Option<Partial> {
    if !scan.has("Cargo.toml") {
        return None;
    }
    let text = scan.text("Cargo.toml").unwrap_or_default();
    let mut out = Partial {
        language: Some(Fact::new(
            Language::Rust,
            Reason::at("Cargo.toml", None, "Cargo.toml at the project root"),
        )),
        ..Partial::default()
    };
    let table = match parse(text, "Cargo.toml", problems) {
        Some(table) => table,
        None => return Some(out),
    };
    if scan.has("Cargo.lock") {
        out.lockfile = Some(Fact::new(
            "Cargo.lock".into(),
            Reason::at("Cargo.lock", None, "lockfile present"),
        ));
    }
    let members: Vec<String> = table
        .get("workspace")
        .and_then(|w| w.get("members"))
        .and_then(toml::Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(toml::Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    // Glob members (`crates/*`) expand to the directories holding a Cargo.toml.
    let mut expanded = Vec::new();
    for member in &members {
        if let Some(prefix) = member.strip_suffix("/*") {
            expanded.extend(
                scan.files
                    .iter()
                    .filter_map(|f| f.strip_suffix("/Cargo.toml"))
                    .filter(|d| {
                        d.strip_prefix(prefix)
                            .is_some_and(|r| r.starts_with('/') && !r[1..].contains('/'))
                    })
                    .map(str::to_string),
            );
        } else {
            expanded.push(member.clone());
        }
    }
    out.workspace_members = expanded.clone();

    let mut binary = bin_of(&table, text, "Cargo.toml", scan.has("src/main.rs"));
    for member in &expanded {
        if binary.is_some() {
            break;
        }
        let file = format!("{member}/Cargo.toml");
        if let Some(member_text) = scan.text(&file)
            && let Some(member_table) = parse(member_text, &file, problems)
        {
            binary = bin_of(
                &member_table,
                member_text,
                &file,
                scan.has(&format!("{member}/src/main.rs")),
            );
        }
    }
    if let Some(bin) = &binary {
        out.entrypoint = Some(Fact::new(
            Command::exec([format!("/usr/local/bin/{}", bin.value)]),
            bin.reason.clone(),
        ));
    }
    out.binary = binary;
    let deps_text: String = std::iter::once(text)
        .chain(
            expanded
                .iter()
                .filter_map(|m| scan.text(&format!("{m}/Cargo.toml"))),
        )
        .collect::<Vec<_>>()
        .join("\n");
    let http = [
        "axum",
        "actix-web",
        "rocket",
        "warp",
        "hyper",
        "poem",
        "tide",
    ]
    .into_iter()
    .find(|d| {
        deps_text.lines().any(|l| {
            l.trim_start().starts_with(&format!("{d} "))
                || l.trim_start().starts_with(&format!("{d}="))
        })
    });
    out.kind = Some(match http {
        Some(dep) => Fact::new(
            ServiceKind::Http,
            Reason::at(
                "Cargo.toml",
                line_of(text, dep),
                format!("depends on {dep}"),
            ),
        ),
        None => Fact::new(
            ServiceKind::Worker,
            Reason::default_for("no HTTP framework in the dependencies"),
        ),
    });
    out.framework_port = Some(Fact::new(
        8080,
        Reason::default_for("Rust default port 8080"),
    ));
    out.version = toolchain(scan).or_else(|| {
        let line = line_of(text, "rust-version")?;
        let value = text
            .lines()
            .nth(line - 1)?
            .split_once('=')?
            .1
            .trim()
            .trim_matches('"')
            .to_string();
        let major_minor: Vec<&str> = value.split('.').take(2).collect();
        Some(Fact::new(
            major_minor.join("."),
            Reason::at(
                "Cargo.toml",
                Some(line),
                format!("rust-version = \"{value}\""),
            ),
        ))
    });
    out.source_dir = Some(Fact::new(
        ".".into(),
        Reason::default_for("cargo builds the whole workspace"),
    ));
    out.build_step = Some(Fact::new(
        true,
        Reason::at("Cargo.toml", None, "Rust compiles to a binary"),
    ));
    Some(out)
}

fn parse(text: &str, file: &str, problems: &mut Vec<ManifestProblem>) -> Option<toml::Table> {
    match text.parse::<toml::Table>() {
        Ok(table) => Some(table),
        Err(err) => {
            let (line, column) = err.span().map_or((1, 1), |span| line_col(text, span.start));
            problems.push(ManifestProblem {
                file: file.to_string(),
                line,
                column,
                message: format!("invalid TOML: {}", err.message()),
            });
            None
        }
    }
}

fn bin_of(table: &toml::Table, text: &str, file: &str, has_main: bool) -> Option<Fact<String>> {
    if let Some(name) = table
        .get("bin")
        .and_then(toml::Value::as_array)
        .and_then(|b| b.first())
        .and_then(|b| b.get("name"))
        .and_then(toml::Value::as_str)
    {
        return Some(Fact::new(
            name.to_string(),
            Reason::at(
                file,
                line_of(text, "[[bin]]"),
                format!("[[bin]] name = \"{name}\""),
            ),
        ));
    }
    let name = table.get("package")?.get("name")?.as_str()?;
    has_main.then(|| {
        Fact::new(
            name.to_string(),
            Reason::at(
                file,
                line_of(text, "name"),
                format!("package {name} has src/main.rs"),
            ),
        )
    })
}

fn toolchain(scan: &ProjectScan) -> Option<Fact<String>> {
    for file in ["rust-toolchain.toml", "rust-toolchain"] {
        let Some(text) = scan.text(file) else {
            continue;
        };
        let line = line_of(text, "channel").unwrap_or(1);
        let raw = text.lines().nth(line - 1)?;
        let value = raw
            .split_once('=')
            .map_or(raw, |(_, v)| v)
            .trim()
            .trim_matches('"');
        if value.starts_with(|c: char| c.is_ascii_digit()) {
            let major_minor: Vec<&str> = value.split('.').take(2).collect();
            return Some(Fact::new(
                major_minor.join("."),
                Reason::at(file, Some(line), format!("toolchain {value}")),
            ));
        }
    }
    None
}
