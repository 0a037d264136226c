//! The input of detection: the project's file list and the contents of the few files that matter.

use std::collections::BTreeMap;

/// A read-only picture of a project directory, produced by `fsio::scan`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProjectScan {
    /// The project directory's name (for messages and default image names).
    pub name: String,
    /// Every file (relative, `/`-separated, sorted), without vendored or generated trees.
    pub files: Vec<String>,
    /// Contents of the files `wants_content` selected.
    pub contents: BTreeMap<String, String>,
}

impl ProjectScan {
    pub fn has(&self, path: &str) -> bool {
        self.files
            .binary_search_by(|f| f.as_str().cmp(path))
            .is_ok()
    }

    pub fn text(&self, path: &str) -> Option<&str> {
        self.contents.get(path).map(String::as_str)
    }

    /// Files under `dir/` (direct and nested).
    pub fn under<'a>(&'a self, dir: &'a str) -> impl Iterator<Item = &'a String> + 'a {
        self.files
            .iter()
            .filter(move |f| f.strip_prefix(dir).is_some_and(|r| r.starts_with('/')))
    }

    /// The part of the scan under `dir/`, with paths relative to it (a monorepo's app).
    pub fn sub(&self, dir: &str) -> ProjectScan {
        let prefix = format!("{dir}/");
        let strip = |path: &String| path.strip_prefix(&prefix).map(str::to_string);
        ProjectScan {
            name: dir.rsplit('/').next().unwrap_or(dir).to_string(),
            files: self.files.iter().filter_map(strip).collect(),
            contents: self
                .contents
                .iter()
                .filter_map(|(path, text)| strip(path).map(|p| (p, text.clone())))
                .collect(),
        }
    }

    /// Builds a scan from `(path, contents)` pairs: handy for tests and the TUI preview.
    pub fn from_files<'a>(name: &str, files: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut scan = ProjectScan {
            name: name.to_string(),
            ..ProjectScan::default()
        };
        for (path, text) in files {
            scan.files.push(path.to_string());
            if wants_content(path) {
                scan.contents.insert(path.to_string(), text.to_string());
            }
        }
        scan.files.sort();
        scan.files.dedup();
        scan
    }
}

const MANIFESTS: &[&str] = &[
    "package.json",
    "tsconfig.json",
    "pnpm-workspace.yaml",
    "pyproject.toml",
    "requirements.txt",
    "manage.py",
    "go.mod",
    "Cargo.toml",
    "rust-toolchain.toml",
    "rust-toolchain",
    ".nvmrc",
    ".node-version",
    ".python-version",
    ".env",
    ".env.example",
    ".env.sample",
    ".env.local",
    ".env.development",
    "angular.json",
    "pom.xml",
    "build.gradle",
    "build.gradle.kts",
    "settings.gradle",
    "settings.gradle.kts",
    "composer.json",
    "Gemfile",
    "Gemfile.lock",
    ".ruby-version",
    "config.ru",
    "deno.json",
    "deno.jsonc",
];

const SOURCE_EXTENSIONS: &[&str] = &[
    ".js", ".mjs", ".cjs", ".ts", ".mts", ".py", ".go", ".rs", ".rb", ".cs", ".fs",
];

const DOTNET_MANIFESTS: &[&str] = &[".csproj", ".fsproj", ".vbproj", ".sln", ".slnx"];

/// Whether detection needs this file's contents: manifests anywhere (workspaces), source files
/// near the top (where servers start and ports are chosen).
pub fn wants_content(path: &str) -> bool {
    let base = path.rsplit('/').next().unwrap_or(path);
    let depth = path.matches('/').count();
    if MANIFESTS.contains(&base) {
        return depth <= 3;
    }
    // requirements/base.txt, requirements-prod.txt: included from requirements.txt with `-r`.
    let in_requirements_dir = path.split('/').rev().nth(1) == Some("requirements");
    if (base.starts_with("requirements") || in_requirements_dir) && base.ends_with(".txt") {
        return depth <= 2;
    }
    if base.starts_with("vite.config")
        || base.starts_with("next.config")
        || base.starts_with("astro.config")
        || base.starts_with("vue.config")
    {
        return depth == 0;
    }
    if super::java_config::wants_source(path) || path == "bootstrap/app.php" || path == "bin/rails"
    {
        return true;
    }
    // .NET project files and the solution and build settings next to them.
    if DOTNET_MANIFESTS.iter().any(|ext| base.ends_with(ext))
        || matches!(
            base,
            "global.json"
                | "Directory.Build.props"
                | "Directory.Packages.props"
                | "NuGet.config"
                | "nuget.config"
        )
    {
        return depth <= 2;
    }
    SOURCE_EXTENSIONS.iter().any(|ext| base.ends_with(ext))
        && depth <= 3
        && !base.ends_with(".d.ts")
        && !base.contains(".test.")
        && !base.contains(".spec.")
        && !base.starts_with("test_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selects_manifests_and_shallow_sources() {
        assert!(wants_content("package.json"));
        assert!(wants_content("crates/api/Cargo.toml"));
        assert!(wants_content("src/index.ts"));
        assert!(!wants_content("src/index.test.ts"));
        assert!(!wants_content("a/b/c/d/e.py"));
        assert!(!wants_content("README.md"));
    }

    #[test]
    fn under_matches_whole_components() {
        let scan = ProjectScan::from_files("p", [("src/a.js", ""), ("srcx/b.js", "")]);
        assert_eq!(scan.under("src").count(), 1);
        assert!(scan.has("srcx/b.js"));
    }
}
