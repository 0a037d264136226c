//! Every file set the scaffold wizard generates (every leaf, with and without add-ons) lints with
//! zero findings at warning level or above; and the whole corpus lints without a crash.

#![allow(clippy::expect_used, clippy::unwrap_used)] // test helpers may panic

mod wizard_support;

use devbox::commands::lint::discover;
use devbox::domain::lint::{FixOptions, LintConfig, Project, Severity, lint};
use wizard_support::{file, golden, render};

#[test]
fn generated_files_lint_clean() {
    let mut failures = Vec::new();
    for variant in golden() {
        let files = render(&variant.answers);
        let dir = tempfile::tempdir().unwrap();
        for name in ["Dockerfile", ".dockerignore", "compose.yaml"] {
            std::fs::write(dir.path().join(name), file(&files, name)).unwrap();
        }
        let found = discover::project(dir.path(), dir.path()).unwrap();
        let report = lint(
            &found.project,
            &LintConfig::default(),
            &FixOptions::default(),
        );
        for f in report
            .findings
            .iter()
            .filter(|f| f.severity >= Severity::Warning)
        {
            failures.push(format!(
                "{}: {}:{} [{}] {}",
                variant.name, f.file, f.line, f.rule_id, f.message
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "wizard output has findings:\n{}",
        failures.join("\n")
    );
}

#[test]
fn corpus_lints_without_crash() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lint/corpus");
    let mut count = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let report = lint(
            &Project::single_dockerfile("Dockerfile", &text),
            &LintConfig::default(),
            &FixOptions::default(),
        );
        for f in &report.findings {
            assert!(
                f.span.start <= f.span.end && f.span.end <= text.len(),
                "{}: bad span {f:?}",
                path.display()
            );
        }
        count += 1;
    }
    assert!(count >= 60, "corpus has {count} Dockerfiles");
}
