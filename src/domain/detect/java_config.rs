//! What a Java module says outside its build file: Spring Boot/Quarkus configuration
//! (`application.properties`/`.yml`, flattened to dotted keys), the port it sets, and the main
//! class of a plain application found in its conventional entry files.

use super::ProjectScan;
use super::facts::{Fact, Reason};
use super::java_build::Found;

/// Where Spring Boot and Quarkus read their configuration, under a module's directory.
const CONFIG_FILES: &[&str] = &[
    "src/main/resources/application.properties",
    "src/main/resources/application.yml",
    "src/main/resources/application.yaml",
];

/// One configuration entry: dotted key, value, file and line.
pub(crate) struct Entry {
    key: String,
    value: String,
    file: String,
    line: usize,
}

/// `path` under `module` (the project root when empty).
pub(crate) fn within(module: &str, path: &str) -> String {
    if module.is_empty() {
        path.to_string()
    } else {
        format!("{module}/{path}")
    }
}

pub(crate) fn config(scan: &ProjectScan, module: &str) -> Vec<Entry> {
    let mut out = Vec::new();
    for name in CONFIG_FILES {
        let file = within(module, name);
        let Some(text) = scan.text(&file) else {
            continue;
        };
        let yaml = !file.ends_with(".properties");
        let mut path: Vec<(usize, String)> = Vec::new();
        for (index, raw) in text.lines().enumerate() {
            let line = raw.split('#').next().unwrap_or_default();
            if line.trim().is_empty() || line.trim_start().starts_with('!') {
                continue;
            }
            let (key, value) = if yaml {
                let Some((k, v)) = line.split_once(':') else {
                    continue;
                };
                let indent = k.len() - k.trim_start().len();
                path.retain(|(i, _)| *i < indent);
                path.push((indent, k.trim().to_string()));
                let full: Vec<&str> = path.iter().map(|(_, k)| k.as_str()).collect();
                (full.join("."), v.trim())
            } else {
                let Some((k, v)) = line.split_once(['=', ':']) else {
                    continue;
                };
                (k.trim().to_string(), v.trim())
            };
            if !value.is_empty() {
                out.push(Entry {
                    key,
                    value: value.trim_matches(['"', '\'']).to_string(),
                    file: file.clone(),
                    line: index + 1,
                });
            }
        }
    }
    out
}

/// The port `key` sets, or the framework's 8080 with the build file's line as the reason.
pub(crate) fn port(
    config: &[Entry],
    key: &str,
    framework: &str,
    file: &str,
    found: &Found,
) -> Fact<u16> {
    config
        .iter()
        .find(|e| e.key == key)
        .and_then(|e| {
            // `${PORT:8081}`: the default after the colon is what runs in the container.
            let v = e.value.as_str();
            let literal = v
                .strip_prefix("${")
                .and_then(|r| r.strip_suffix('}'))
                .and_then(|r| r.split_once(':').map(|(_, d)| d))
                .unwrap_or(v);
            let port = literal.parse::<u16>().ok().filter(|p| *p > 0)?;
            Some(Fact::new(
                port,
                Reason::at(&e.file, Some(e.line), format!("{key}={v}")),
            ))
        })
        .unwrap_or_else(|| {
            Fact::new(
                8080,
                Reason::at(
                    file,
                    Some(found.line),
                    format!("{framework}'s default port 8080"),
                ),
            )
        })
}

/// A class with `main` among the module's conventional entry files.
pub(crate) fn main_from_sources(scan: &ProjectScan, module: &str) -> Option<Fact<String>> {
    let java = within(module, "src/main/java/");
    let kotlin = within(module, "src/main/kotlin/");
    scan.files
        .iter()
        .filter(|f| (f.starts_with(&java) || f.starts_with(&kotlin)) && wants_source(f))
        .find_map(|file| {
            let text = scan.text(file)?;
            let kotlin = file.ends_with(".kt");
            let marker = if kotlin {
                "fun main("
            } else {
                "static void main("
            };
            let line = text.lines().position(|l| l.contains(marker))? + 1;
            let package = text
                .lines()
                .find_map(|l| l.trim().strip_prefix("package "))
                .map(|p| p.trim().trim_end_matches(';').trim().to_string());
            let stem = file.rsplit('/').next()?.rsplit_once('.')?.0;
            let class = if kotlin {
                format!("{stem}Kt")
            } else {
                stem.to_string()
            };
            let full = match package {
                Some(p) if !p.is_empty() => format!("{p}.{class}"),
                _ => class,
            };
            Some(Fact::new(
                full.clone(),
                Reason::at(file, Some(line), format!("main of {full}")),
            ))
        })
}

/// Entry-point sources and configuration files whose contents detection reads, at the root or
/// in a module up to two directories down (`fsio::scan` asks this).
pub fn wants_source(path: &str) -> bool {
    let Some((module, rest)) = ["src/main/java/", "src/main/kotlin/", "src/main/resources/"]
        .iter()
        .find_map(|dir| path.find(dir).map(|at| (&path[..at], &path[at..])))
    else {
        return false;
    };
    if module.matches('/').count() > 2 || rest.matches('/').count() > 10 {
        return false;
    }
    let base = path.rsplit('/').next().unwrap_or(path);
    if rest.starts_with("src/main/resources/") {
        return rest.matches('/').count() == 3 && base.starts_with("application.");
    }
    let stem = base.rsplit_once('.').map_or(base, |(s, _)| s);
    (base.ends_with(".java") || base.ends_with(".kt"))
        && (stem == "Main" || stem == "App" || stem.ends_with("Application") || stem == "Server")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_and_config_wanted_in_modules() {
        assert!(wants_source("src/main/java/com/example/App.java"));
        assert!(wants_source("app/src/main/kotlin/demo/App.kt"));
        assert!(wants_source(
            "services/api/src/main/resources/application.yml"
        ));
        assert!(!wants_source("src/main/resources/static/application.js"));
        assert!(!wants_source("src/main/java/com/example/Util.java"));
        assert!(!wants_source("a/b/c/src/main/java/App.java"));
    }
}
