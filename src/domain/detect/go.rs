//! Go detection: go.mod (module, go version; a malformed file is reported by line), go.sum, and
//! the main package (`.` or `cmd/<name>`).

use super::command::Command;
use super::facts::{Fact, ManifestProblem, Reason};
use super::{Language, Partial, ProjectScan, ServiceKind};

const KNOWN_DIRECTIVES: &[&str] = &[
    "module",
    "go",
    "toolchain",
    "require",
    "replace",
    "exclude",
    "retract",
    "godebug",
    "tool",
    "ignore",
    "(",
    ")",
];

pub(crate) fn detect(scan: &ProjectScan, problems: &mut Vec<ManifestProblem>) -> Option<Partial> {
    if !scan.has("go.mod") {
        return None;
    }
    let text = scan.text("go.mod").unwrap_or_default();
    let mut out = Partial {
        language: Some(Fact::new(
            Language::Go,
            Reason::at("go.mod", None, "go.mod at the project root"),
        )),
        ..Partial::default()
    };
    let mut module = None;
    let mut in_block = false;
    for (index, raw) in text.lines().enumerate() {
        let line = raw.split("//").next().unwrap_or_default().trim();
        let number = index + 1;
        if line.is_empty() {
            continue;
        }
        if in_block {
            in_block = line != ")";
            continue;
        }
        let mut words = line.split_whitespace();
        let directive = words.next().unwrap_or_default();
        in_block = line.ends_with('(');
        match directive {
            "module" => {
                module = words
                    .next()
                    .map(|m| (m.trim_matches('"').to_string(), number))
            }
            "go" => {
                let version = words.next().unwrap_or_default();
                let valid = !version.is_empty()
                    && version.split('.').all(|p| {
                        !p.is_empty()
                            && p.chars()
                                .all(|c| c.is_ascii_digit() || c.is_ascii_lowercase())
                    });
                if !valid {
                    problems.push(ManifestProblem {
                        file: "go.mod".into(),
                        line: number,
                        column: 1,
                        message: format!(
                            "invalid go version {version:?} (expected like `go 1.22`)"
                        ),
                    });
                    return Some(out);
                }
                let major_minor: Vec<&str> = version.split('.').take(2).collect();
                out.version = Some(Fact::new(
                    major_minor.join("."),
                    Reason::at("go.mod", Some(number), format!("go {version}")),
                ));
            }
            d if KNOWN_DIRECTIVES.contains(&d) => {}
            other => {
                problems.push(ManifestProblem {
                    file: "go.mod".into(),
                    line: number,
                    column: 1,
                    message: format!("unknown directive {other:?}"),
                });
                return Some(out);
            }
        }
    }
    let Some((module, module_line)) = module else {
        problems.push(ManifestProblem {
            file: "go.mod".into(),
            line: 1,
            column: 1,
            message: "no module directive".into(),
        });
        return Some(out);
    };
    if scan.has("go.sum") {
        out.lockfile = Some(Fact::new(
            "go.sum".into(),
            Reason::at("go.sum", None, "module checksums"),
        ));
    }

    let mains: Vec<&str> = scan
        .contents
        .iter()
        .filter(|(file, text)| {
            file.ends_with(".go")
                && !file.ends_with("_test.go")
                && text.lines().any(|l| l.trim() == "package main")
        })
        .map(|(file, _)| file.rsplit_once('/').map_or(".", |(dir, _)| dir))
        .collect();
    let main_dir = if mains.contains(&".") {
        Some(".".to_string())
    } else {
        let mut cmd: Vec<&str> = mains
            .iter()
            .copied()
            .filter(|d| d.starts_with("cmd/"))
            .collect();
        cmd.sort_unstable();
        cmd.first().or(mains.first()).map(|d| d.to_string())
    };
    let binary_default = module.rsplit('/').next().unwrap_or("app").to_string();
    if let Some(dir) = main_dir {
        let others = mains.iter().filter(|d| **d != dir).count();
        let note = if others > 0 {
            format!("package main ({others} other main packages: pick with --answers)")
        } else {
            "package main".into()
        };
        let binary = if dir == "." {
            binary_default
        } else {
            dir.rsplit('/').next().unwrap_or("app").to_string()
        };
        let go_main = if dir == "." {
            ".".into()
        } else {
            format!("./{dir}")
        };
        let file = if dir == "." {
            "main.go".to_string()
        } else {
            format!("{dir}/main.go")
        };
        out.go_main = Some(Fact::new(go_main, Reason::at(&file, None, note)));
        out.binary = Some(Fact::new(
            binary.clone(),
            Reason::at(&file, None, "named after the main package directory"),
        ));
        out.entrypoint = Some(Fact::new(
            Command::exec([format!("/{binary}")]),
            Reason::at(&file, None, "the compiled binary"),
        ));
    } else {
        out.binary = Some(Fact::new(
            binary_default,
            Reason::at("go.mod", Some(module_line), format!("module {module}")),
        ));
    }
    let http = scan.contents.iter().find_map(|(file, text)| {
        let line = text.lines().position(|l| {
            l.contains("ListenAndServe")
                || l.contains(".Run(\"")
                || l.contains("net/http\"")
                || l.contains("gin-gonic")
                || l.contains("labstack/echo")
                || l.contains("gofiber")
        })?;
        file.ends_with(".go")
            .then(|| Reason::at(file, Some(line + 1), "serves HTTP"))
    });
    out.kind = Some(match http {
        Some(reason) => Fact::new(ServiceKind::Http, reason),
        None => Fact::new(
            ServiceKind::Worker,
            Reason::default_for("no HTTP server found in the Go sources"),
        ),
    });
    out.framework_port = Some(Fact::new(8080, Reason::default_for("Go default port 8080")));
    out.source_dir = Some(Fact::new(
        ".".into(),
        Reason::default_for("Go builds the whole module"),
    ));
    out.build_step = Some(Fact::new(
        true,
        Reason::at("go.mod", None, "Go compiles to a binary"),
    ));
    Some(out)
}
