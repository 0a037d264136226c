//! Static sites: a Node project whose only job is a bundler/generator build, or plain HTML.

use super::facts::{Fact, Reason};
use super::node::{NodeFound, SERVER_DEPS};
use super::{Language, Partial, ProjectScan, ServiceKind};

const GENERATORS: &[&str] = &[
    "vite",
    "astro",
    "@11ty/eleventy",
    "gatsby",
    "react-scripts",
    "@docusaurus/core",
    "vitepress",
];

pub(crate) fn detect(scan: &ProjectScan, node: Option<&NodeFound>) -> Option<Partial> {
    if let Some(node) = node {
        let generator = GENERATORS.iter().find(|g| node.deps.contains(**g))?;
        if SERVER_DEPS.iter().any(|s| node.deps.contains(*s)) {
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
    let has_other_manifest = ["pyproject.toml", "requirements.txt", "go.mod", "Cargo.toml"]
        .iter()
        .any(|m| scan.has(m));
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
