//! Static sites: a Node project whose only job is a bundler/generator build, or plain HTML.

use super::facts::{Fact, Reason};
use super::node::{NodeFound, SERVER_DEPS};
use super::node_framework::FRAMEWORKS;
use super::{Language, Partial, ProjectScan, ServiceKind};

/// Static-site builders besides the frameworks `node_framework` knows a dev server for.
const OTHER_GENERATORS: &[&str] = &["@11ty/eleventy", "@sveltejs/adapter-static"];

/// Root files of a server-side stack: an index.html next to them is that app's, not a site.
const SERVER_MANIFESTS: &[&str] = &[
    "pyproject.toml",
    "requirements.txt",
    "go.mod",
    "Cargo.toml",
    "composer.json",
    "Gemfile",
    "pom.xml",
    "build.gradle",
    "build.gradle.kts",
    "mix.exs",
];

pub(crate) fn detect(scan: &ProjectScan, node: Option<&NodeFound>) -> Option<Partial> {
    if let Some(node) = node {
        let generator = FRAMEWORKS
            .iter()
            .filter(|f| f.static_site)
            .map(|f| f.dep)
            .chain(OTHER_GENERATORS.iter().copied())
            .find(|g| node.deps.contains(*g));
        // A package.json that runs nothing (a dev server or formatter as devDependencies) next
        // to an index.html: the files are the site.
        let Some(generator) = generator else {
            return (!node.runnable).then(|| plain(scan)).flatten();
        };
        // SvelteKit is a server unless its static adapter builds it into files.
        let server = SERVER_DEPS.iter().any(|s| {
            node.deps.contains(*s)
                && !(*s == "@sveltejs/kit" && node.deps.contains("@sveltejs/adapter-static"))
        });
        if server {
            return None;
        }
        let mut partial = node.partial.clone();
        partial.language = Some(Fact::new(
            Language::Static,
            node.dep_reason(
                generator,
                &format!("{generator} builds static files and no server framework is used"),
            ),
        ));
        partial.kind = Some(Fact::new(
            ServiceKind::Static,
            node.dep_reason(generator, "static files"),
        ));
        partial.entrypoint = None;
        partial.framework_port = Some(Fact::new(
            8080,
            Reason::default_for("the unprivileged web server listens on 8080"),
        ));
        return Some(partial);
    }
    plain(scan)
}

/// Plain HTML served as it is (no build), when no server-side stack claims the directory.
fn plain(scan: &ProjectScan) -> Option<Partial> {
    let has_other_manifest = SERVER_MANIFESTS.iter().any(|m| scan.has(m))
        || scan
            .files
            .iter()
            .any(|f| !f.contains('/') && (f.ends_with(".csproj") || f.ends_with(".sln")));
    if has_other_manifest {
        return None;
    }
    let (dir, file) = [
        (".", "index.html"),
        ("public", "public/index.html"),
        ("site", "site/index.html"),
        ("www", "www/index.html"),
    ]
    .into_iter()
    .find(|(_, f)| scan.has(f))?;
    let mut partial = Partial {
        language: Some(Fact::new(
            Language::Static,
            Reason::at(file, None, "an index.html and no language manifest"),
        )),
        ..Partial::default()
    };
    partial.kind = Some(Fact::new(
        ServiceKind::Static,
        Reason::at(file, None, "static files"),
    ));
    partial.build_step = Some(Fact::new(
        false,
        Reason::default_for("no package.json: the files are served as they are"),
    ));
    partial.build_output = Some(Fact::new(
        dir.to_string(),
        Reason::at(file, None, format!("site root {dir}/")),
    ));
    partial.source_dir = Some(Fact::new(
        dir.to_string(),
        Reason::at(file, None, format!("site root {dir}/")),
    ));
    partial.framework_port = Some(Fact::new(
        8080,
        Reason::default_for("the unprivileged web server listens on 8080"),
    ));
    Some(partial)
}
