//! The walk over the decision tree: questions in the document's order, detected defaults with
//! reasons, back, presets, invalid answers.

#![allow(clippy::expect_used, clippy::unwrap_used)] // test helpers may panic

use devbox::domain::detect::{Detected, Fact, Language, Reason, ServiceKind};
use devbox::domain::wizard::{Leaf, PartialAnswers, QuestionId, Step, Value, Walk, WalkError};

fn ask(step: &Step) -> QuestionId {
    match step {
        Step::Ask(q) => q.spec.id,
        Step::Done(a) => panic!("done early: {:?}", a.leaf),
    }
}

fn choice(s: &str) -> Value {
    Value::Choice(s.into())
}

#[test]
fn node_path_asks_the_tree_then_the_common_questions() {
    let mut walk = Walk::new(Detected::default(), "demo");
    assert_eq!(ask(&walk.current()), QuestionId::Language);
    assert_eq!(
        ask(&walk.answer(choice("node")).unwrap()),
        QuestionId::BuildStep
    );
    assert_eq!(
        ask(&walk.answer(choice("yes")).unwrap()),
        QuestionId::NodeManager
    );
    assert_eq!(ask(&walk.answer(choice("pnpm")).unwrap()), QuestionId::Kind);
    assert_eq!(ask(&walk.answer(choice("http")).unwrap()), QuestionId::Port);
    assert_eq!(
        ask(&walk.answer(Value::Port(4000)).unwrap()),
        QuestionId::AddOns
    );
    assert_eq!(
        ask(&walk.answer(Value::Many(vec!["postgres".into()])).unwrap()),
        QuestionId::Security
    );
    let Step::Done(answers) = walk
        .answer(Value::Many(vec!["no-new-privileges".into()]))
        .unwrap()
    else {
        panic!()
    };
    assert_eq!(answers.leaf, Leaf::NodeBuild);
    assert_eq!(answers.port, 4000);
    assert_eq!(answers.project.build_command, vec!["pnpm", "run", "build"]);
}

#[test]
fn back_undoes_and_workers_skip_the_port() {
    let mut walk = Walk::new(Detected::default(), "demo");
    walk.answer(choice("python")).unwrap();
    assert_eq!(ask(&walk.back()), QuestionId::Language);
    assert_eq!(
        ask(&walk.back()),
        QuestionId::Language,
        "back at the root stays there"
    );
    walk.answer(choice("go")).unwrap();
    assert_eq!(ask(&walk.current()), QuestionId::GoBase);
    walk.answer(choice("scratch")).unwrap();
    assert_eq!(
        ask(&walk.answer(choice("worker")).unwrap()),
        QuestionId::AddOns
    );
}

#[test]
fn static_sites_ask_build_then_package_manager() {
    let mut walk = Walk::new(Detected::default(), "demo");
    walk.answer(choice("static")).unwrap();
    assert_eq!(
        ask(&walk.answer(choice("caddy")).unwrap()),
        QuestionId::SiteBuild
    );
    assert_eq!(
        ask(&walk.answer(choice("yes")).unwrap()),
        QuestionId::NodeManager
    );
    walk.back();
    assert_eq!(ask(&walk.answer(choice("no")).unwrap()), QuestionId::AddOns);
}

#[test]
fn defaults_carry_detected_reasons() {
    let detected = Detected {
        language: Some(Fact::new(
            Language::Python,
            Reason::at("pyproject.toml", None, "pyproject.toml at the project root"),
        )),
        port: Some(Fact::new(
            5001,
            Reason::at("web/app.py", Some(12), "app.run(port=5001)"),
        )),
        kind: Some(Fact::new(
            ServiceKind::Http,
            Reason::at("pyproject.toml", Some(9), "depends on flask"),
        )),
        ..Detected::default()
    };
    let mut walk = Walk::new(detected, "demo");
    let Step::Ask(q) = walk.current() else {
        panic!()
    };
    assert_eq!(q.default, choice("python"));
    assert_eq!(
        q.reason,
        "pyproject.toml: pyproject.toml at the project root"
    );
    walk.accept_default();
    walk.answer(choice("uv")).unwrap();
    walk.accept_default();
    let Step::Ask(port) = walk.current() else {
        panic!()
    };
    assert_eq!(port.default, Value::Port(5001));
    assert_eq!(port.reason, "web/app.py:12: app.run(port=5001)");
}

#[test]
fn invalid_answers_and_presets_are_rejected() {
    let mut walk = Walk::new(Detected::default(), "demo");
    let err = walk.answer(choice("elixir")).unwrap_err();
    assert!(matches!(err, WalkError::NotAChoice { .. }), "{err:?}");
    assert!(err.to_string().contains("elixir"));
    let presets = PartialAnswers {
        port: Some(0),
        language: Some(Language::Node),
        build_step: Some(false),
        ..PartialAnswers::default()
    };
    let mut walk = Walk::with_presets(Detected::default(), "demo", presets);
    assert_eq!(walk.advance(true).unwrap_err(), WalkError::BadPort(0));
}

#[test]
fn presets_skip_their_questions() {
    let presets = PartialAnswers {
        language: Some(Language::Rust),
        port: Some(9000),
        ..PartialAnswers::default()
    };
    let mut walk = Walk::with_presets(Detected::default(), "my app", presets);
    assert_eq!(ask(&walk.advance(false).unwrap()), QuestionId::RustBase);
    let Step::Done(answers) = walk.advance(true).unwrap() else {
        panic!()
    };
    assert_eq!(answers.leaf, Leaf::Rust);
    assert_eq!(answers.port, 9000);
    assert_eq!(answers.project.binary, "my-app");
    assert_eq!(answers.project.entrypoint, vec!["/usr/local/bin/my-app"]);
}
