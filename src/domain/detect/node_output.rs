//! Where a Node framework writes its build: its config when it names one (angular.json
//! `outputPath` — with the application builder's `browser/` — Vite's and Astro's `outDir`, Vue
//! CLI's `outputDir`, the VitePress root), else the framework's default.

use super::ProjectScan;
use super::facts::{Fact, Reason, line_of};
use super::node_framework::{Framework, Scripts, program_words};
use serde_json::Value;

/// Where the framework writes its build: its config when it names one, else its default.
pub(crate) fn build_output(
    framework: &Framework,
    scan: &ProjectScan,
    scripts: &Scripts,
) -> Fact<String> {
    let configured = match framework.tool {
        "ng" => angular_output(scan),
        "vue-cli-service" => config_value(scan, "vue.config", "outputDir"),
        "vite" => config_value(scan, "vite.config", "outDir"),
        "astro" => config_value(scan, "astro.config", "outDir"),
        "vitepress" => vitepress_output(scripts),
        _ => None,
    };
    configured.unwrap_or_else(|| {
        Fact::new(
            framework.output.to_string(),
            Reason::at(
                "package.json",
                line_of(scripts.text, &format!("\"{}\"", framework.dep)),
                format!(
                    "{} writes its build to {}/",
                    framework.dep, framework.output
                ),
            ),
        )
    })
}

/// `key: 'dir'` in a root config file (`vite.config.ts`, `vue.config.js`, …).
fn config_value(scan: &ProjectScan, prefix: &str, key: &str) -> Option<Fact<String>> {
    let (file, text) = scan
        .contents
        .iter()
        .find(|(f, _)| !f.contains('/') && f.starts_with(prefix))?;
    let (index, line) = text
        .lines()
        .enumerate()
        .find(|(_, l)| l.trim_start().starts_with(key))?;
    let value = line.split_once(':')?.1.trim();
    let quote = value
        .chars()
        .next()
        .filter(|c| matches!(c, '"' | '\'' | '`'))?;
    let inner = &value[1..];
    let dir = inner[..inner.find(quote)?]
        .trim_start_matches("./")
        .trim_end_matches('/');
    (!dir.is_empty()).then(|| {
        Fact::new(
            dir.to_string(),
            Reason::at(file, Some(index + 1), format!("{key} is \"{dir}\"")),
        )
    })
}

/// `vitepress build docs` writes to `docs/.vitepress/dist`.
fn vitepress_output(scripts: &Scripts) -> Option<Fact<String>> {
    let name = ["build", "docs:build"].into_iter().find(|n| {
        scripts
            .get(n)
            .is_some_and(|s| s.contains("vitepress build"))
    })?;
    let script = scripts.get(name)?;
    let words = program_words(script);
    let root = words
        .iter()
        .skip(2)
        .find(|w| !w.starts_with('-'))
        .map_or(".", |w| w.trim_end_matches('/'));
    let dir = if root == "." {
        ".vitepress/dist".to_string()
    } else {
        format!("{root}/.vitepress/dist")
    };
    Some(Fact::new(
        dir,
        scripts.reason(name, &format!("scripts.{name} is \"{script}\"")),
    ))
}

/// angular.json: the build target's `outputPath` of the default (or first application)
/// project; the `application` builder (Angular 17+) writes the browser files to `browser/`.
fn angular_output(scan: &ProjectScan) -> Option<Fact<String>> {
    let text = scan.text("angular.json")?;
    let json: Value = serde_json::from_str(text).ok()?;
    let projects = json.get("projects")?.as_object()?;
    let (name, project) = json
        .get("defaultProject")
        .and_then(Value::as_str)
        .and_then(|d| projects.get_key_value(d))
        .or_else(|| {
            projects
                .iter()
                .find(|(_, p)| p.get("projectType").and_then(Value::as_str) == Some("application"))
        })
        .or_else(|| projects.iter().next())?;
    let build = project
        .get("architect")
        .or_else(|| project.get("targets"))?
        .get("build")?;
    let builder = build
        .get("builder")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let application = builder.ends_with(":application");
    let output = build.get("options").and_then(|o| o.get("outputPath"));
    let line = line_of(text, "\"outputPath\"");
    let (dir, note) = match output {
        Some(Value::String(path)) if application => (
            format!("{}/browser", path.trim_end_matches('/')),
            format!(
                "outputPath is \"{path}\"; the application builder writes browser files to browser/"
            ),
        ),
        Some(Value::String(path)) => (
            path.trim_end_matches('/').to_string(),
            format!("outputPath is \"{path}\""),
        ),
        Some(Value::Object(parts)) => {
            let base = parts.get("base").and_then(Value::as_str).unwrap_or("dist");
            let browser = parts
                .get("browser")
                .and_then(Value::as_str)
                .unwrap_or("browser");
            let dir = if browser.is_empty() {
                base.trim_end_matches('/').to_string()
            } else {
                format!("{}/{browser}", base.trim_end_matches('/'))
            };
            (
                dir,
                format!("outputPath.base is \"{base}\", browser files in \"{browser}\""),
            )
        }
        _ if application => (
            format!("dist/{name}/browser"),
            format!("no outputPath: the application builder writes dist/{name}/browser"),
        ),
        _ => (
            format!("dist/{name}"),
            format!("no outputPath: Angular writes dist/{name}"),
        ),
    };
    let dir = dir.trim_start_matches("./").to_string();
    Some(Fact::new(dir, Reason::at("angular.json", line, note)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn angular_output_paths() {
        let scan = |json: &str| ProjectScan::from_files("p", [("angular.json", json)]);
        let app = r#"{"projects": {"shop": {"projectType": "application", "architect": {"build": {"builder": "@angular-devkit/build-angular:application", "options": {"outputPath": "dist/shop"}}}}}}"#;
        assert_eq!(
            angular_output(&scan(app)).unwrap().value,
            "dist/shop/browser"
        );
        let old = r#"{"defaultProject": "x", "projects": {"x": {"architect": {"build": {"builder": "@angular-devkit/build-angular:browser", "options": {"outputPath": "dist/x"}}}}}}"#;
        assert_eq!(angular_output(&scan(old)).unwrap().value, "dist/x");
        let object = r#"{"projects": {"y": {"architect": {"build": {"builder": "@angular/build:application", "options": {"outputPath": {"base": "out", "browser": ""}}}}}}}"#;
        assert_eq!(angular_output(&scan(object)).unwrap().value, "out");
    }
}
