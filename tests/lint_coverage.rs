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
fn buildkit_checks_are_covered_but_the_one_that_needs_a_registry() {
    let (n, total) = covered(BUILDKIT);
    assert_eq!(total, 22);
    assert_eq!(n, 21, "only InvalidBaseImagePlatform needs a registry");
    let (n, total) = covered(HADOLINT);
    assert!(n * 10 >= total * 6, "{n} of {total} hadolint rules covered");
}
