//! The committed coverage page (docs/lint-coverage.md) is what the rule registry and the
//! coverage table generate; `DEVBOX_BLESS=1` rewrites it.

use devbox::domain::lint::coverage::{BUILDKIT, HADOLINT, covered, markdown};

#[test]
fn the_coverage_page_is_generated_from_the_registry() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/lint-coverage.md");
    let generated = markdown();
    if std::env::var_os("DEVBOX_BLESS").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/lint-coverage.md is out of date; run DEVBOX_BLESS=1 cargo test --test lint_coverage"
    );
}

#[test]
fn every_buildkit_check_is_covered() {
    let (n, total) = covered(BUILDKIT);
    assert_eq!(total, 22);
    assert_eq!(n, 22);
    let (n, total) = covered(HADOLINT);
    assert!(n * 10 >= total * 6, "{n} of {total} hadolint rules covered");
}

/// `docs/rules/ID.md` holds each rule's explain page (what SARIF's `helpUri` points at), and
/// nothing else is there.
#[test]
fn rule_pages_are_the_explain_texts() {
    use devbox::domain::lint::all_rules;
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules");
    let bless = std::env::var_os("DEVBOX_BLESS").is_some();
    if bless {
        std::fs::create_dir_all(&dir).unwrap();
    }
    let mut stale = Vec::new();
    for rule in all_rules() {
        let m = rule.meta();
        let path = dir.join(format!("{}.md", m.id));
        let page = format!(
            "{}\n\nSeverity: {}. {}\n\n`devbox lint --explain {}` prints this page.\n",
            m.explain.trim_end(),
            m.severity.as_str(),
            if m.fixable {
                "`devbox lint --fix` repairs it."
            } else {
                "No autofix."
            },
            m.id
        );
        if bless {
            std::fs::write(&path, &page).unwrap();
        }
        if std::fs::read_to_string(&path).unwrap_or_default() != page {
            stale.push(m.id);
        }
    }
    let known: Vec<String> = all_rules()
        .iter()
        .map(|r| format!("{}.md", r.meta().id))
        .collect();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            known.contains(&name),
            "docs/rules/{name} is not a rule's page"
        );
    }
    assert!(
        stale.is_empty(),
        "out of date: {stale:?}; run DEVBOX_BLESS=1 cargo test --test lint_coverage"
    );
}
