//! Tests of the doctor's project judges.

use super::*;
use crate::domain::doctor::Verdict;

fn var(name: &str, has_default: bool) -> VariableFact {
    VariableFact {
        name: name.into(),
        has_default,
    }
}

#[test]
fn unset_variable_without_default_is_named() {
    let env = BTreeMap::from([("SET".to_string(), "1".to_string())]);
    let check = judge_variables(
        &[
            var("SET", false),
            var("OPT", true),
            var("DB_PASSWORD", false),
        ],
        &env,
    );
    assert_eq!(check.verdict, Verdict::Warn);
    assert!(check.detail.contains("DB_PASSWORD"), "{}", check.detail);
    assert!(!check.detail.contains("OPT"));
    assert!(check.fix.unwrap().contains("DB_PASSWORD=..."));
}

#[test]
fn missing_env_key_is_named() {
    let example = vec![
        ("PORT".to_string(), "3000".to_string()),
        ("SECRET".to_string(), String::new()),
    ];
    let present = BTreeSet::from(["PORT".to_string()]);
    let check = judge_env_file(&example, Some(&present));
    assert_eq!(check.verdict, Verdict::Warn);
    assert_eq!(check.detail, "missing in .env: SECRET");
    let missing_file = judge_env_file(&example, None);
    assert!(missing_file.fix.unwrap().contains("--fix"));
}

#[test]
fn env_from_example_fills_only_empty_values_and_keeps_comments() {
    let example = "# db\nPORT=3000\nPASSWORD=\nexport TOKEN=\n";
    let answers = BTreeMap::from([
        ("PASSWORD".to_string(), "s3cret pass".to_string()),
        ("PORT".to_string(), "9".to_string()),
    ]);
    let text = env_from_example(example, &answers);
    assert_eq!(
        text,
        "# db\nPORT=3000\nPASSWORD='s3cret pass'\nexport TOKEN=\n"
    );
}

#[test]
fn additions_append_only_missing_keys() {
    let example = vec![
        ("A".to_string(), "1".to_string()),
        ("B".to_string(), "x y".to_string()),
    ];
    let present = BTreeSet::from(["A".to_string()]);
    assert_eq!(env_additions(&example, &present), "B='x y'\n");
}

fn port(service: &str, p: u16) -> PublishedPort {
    PublishedPort {
        service: service.into(),
        host_ip: "127.0.0.1".into(),
        port: p,
        protocol: "tcp".into(),
    }
}

#[test]
fn taken_port_blocks_and_names_service_and_process() {
    let check = judge_ports(&[
        (port("web", 8080), PortHolder::Free),
        (
            port("db", 5432),
            PortHolder::Other(Some("postgres (pid 42)".into())),
        ),
    ]);
    assert_eq!(check.verdict, Verdict::Fail);
    assert!(check.blocking);
    assert_eq!(
        check.detail,
        "127.0.0.1:5432/tcp (service db) is in use by postgres (pid 42)"
    );
}

#[test]
fn ports_held_by_this_stack_pass() {
    let check = judge_ports(&[(port("web", 8080), PortHolder::ThisStack)]);
    assert_eq!(check.verdict, Verdict::Pass);
    assert!(check.detail.contains("already published by this stack"));
}

#[test]
fn images_to_build_and_pull_are_listed() {
    let facts = vec![
        ImageFact {
            service: "api".into(),
            image: "p-api".into(),
            builds: true,
            local_size: None,
            never_pull: false,
        },
        ImageFact {
            service: "db".into(),
            image: "postgres:17-alpine".into(),
            builds: false,
            local_size: None,
            never_pull: false,
        },
        ImageFact {
            service: "cache".into(),
            image: "redis:7".into(),
            builds: false,
            local_size: Some(10),
            never_pull: false,
        },
    ];
    let check = judge_images(&facts);
    assert_eq!(
        check.detail,
        "to build: api; to pull: postgres:17-alpine (db)"
    );
    assert!(!check.blocking);
}

#[test]
fn many_watch_dirs_against_a_low_limit_warn() {
    let check = judge_watch_dirs(10_000, Some(8192));
    assert_eq!(check.verdict, Verdict::Warn);
    assert!(check.fix.unwrap().contains("max_user_watches=65536"));
    assert_eq!(judge_watch_dirs(10, Some(8192)).verdict, Verdict::Pass);
}

#[test]
fn never_pulled_missing_image_blocks_and_says_to_make_it() {
    let facts = vec![ImageFact {
        service: "db".into(),
        image: "local/base:1".into(),
        builds: false,
        local_size: None,
        never_pull: true,
    }];
    let check = judge_images(&facts);
    assert_eq!(check.verdict, Verdict::Fail);
    assert!(
        check.detail.contains("local/base:1 (db)"),
        "{}",
        check.detail
    );
    assert!(check.fix.unwrap().contains("README"));
}

fn context_fact(ignore: &str, dockerfile: &str, sent: &[(&str, u64)]) -> BuildContextFact {
    use crate::domain::build_context::{Class, ReportBuilder};
    let df = crate::domain::dockerfile::Dockerfile::parse(dockerfile).unwrap();
    let sources = df.context_sources();
    let matcher = crate::domain::dockerignore::IgnoreMatcher::parse(ignore).unwrap();
    let lines = crate::domain::dockerignore::read_lines(ignore);
    let mut builder = ReportBuilder::new(matcher, lines, sources, 3);
    for (rel, size) in sent {
        builder.sent(rel, Class::File, *size, 0);
    }
    BuildContextFact {
        service: "web".into(),
        report: Ok(builder.finish(|_| true, |_| 2)),
    }
}

#[test]
fn build_contexts_fail_on_an_excluded_source_and_warn_on_secrets() {
    let broken = context_fact("*.lock\n", "FROM x\nCOPY yarn.lock .\n", &[("a.js", 10)]);
    let check = judge_build_contexts(&[broken]);
    assert_eq!(check.verdict, Verdict::Fail);
    assert!(check.blocking);
    assert!(
        check
            .detail
            .contains("web: `yarn.lock` (Dockerfile line 2)"),
        "{}",
        check.detail
    );

    let secret = context_fact("", "FROM x\nCOPY . .\n", &[(".env", 10), ("a.js", 10)]);
    let check = judge_build_contexts(&[secret]);
    assert_eq!(check.verdict, Verdict::Warn);
    assert!(
        check.detail.contains("web: .env (secret, 10 B)"),
        "{}",
        check.detail
    );

    let tight = context_fact(".env\n", "FROM x\nCOPY . .\n", &[("a.js", 2048)]);
    let check = judge_build_contexts(&[tight]);
    assert_eq!(check.verdict, Verdict::Pass);
    assert_eq!(check.detail, "web 2.0 KiB in 1 file");
}
