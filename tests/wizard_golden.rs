//! Golden snapshots of all three generated files for every leaf of the decision tree, without
//! add-ons and with postgres + redis.

#![allow(clippy::expect_used, clippy::unwrap_used)] // test helpers may panic

mod wizard_support;

use wizard_support::{file, golden, render};

#[test]
fn every_leaf_renders_as_the_golden_files() {
    for variant in golden() {
        let files = render(&variant.answers);
        for (path, label) in [
            ("Dockerfile", "Dockerfile"),
            (".dockerignore", "dockerignore"),
            ("compose.yaml", "compose"),
        ] {
            insta::assert_snapshot!(format!("{}__{label}", variant.name), file(&files, path));
        }
    }
}

#[test]
fn answers_print_and_read_back() {
    for variant in golden() {
        let text = variant.answers.to_toml().expect("answers serialise");
        let back: devbox::domain::wizard::PartialAnswers =
            toml::from_str(&text).expect("printed answers parse");
        let again = wizard_support::answers_for(back);
        assert_eq!(again, variant.answers, "{}", variant.name);
    }
}
