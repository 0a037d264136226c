//! The layout keeps its promises (ARCHITECTURE.md, `lib.rs`'s map): no source file imports a
//! file that imports it back, the pure core (`domain`) reaches no edge, the edges reach no
//! consumer, and nothing runs the devbox binary itself.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `src/engine/stack/up.rs` → `["engine", "stack", "up"]`; `mod.rs` and `lib.rs` name their
/// directory.
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts
}

/// The code outside `#[cfg(test)] mod tests` (tests may import what they like).
fn non_test(text: &str) -> &str {
    text.split("#[cfg(test)]\nmod tests").next().unwrap_or(text)
}

/// Every `crate::…`/`super::…` path in `text`, `use` groups expanded one level, as segments
/// from the crate root.
fn references(me: &[String], text: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        let head = if rest.starts_with("crate::") {
            Some(("crate", 7))
        } else if rest.starts_with("super::") {
            Some(("super", 7))
        } else {
            None
        };
        let word_start = i == 0
            || !(bytes[i - 1].is_ascii_alphanumeric()
                || bytes[i - 1] == b'_'
                || bytes[i - 1] == b':');
        let Some((kind, len)) = head.filter(|_| word_start) else {
            i += rest.chars().next().map_or(1, char::len_utf8);
            continue;
        };
        let mut j = i + len;
        let mut base: Vec<String> = Vec::new();
        if kind == "super" {
            // `me` already names a `mod.rs` by its directory, so `super` is one level up
            // either way.
            base = me.to_vec();
            base.pop();
            while text[j..].starts_with("super::") {
                base.pop();
                j += 7;
            }
        }
        // Segments up to a `{`, or the end of the path.
        let path_end = text[j..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
            .map_or(text.len(), |e| j + e);
        let path = &text[j..path_end];
        base.extend(
            path.split("::")
                .filter(|s| !s.is_empty())
                .map(str::to_owned),
        );
        if text[path_end..].starts_with('{') {
            let close = text[path_end..]
                .find('}')
                .map_or(text.len(), |e| path_end + e);
            for item in text[path_end + 1..close].split(',') {
                let name = item.split(" as ").next().unwrap_or("").trim();
                let mut full = base.clone();
                full.extend(
                    name.split("::")
                        .filter(|s| !s.is_empty() && *s != "self" && *s != "*")
                        .map(str::to_owned),
                );
                out.push(full);
            }
            i = close;
        } else {
            out.push(base);
            i = path_end;
        }
    }
    out
}

struct Graph {
    files: BTreeMap<Vec<String>, PathBuf>,
    edges: BTreeMap<PathBuf, BTreeSet<PathBuf>>,
}

fn graph() -> Graph {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut all = Vec::new();
    sources(&src, &mut all);
    let files: BTreeMap<Vec<String>, PathBuf> = all
        .iter()
        .map(|f| (module_of(&src, f), f.clone()))
        .collect();
    let resolve = |segs: &[String]| {
        (1..=segs.len())
            .rev()
            .find_map(|n| files.get(&segs[..n]).cloned())
    };
    let mut edges: BTreeMap<PathBuf, BTreeSet<PathBuf>> = BTreeMap::new();
    for file in &all {
        let me = module_of(&src, file);
        let text = std::fs::read_to_string(file).unwrap();
        for segs in references(&me, non_test(&text)) {
            if let Some(target) = resolve(&segs).filter(|t| t != file) {
                edges.entry(file.clone()).or_default().insert(target);
            }
        }
    }
    Graph { files, edges }
}

fn short(p: &Path) -> String {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    p.strip_prefix(&src).unwrap_or(p).display().to_string()
}

#[test]
fn no_file_imports_a_file_that_imports_it_back() {
    let g = graph();
    assert!(g.files.len() > 100, "the walk found the sources");
    // The reader sees both kinds of path (a guard against a reader that finds nothing).
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let up = g.edges.get(&src.join("engine/stack/up.rs")).unwrap();
    assert!(
        up.contains(&src.join("engine/stack/converge.rs")),
        "super:: edge"
    );
    assert!(
        up.contains(&src.join("domain/compose/graph.rs")),
        "crate:: edge"
    );
    let mut cycles = Vec::new();
    for (a, targets) in &g.edges {
        for b in targets {
            if a < b && g.edges.get(b).is_some_and(|t| t.contains(a)) {
                cycles.push(format!("{} <-> {}", short(a), short(b)));
            }
        }
    }
    assert!(cycles.is_empty(), "import cycles:\n{}", cycles.join("\n"));
}

#[test]
fn dependencies_point_one_way() {
    let g = graph();
    // Layer → the top-level modules it must not reach.
    let forbidden: &[(&str, &[&str])] = &[
        (
            "domain",
            &[
                "app", "ui", "engine", "watch", "fsio", "ops", "runtime", "commands", "cli",
            ],
        ),
        (
            "engine",
            &["app", "ui", "ops", "runtime", "commands", "cli"],
        ),
        (
            "watch",
            &["app", "ui", "engine", "ops", "runtime", "commands", "cli"],
        ),
        (
            "fsio",
            &["app", "ui", "engine", "ops", "runtime", "commands", "cli"],
        ),
        ("ops", &["app", "ui", "runtime", "commands", "cli"]),
        (
            "app",
            &[
                "ui", "engine", "watch", "fsio", "ops", "runtime", "commands", "cli",
            ],
        ),
        (
            "ui",
            &[
                "engine", "watch", "fsio", "ops", "runtime", "commands", "cli",
            ],
        ),
    ];
    let layer = |p: &Path| {
        short(p)
            .split('/')
            .next()
            .unwrap_or("")
            .trim_end_matches(".rs")
            .to_owned()
    };
    let mut wrong = Vec::new();
    for (from, targets) in &g.edges {
        let Some((_, banned)) = forbidden.iter().find(|(l, _)| *l == layer(from)) else {
            continue;
        };
        for to in targets {
            if banned.contains(&layer(to).as_str()) {
                wrong.push(format!("{} -> {}", short(from), short(to)));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "dependencies against the rule:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn nothing_runs_the_devbox_binary() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut all = Vec::new();
    sources(&src, &mut all);
    let spawning: Vec<String> = all
        .iter()
        .filter(|f| std::fs::read_to_string(f).unwrap().contains("current_exe"))
        .map(|f| short(f))
        .collect();
    assert!(spawning.is_empty(), "{spawning:?}");
}
