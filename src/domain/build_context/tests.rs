//! The report's arithmetic and advice on plain values.

use super::*;
use crate::domain::dockerignore::read_lines;

fn builder(ignore: &str, dockerfile: &str) -> ReportBuilder {
    let df = crate::domain::dockerfile::Dockerfile::parse(dockerfile).unwrap();
    let sources = df.context_sources();
    let matcher = IgnoreMatcher::parse(ignore)
        .unwrap()
        .with_build_files("Dockerfile");
    ReportBuilder::new(matcher, read_lines(ignore), sources, 3)
}

fn file(bytes: u64) -> Tally {
    Tally {
        files: 1,
        bytes,
        ..Tally::default()
    }
}

#[test]
fn tar_arithmetic_counts_headers_padding_and_long_names() {
    assert_eq!(tar_entry_bytes("a", Class::File, 0, 0), 512);
    assert_eq!(tar_entry_bytes("a", Class::File, 1, 0), 1024);
    assert_eq!(tar_entry_bytes("a", Class::File, 512, 0), 1024);
    assert_eq!(tar_entry_bytes("a", Class::File, 513, 0), 1536);
    let hundred = "x".repeat(100);
    assert_eq!(tar_entry_bytes(&hundred, Class::File, 0, 0), 512);
    // The directory's trailing slash makes it 101 bytes: a long-name entry first.
    assert_eq!(tar_entry_bytes(&hundred, Class::Dir, 0, 0), 1536);
    assert_eq!(tar_entry_bytes("l", Class::Link, 0, 101), 1536);
}

#[test]
fn savings_name_the_line_and_missing_sources_the_dockerfile_line() {
    let mut b = builder(
        "# deps\nnode_modules\n*.log\n",
        "FROM node\nCOPY package.json ./\nCOPY app.log ./\nCOPY *.log ./\n",
    );
    b.sent("Dockerfile", Class::File, 60, 0);
    b.sent("package.json", Class::File, 10, 0);
    b.excluded("app.log", file(7));
    let mut tree = Tally::default();
    tree.add(Class::Dir, 0);
    tree.merge(file(1000));
    tree.merge(file(24));
    b.excluded("node_modules", tree);
    let report = b.finish(|_| true, |offset| offset / 20 + 1);
    assert_eq!(report.sent.files, 2);
    assert_eq!(report.sent.bytes, 70);
    assert_eq!(report.tar_bytes, 4 * 512 + 1024);
    assert_eq!(report.excluded.bytes, 1031);
    let savings: Vec<(usize, &str, u64)> = report
        .savings
        .iter()
        .map(|s| (s.line, s.pattern.as_str(), s.saves.bytes))
        .collect();
    assert_eq!(savings, [(2, "node_modules", 1024), (3, "*.log", 7)]);
    let missing: Vec<(&str, &MissingReason)> = report
        .missing
        .iter()
        .map(|m| (m.source.as_str(), &m.reason))
        .collect();
    assert_eq!(
        missing,
        [
            (
                "app.log",
                &MissingReason::Excluded {
                    ignore_line: Some(3)
                }
            ),
            ("*.log", &MissingReason::OnlyExcludedMatch),
        ]
    );
    assert_eq!(report.largest_entries[0].path, "Dockerfile");
}

#[test]
fn advice_covers_nested_dependencies_secrets_and_skips_what_is_copied() {
    let mut b = builder("", "FROM nginx\nCOPY dist/ /usr/share/nginx/html/\n");
    for (rel, class, size) in [
        ("package.json", Class::File, 10),
        (".env", Class::File, 30),
        (".env.example", Class::File, 30),
        (".env.local", Class::File, 30),
        ("dist", Class::Dir, 0),
        ("dist/index.html", Class::File, 100),
        ("node_modules", Class::Dir, 0),
        ("node_modules/a.js", Class::File, 5000),
        ("packages/web/node_modules/b.js", Class::File, 7000),
        ("packages/web/node_modules/c/server.key", Class::File, 1),
        ("src/target/x.rs", Class::File, 1),
    ] {
        b.sent(rel, class, size, 0);
    }
    let report = b.finish(|_| true, |_| 1);
    let lines: Vec<(Vec<String>, Why, u64)> = report
        .suggestions
        .iter()
        .map(|s| (s.lines.clone(), s.why, s.saves.bytes))
        .collect();
    assert_eq!(
        lines,
        [
            (vec![".env".to_owned()], Why::Secret, 30),
            (
                vec![".env.*".to_owned(), "!**/.env.example".to_owned()],
                Why::Secret,
                30
            ),
            (vec!["**/node_modules".to_owned()], Why::Dependencies, 12001),
        ],
        "dist is copied, target is no Rust output here, the key is inside node_modules"
    );
}
