//! The compose loader never panics: arbitrary text, and YAML documents built from compose
//! keys and awkward values (interpolation, anchors, tags, odd scalars), all end in Ok or a
//! `LoadError` with a message.

// Test helpers outside #[test] fns: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use devbox::domain::compose::{LoadOptions, MemorySource, load, load_from_str};
use proptest::prelude::*;

fn opts() -> LoadOptions {
    LoadOptions::for_dir("/p")
}

const KEYS: &[&str] = &[
    "services",
    "image",
    "build",
    "ports",
    "volumes",
    "environment",
    "depends_on",
    "healthcheck",
    "test",
    "interval",
    "networks",
    "aliases",
    "extends",
    "include",
    "profiles",
    "command",
    "env_file",
    "deploy",
    "resources",
    "limits",
    "memory",
    "cpus",
    "name",
    "x-a",
    "<<",
    "target",
    "published",
    "condition",
    "required",
    "secrets",
    "configs",
    "file",
    "service",
    "ulimits",
    "logging",
    "develop",
    "watch",
    "path",
    "action",
    "tmpfs",
    "extra_hosts",
    "restart",
    "scale",
];

const VALUES: &[&str] = &[
    "x",
    "\"80:80\"",
    "8080",
    "-1",
    "1.5",
    "true",
    "no",
    "~",
    "''",
    "${A}",
    "${A:-${B}}",
    "${A?}",
    "$$",
    "${",
    "}",
    "[]",
    "{}",
    "[a, b]",
    "{a: 1}",
    "\"a=b\"",
    "./rel",
    "/abs",
    "~/h",
    "10x",
    "1m30s",
    "512m",
    "!reset []",
    "!override {}",
    "&anc x",
    "*anc",
    "\"1-2:3-4/udp\"",
    "\"::1:80:80\"",
    "service_healthy",
    "[CMD, x]",
    "\"a:b:c:d\"",
    "0440",
    "0x1f",
    ".inf",
];

fn yaml_doc() -> impl Strategy<Value = String> {
    let line = (
        0usize..5,
        prop::sample::select(KEYS),
        prop::option::of(prop::sample::select(VALUES)),
        any::<bool>(),
    );
    prop::collection::vec(line, 0..40).prop_map(|lines| {
        let mut out = String::new();
        for (indent, key, value, dash) in lines {
            out.push_str(&"  ".repeat(indent));
            if dash {
                out.push_str("- ");
            }
            out.push_str(key);
            out.push(':');
            if let Some(v) = value {
                out.push(' ');
                out.push_str(v);
            }
            out.push('\n');
        }
        out
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,400}") {
        let _ = load_from_str(&text, &opts());
    }

    #[test]
    fn compose_shaped_yaml_never_panics(doc in yaml_doc(), over in yaml_doc()) {
        let result = load_from_str(&doc, &opts());
        if let Err(err) = &result {
            prop_assert!(!err.message.is_empty());
        }
        let source = MemorySource::new()
            .with("/p/compose.yaml", &doc)
            .with("/p/override.yaml", &over)
            .with("/p/.env", &over);
        let opts = LoadOptions { files: vec!["/p/compose.yaml".into(), "/p/override.yaml".into()], ..opts() };
        let _ = load(&opts, &source);
    }
}

#[test]
fn a_valid_document_loads() {
    // Guards the generator's premise: the loader accepts what it should.
    let loaded = load_from_str(
        "services:\n  a:\n    image: x\n    ports: [\"80:80\"]\n",
        &opts(),
    )
    .unwrap();
    assert_eq!(loaded.project.name, "p");
    assert_eq!(loaded.project.services["a"].ports[0].target, 80);
}
