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

/// A monorepo root (Node API, Python worker, static site, one with Postgres): each app detected
/// and settled as `devbox init --yes DIR` would, and the root compose.yaml that joins them.
#[test]
fn a_monorepo_root_renders_one_compose_file_for_every_app() {
    use devbox::domain::detect;
    use devbox::domain::plan::monorepo::{App, render_monorepo};
    use devbox::domain::wizard::{AddOn, PartialAnswers, Step, Walk};

    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/e2e/monorepo");
    let found = detect::detect(&devbox::fsio::scan::scan_project(&root).unwrap());
    let dirs: Vec<&str> = found.sub_projects.iter().map(|s| s.dir.as_str()).collect();
    assert_eq!(dirs, ["services/api", "services/worker", "web"]);
    let apps: Vec<App> = found
        .sub_projects
        .iter()
        .map(|sub| {
            let scan = devbox::fsio::scan::scan_project(&root.join(&sub.dir)).unwrap();
            let presets = PartialAnswers {
                add_ons: Some(if sub.dir == "services/api" {
                    vec![AddOn::Postgres]
                } else {
                    Vec::new()
                }),
                ..PartialAnswers::default()
            };
            let mut walk = Walk::with_presets(detect::detect(&scan), &scan.name, presets);
            let Step::Done(answers) = walk.advance(true).unwrap() else {
                panic!("{}: --yes asked a question", sub.dir);
            };
            App {
                dir: sub.dir.clone(),
                answers: *answers,
            }
        })
        .collect();
    let files = render_monorepo(&apps, &Default::default()).unwrap();
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "services/api/Dockerfile",
            "services/api/.dockerignore",
            "services/worker/Dockerfile",
            "services/worker/.dockerignore",
            "web/Dockerfile",
            "web/.dockerignore",
            "compose.yaml"
        ]
    );
    insta::assert_snapshot!("monorepo__compose", file(&files, "compose.yaml"));
}
