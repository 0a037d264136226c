//! The loader under hostile input (issue 19's probes and their relatives): each stops with an
//! error at a position that names the limit it hit, small enough inputs still load, and
//! recursion stays shallow enough for a 2 MiB thread (the dashboard loads on tokio's blocking
//! pool). The memory these inputs reach is measured in tests/compose_memory.rs.

use std::collections::BTreeMap;

use super::error::LoadError;
use super::{LoadOptions, Loaded, MemorySource, load, load_from_str};
use crate::domain::limits::{Limit, Limits};

fn opts(limits: Limits) -> LoadOptions {
    LoadOptions {
        limits,
        ..LoadOptions::for_dir("/p")
    }
}

fn load_str(yaml: &str) -> Result<Loaded, LoadError> {
    load_from_str(yaml, &opts(Limits::default()))
}

fn error_of(result: Result<Loaded, LoadError>) -> String {
    match result {
        Ok(_) => panic!("loaded, expected an error"),
        Err(err) => err.full_text(),
    }
}

fn nested(levels: usize) -> String {
    format!(
        "services:\n  a:\n    image: {}x{}\n",
        "${A:-".repeat(levels),
        "}".repeat(levels)
    )
}

/// Runs `f` on a thread with the stack of tokio's blocking pool.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap()
}

#[test]
fn nested_defaults_40000_deep_are_an_error_at_the_value_not_a_stack_overflow() {
    // The probe: 240 KB, SIGABRT in config, ps, up and the dashboard.
    let text = on_small_stack(|| error_of(load_str(&nested(40_000))));
    assert!(
        text.starts_with("compose.yaml:3:12: services.a.image: `${…}` nested more than 16 levels deep in defaults (limit: interpolation depth, 16 levels)"),
        "{text}"
    );
    assert!(text.contains("this limit is fixed"), "{text}");
    // Within the limit it is an ordinary value.
    let loaded = load_str(&nested(16)).unwrap();
    assert_eq!(loaded.project.services["a"].image, "x");
}

#[test]
fn listing_variables_stops_at_the_same_depth() {
    let opts = LoadOptions {
        variables_only: true,
        ..opts(Limits::default())
    };
    let text = error_of(load_from_str(&nested(40_000), &opts));
    assert!(
        text.contains("(limit: interpolation depth, 16 levels)"),
        "{text}"
    );
}

#[test]
fn the_1_9_kb_alias_bomb_stops_at_the_byte_budget() {
    // A 1,500-character anchored string aliased 10 times on each of 6 levels: 5.2 GB before.
    let mut yaml = format!("x-a0: &a0 \"{}\"\n", "x".repeat(1500));
    for level in 1..=6 {
        let refs = vec![format!("*a{}", level - 1); 10].join(", ");
        yaml.push_str(&format!("x-a{level}: &a{level} [{refs}]\n"));
    }
    yaml.push_str("services:\n  a:\n    image: busybox\n");
    assert!(yaml.len() < 2000);
    let text = error_of(load_str(&yaml));
    assert!(
        text.contains(
            "YAML aliases grow the project past 64.0 MiB here (limit: expanded size, 64.0 MiB"
        ),
        "{text}"
    );
    assert!(text.starts_with("compose.yaml:6:"), "{text}");
    assert!(text.contains("DEVBOX_LIMIT_EXPANDED_BYTES="), "{text}");
}

#[test]
fn a_large_plain_file_is_not_called_an_alias_bomb() {
    // A million list items and no alias: the node count tripped the old alias guard.
    let mut yaml = String::from("services:\n  a:\n    image: busybox\nx-list:\n");
    yaml.push_str(&"- 1\n".repeat(1_000_000));
    let text = error_of(load_str(&yaml));
    assert!(
        text.contains("the compose files' values grow the project past 64.0 MiB"),
        "{text}"
    );
    assert!(!text.contains("alias"), "{text}");
    // The same file under a raised limit loads.
    let limits = Limits::default().with(Limit::ExpandedBytes, 512 * 1024 * 1024);
    assert!(load_from_str(&yaml, &opts(limits)).is_ok());
}

#[test]
fn yaml_nesting_is_limited_in_block_and_flow_style() {
    let mut block = String::from("services:\n  a:\n    image: busybox\nx-deep:\n");
    for depth in 1..=70 {
        block.push_str(&format!("{}k:\n", "  ".repeat(depth)));
    }
    let text = on_small_stack(move || error_of(load_str(&block)));
    assert!(
        text.contains(
            "YAML nested more than 64 levels deep here (limit: YAML nesting depth, 64 levels)"
        ),
        "{text}"
    );
    let flow = format!(
        "services:\n  a:\n    image: busybox\nx-deep: {}{}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let text = error_of(load_str(&flow));
    assert!(
        text.contains("(limit: YAML nesting depth, 64 levels)"),
        "{text}"
    );
    assert!(text.starts_with("compose.yaml:4:"), "{text}");
}

#[test]
fn fifty_thousand_services_are_refused_at_the_first_one_over() {
    let mut yaml = String::from("services:\n");
    for i in 0..50_000 {
        yaml.push_str(&format!("  s{i}:\n    image: busybox\n"));
    }
    let text = error_of(load_str(&yaml));
    // s10000 is the first too many: line 2 + 2 × 10,000.
    assert!(
        text.starts_with("compose.yaml:20002:3: services: the project defines 50000 services, more than devbox loads (limit: services per project, 10000)"),
        "{text}"
    );
    assert!(
        text.contains("DEVBOX_LIMIT_SERVICES=50000 (now 10000)"),
        "{text}"
    );
    let limits = Limits::default().with(Limit::Services, 50_000);
    let limits = limits.with(Limit::ExpandedBytes, 1024 * 1024 * 1024);
    assert_eq!(
        load_from_str(&yaml, &opts(limits))
            .unwrap()
            .project
            .services
            .len(),
        50_000
    );
}

#[test]
fn port_ranges_spend_one_entry_per_port() {
    let ports: String = (0..200)
        .map(|i| {
            format!(
                "      - \"{}-{}:{}-{}\"\n",
                i + 1,
                i + 60_001,
                i + 1,
                i + 60_001
            )
        })
        .collect();
    let yaml = format!("services:\n  a:\n    image: busybox\n    ports:\n{ports}");
    let text = error_of(load_str(&yaml));
    assert!(text.contains("port ranges grow the project past"), "{text}");
    assert!(text.starts_with("compose.yaml:"), "{text}");
    let small = "services:\n  a:\n    image: busybox\n    ports: [\"8000-8009:8000-8009\"]\n";
    assert_eq!(
        load_str(small).unwrap().project.services["a"].ports.len(),
        10
    );
}

#[test]
fn a_base_extended_many_times_spends_each_copy() {
    let env: String = (0..5000)
        .map(|i| format!("      K{i}: {}\n", "v".repeat(100)))
        .collect();
    let mut yaml = format!("services:\n  base:\n    image: busybox\n    environment:\n{env}");
    for i in 0..2000 {
        yaml.push_str(&format!("  s{i}:\n    extends: base\n"));
    }
    let text = error_of(load_str(&yaml));
    assert!(
        text.contains("services copied by `extends` grow the project past"),
        "{text}"
    );
}

#[test]
fn a_long_extends_chain_fits_a_small_stack() {
    let mut yaml = String::from("services:\n  s0:\n    image: busybox\n");
    for i in 1..10_000 {
        yaml.push_str(&format!("  s{i}:\n    extends: s{}\n", i - 1));
    }
    let loaded = on_small_stack(move || load_str(&yaml).map(|l| l.project.services.len()));
    assert_eq!(loaded, Ok(10_000));
}

#[test]
fn one_env_file_shared_by_many_services_spends_each_copy() {
    let env: String = (0..8000)
        .map(|i| format!("K{i}={}\n", "v".repeat(100)))
        .collect();
    let mut yaml = String::from("services:\n");
    for i in 0..2000 {
        yaml.push_str(&format!(
            "  s{i}:\n    image: busybox\n    env_file: big.env\n"
        ));
    }
    let source = MemorySource::new()
        .with("/p/compose.yaml", &yaml)
        .with("/p/big.env", &env);
    let text = error_of(load(&opts(Limits::default()), &source));
    assert!(
        text.contains("env files merged into services grow the project past"),
        "{text}"
    );
}

#[test]
fn a_long_variable_used_many_times_spends_its_length_each_time() {
    let environment: BTreeMap<String, String> = [("A".to_owned(), "v".repeat(500_000))].into();
    let list: String = "      - ${A}\n".repeat(5000);
    let yaml = format!("services:\n  a:\n    image: busybox\n    x-l:\n{list}");
    let opts = LoadOptions {
        environment,
        ..opts(Limits::default())
    };
    let text = error_of(load_from_str(&yaml, &opts));
    assert!(
        text.contains("interpolated variables grow the project past"),
        "{text}"
    );
    assert!(text.contains(": services.a.x-l["), "{text}");
}

#[test]
fn env_file_values_cannot_multiply_each_other() {
    // `B=${A}${A}…` in a small .env file: gigabytes from a few kilobytes.
    let env = format!("A={}\nB={}\n", "v".repeat(100_000), "${A}".repeat(1000));
    let source = MemorySource::new()
        .with(
            "/p/compose.yaml",
            "services:\n  a:\n    image: busybox\n    env_file: e.env\n",
        )
        .with("/p/e.env", &env);
    let limits = Limits::default().with(Limit::ExpandedBytes, 16 * 1024 * 1024);
    let text = error_of(load(&opts(limits), &source));
    assert!(
        text.starts_with("e.env:2:1: invalid env file: the values expand past"),
        "{text}"
    );
    assert!(text.contains("(limit: expanded size, 16.0 MiB)"), "{text}");
}

#[test]
fn files_over_their_size_limit_are_refused_with_the_limit_named() {
    let source = MemorySource::new()
        .with(
            "/p/compose.yaml",
            "services:\n  a:\n    image: busybox\n    env_file: e.env\n",
        )
        .with("/p/e.env", &"K=v\n".repeat(1000));
    let limits = Limits::default().with(Limit::EnvFileBytes, 1000);
    let text = error_of(load(&opts(limits.clone()), &source));
    assert!(
        text.contains(
            "the file is 3.9 KiB, larger than devbox reads (limit: env file size, 1000 B)"
        ),
        "{text}"
    );
    assert!(text.contains("DEVBOX_LIMIT_ENV_FILE_BYTES=4000"), "{text}");
    let limits = limits.with(Limit::ComposeFileBytes, 10);
    let text = error_of(load(&opts(limits), &source));
    assert!(text.starts_with("compose.yaml: the file is"), "{text}");
    assert!(text.contains("(limit: compose file size, 10 B)"), "{text}");
}
