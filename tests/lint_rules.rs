//! Every lint rule against its fixtures: the failing project reports the rule (message snapshot),
//! the passing one does not; every autofix has a before/after snapshot and fixes its finding.

#![allow(clippy::expect_used, clippy::unwrap_used)] // test helpers may panic

use devbox::commands::lint::discover;
use devbox::domain::lint::{FixOptions, LintConfig, Report, all_rules, fix, lint};
use devbox::domain::platform::{LocalImages, Platform};
use std::path::{Path, PathBuf};

fn fixture_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lint/rules")
}

/// Copies a fixture into a temp dir; a `mkdirs` file lists directories git cannot hold (`.git`).
fn materialise(src: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(src, dir.path());
    let mkdirs = dir.path().join("mkdirs");
    if let Ok(list) = std::fs::read_to_string(&mkdirs) {
        for d in list.lines().filter(|l| !l.is_empty()) {
            std::fs::create_dir_all(dir.path().join(d)).unwrap();
        }
        std::fs::remove_file(mkdirs).unwrap();
    }
    dir
}

fn copy_dir(src: &Path, dst: &Path) {
    for entry in std::fs::read_dir(src).unwrap() {
        let entry = entry.unwrap();
        let to = dst.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
            copy_dir(&entry.path(), &to);
        } else {
            std::fs::copy(entry.path(), &to).unwrap();
        }
    }
}

fn lint_dir(dir: &Path, options: &FixOptions) -> (discover::Discovered, Report) {
    let mut found = discover::project(dir, dir).unwrap();
    // Rules that read the engine's store (DBX410) get it from `engine-images.json`, what
    // `devbox lint --engine` would have asked the engine: `{"engine": PLATFORM, "images": {REF: PLATFORM}}`.
    if let Ok(text) = std::fs::read_to_string(dir.join("engine-images.json")) {
        let facts: serde_json::Value = serde_json::from_str(&text).unwrap();
        let platform = |v: &serde_json::Value| Platform::parse(v.as_str().unwrap()).unwrap();
        found.project.images = LocalImages {
            engine: Some(platform(&facts["engine"])),
            platforms: facts["images"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(r, p)| (r.clone(), platform(p)))
                .collect(),
            ..LocalImages::default()
        };
    }
    // Opt-in rules' fixtures enable them the way a user does.
    let config = std::fs::read_to_string(dir.join(".devbox-lint.toml"))
        .map(|t| LintConfig::parse(&t).unwrap())
        .unwrap_or_default();
    let report = lint(&found.project, &config, options);
    (found, report)
}

fn options_for(id: &str) -> FixOptions {
    match id {
        "DBX101" => FixOptions {
            pins: vec![
                ("python".into(), "3.12-slim".into()),
                ("alpine".into(), "3.20".into()),
            ],
        },
        _ => FixOptions::default(),
    }
}

#[test]
fn every_rule_has_fixtures_that_fail_and_pass() {
    let mut missing = Vec::new();
    for rule in all_rules() {
        let id = rule.meta().id;
        let base = fixture_root().join(id);
        if !base.join("fail").is_dir() || !base.join("pass").is_dir() {
            missing.push(id);
            continue;
        }
        let fail = materialise(&base.join("fail"));
        let (_, report) = lint_dir(fail.path(), &options_for(id));
        let messages: Vec<String> = report
            .findings
            .iter()
            .filter(|f| f.rule_id == id)
            .map(|f| {
                format!(
                    "{}:{}:{} {} [{}] {}",
                    f.file, f.line, f.column, f.severity, f.rule_id, f.message
                )
            })
            .collect();
        assert!(
            !messages.is_empty(),
            "{id}: failing fixture reports nothing; got {:#?}",
            report.findings
        );
        insta::assert_snapshot!(format!("message_{id}"), messages.join("\n"));

        let pass = materialise(&base.join("pass"));
        let (_, report) = lint_dir(pass.path(), &FixOptions::default());
        let wrong: Vec<_> = report.findings.iter().filter(|f| f.rule_id == id).collect();
        assert!(wrong.is_empty(), "{id}: passing fixture reports {wrong:#?}");
    }
    assert!(missing.is_empty(), "rules without fixtures: {missing:?}");
}

#[test]
fn every_autofix_fixes_its_finding() {
    for rule in all_rules().iter().filter(|r| r.meta().fixable) {
        let id = rule.meta().id;
        let fail = materialise(&fixture_root().join(id).join("fail"));
        let options = options_for(id);
        let (found, report) = lint_dir(fail.path(), &options);
        let own: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.rule_id == id)
            .cloned()
            .collect();
        assert!(
            own.iter().any(|f| f.fix.is_some()),
            "{id}: no fix offered for {own:#?}"
        );
        let mut snapshot = String::new();
        let mut project = found.project.clone();
        let files: Vec<_> = project
            .dockerfiles
            .iter_mut()
            .map(|d| &mut d.file)
            .chain(project.composes.iter_mut())
            .chain(project.ignores.iter_mut().map(|i| &mut i.file))
            .collect();
        for file in files {
            let (after, fixed) = fix::apply(&file.text, &file.path, &own);
            if fixed.is_empty() {
                continue;
            }
            snapshot.push_str(&format!(
                "--- {} (before)\n{}--- {} (after)\n{}",
                file.path, file.text, file.path, after
            ));
            file.text = after;
        }
        insta::assert_snapshot!(format!("fix_{id}"), snapshot);
        let again = lint(&project, &LintConfig::default(), &options);
        let left: Vec<_> = again.findings.iter().filter(|f| f.rule_id == id).collect();
        assert!(
            left.is_empty(),
            "{id}: still reported after --fix: {left:#?}"
        );
    }
}
