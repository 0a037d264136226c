//! What a project holds besides what devbox can containerise: manifests of other stacks at the
//! root (Elixir, .NET, …; Go or Python sources without their manifest), and the
//! recognised apps in sub-directories of a monorepo root, so `init` can refuse with the facts
//! and say where to run instead of guessing a Node Dockerfile.

use std::collections::BTreeSet;

use super::facts::Reason;
use super::{Language, ProjectScan};

/// A root-level file of a stack the templates do not cover.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Foreign {
    pub stack: &'static str,
    /// The file that says so (relative to the project root).
    pub file: String,
    /// What the user can do about it.
    pub advice: &'static str,
    /// A manifest of that stack (pom.xml, composer.json), not only its source files: evidence
    /// enough that a package.json beside it merely builds that app's assets.
    pub manifest: bool,
}

/// A recognised app in a sub-directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubProject {
    /// The directory, relative to the project root (`frontend`, `apps/web`).
    pub dir: String,
    pub language: Language,
    /// Why, with the file path relative to the project root.
    pub reason: Reason,
}

const NO_TEMPLATE: &str = "devbox has no template for this stack";
const DOTNET_LIBRARY: &str = "no project with the Web or Worker SDK or OutputType Exe was found: devbox builds .NET apps, not libraries or tests";

/// (file name, stack) for exact root file names.
const MANIFESTS: &[(&str, &str)] = &[
    ("mix.exs", "Elixir (Mix)"),
    ("build.sbt", "Scala (sbt)"),
    ("Package.swift", "Swift"),
    ("pubspec.yaml", "Dart"),
    ("stack.yaml", "Haskell (Stack)"),
];

/// (extension, stack) for root files named by extension.
const EXTENSIONS: &[(&str, &str)] = &[
    (".csproj", ".NET (C#)"),
    (".fsproj", ".NET (F#)"),
    (".vbproj", ".NET (Visual Basic)"),
    (".sln", ".NET"),
    (".cabal", "Haskell (Cabal)"),
];

/// Root-level evidence of stacks devbox cannot build.
pub(crate) fn foreign(scan: &ProjectScan) -> Vec<Foreign> {
    let root_files = scan.files.iter().filter(|f| !f.contains('/'));
    let mut out = Vec::new();
    for file in root_files {
        let stack = MANIFESTS
            .iter()
            .find(|(name, _)| name == file)
            .or_else(|| EXTENSIONS.iter().find(|(ext, _)| file.ends_with(ext)))
            .map(|(_, stack)| *stack);
        if let Some(stack) = stack {
            // .NET projects devbox builds are detected as apps; one still listed here is a
            // library, a test project or a solution without a runnable project.
            let advice = if stack.starts_with(".NET") {
                DOTNET_LIBRARY
            } else {
                NO_TEMPLATE
            };
            out.push(Foreign {
                stack,
                file: file.clone(),
                advice,
                manifest: true,
            });
        }
    }
    let sources = |ext: &str| {
        scan.files
            .iter()
            .filter(|f| f.matches('/').count() <= 1 && f.ends_with(ext))
            .min_by_key(|f| f.matches('/').count())
    };
    if !scan.has("Gemfile")
        && let Some(file) = ["config.ru", "app.rb", "main.rb"]
            .into_iter()
            .find(|f| scan.has(f))
    {
        out.push(Foreign {
            stack: "Ruby without a Gemfile",
            file: file.to_string(),
            advice: "run `bundle init` and add the gems the app needs (rack, puma, sinatra…) to make it a Bundler project devbox can build",
            manifest: true,
        });
    }
    if !scan.has("go.mod")
        && let Some(file) = sources(".go")
    {
        out.push(Foreign {
            stack: "Go without go.mod",
            file: file.clone(),
            advice: "run `go mod init <module path>` to make it a Go module devbox can build",
            manifest: false,
        });
    }
    let python_manifest = ["pyproject.toml", "requirements.txt", "manage.py"]
        .iter()
        .any(|m| scan.has(m));
    if !python_manifest
        && !scan.has("package.json")
        && let Some(file) = sources(".py").filter(|f| !f.contains('/'))
    {
        out.push(Foreign {
            stack: "Python without requirements.txt or pyproject.toml",
            file: file.clone(),
            advice: "declare the dependencies in requirements.txt or pyproject.toml",
            manifest: false,
        });
    }
    if !scan.has("package.json")
        && !scan.has("deno.json")
        && let Some(file) = [
            "server.js",
            "index.js",
            "app.js",
            "main.js",
            "index.ts",
            "server.ts",
        ]
        .into_iter()
        .find(|f| scan.has(f))
    {
        out.push(Foreign {
            stack: "JavaScript without package.json",
            file: file.to_string(),
            advice: "run `npm init -y` and declare the dependencies in package.json",
            manifest: false,
        });
    }
    out
}

/// Files whose directory may hold an app of its own.
const APP_MANIFESTS: &[&str] = &[
    "package.json",
    "pyproject.toml",
    "requirements.txt",
    "manage.py",
    "go.mod",
    "Cargo.toml",
    "pom.xml",
    "build.gradle",
    "build.gradle.kts",
    "composer.json",
    "Gemfile",
];

/// Top-level directories of samples and tests, not apps to deploy.
const NOT_APPS: &[&str] = &[
    "examples",
    "example",
    "samples",
    "fixtures",
    "test",
    "tests",
    "e2e",
    "docs-examples",
];

/// Directories whose index.html belongs to something else: assets, build output, documentation.
const NOT_SITES: &[&str] = &[
    "public",
    "static",
    "assets",
    "dist",
    "build",
    "out",
    "coverage",
    "docs",
    "doc",
    "templates",
    "vendor",
    "node_modules",
    "site-packages",
    "htmlcov",
];

/// The directories one or two levels down holding a manifest that `detect_app` recognises.
pub(crate) fn sub_projects(
    scan: &ProjectScan,
    detect_app: impl Fn(&ProjectScan) -> Option<(Language, Reason)>,
) -> Vec<SubProject> {
    let candidates: BTreeSet<&str> = scan
        .files
        .iter()
        .filter_map(|f| {
            let (dir, base) = f.rsplit_once('/')?;
            let depth = dir.matches('/').count();
            let top = dir.split('/').next().unwrap_or(dir);
            let last = dir.rsplit('/').next().unwrap_or(dir);
            // A directory served as it is (`web/index.html`), unless its name says it is an
            // app's assets, output or documentation.
            let site = base == "index.html" && !NOT_SITES.contains(&last);
            ((APP_MANIFESTS.contains(&base) || site) && depth <= 1 && !NOT_APPS.contains(&top))
                .then_some(dir)
        })
        .collect();
    // An app's own sub-directories (`frontend/public` next to `frontend/package.json`) are
    // part of it.
    let dirs = candidates.iter().filter(|dir| {
        !candidates.iter().any(|other| {
            dir.strip_prefix(*other)
                .is_some_and(|rest| rest.starts_with('/'))
        })
    });
    let mut out = Vec::new();
    for dir in dirs {
        let sub = scan.sub(dir);
        if let Some((language, reason)) = detect_app(&sub) {
            let file = reason.file.as_ref().map(|f| format!("{dir}/{f}"));
            out.push(SubProject {
                dir: dir.to_string(),
                language,
                reason: Reason { file, ..reason },
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn foreign_manifests_and_orphan_sources() {
        let scan = ProjectScan::from_files(
            "p",
            [
                ("mix.exs", ""),
                ("Api.csproj", "<Project/>"),
                ("main.go", "package main"),
                ("src/App.java", ""),
            ],
        );
        let all = foreign(&scan);
        let found: Vec<(&str, &str)> = all.iter().map(|f| (f.stack, f.file.as_str())).collect();
        assert_eq!(
            found,
            vec![
                (".NET (C#)", "Api.csproj"),
                ("Elixir (Mix)", "mix.exs"),
                ("Go without go.mod", "main.go"),
            ]
        );
        assert!(
            foreign(&ProjectScan::from_files(
                "p",
                [("go.mod", ""), ("main.go", "")]
            ))
            .is_empty()
        );
    }

    #[test]
    fn sites_in_sub_directories_are_apps_but_assets_and_docs_are_not() {
        let scan = ProjectScan::from_files(
            "p",
            [
                ("README.md", "# p"),
                ("web/index.html", "<h1>web</h1>"),
                ("docs/index.html", "<h1>docs</h1>"),
                ("api/package.json", r#"{"dependencies":{"express":"4"}}"#),
                ("api/server.js", "require('express')().listen(3000)"),
                ("api/public/index.html", "<h1>api assets</h1>"),
            ],
        );
        let found = crate::domain::detect::detect(&scan);
        let dirs: Vec<(&str, Language)> = found
            .sub_projects
            .iter()
            .map(|s| (s.dir.as_str(), s.language))
            .collect();
        assert_eq!(dirs, [("api", Language::Node), ("web", Language::Static)]);
    }
}
