//! `update` tests of the Wizard tab: key sequences through the walk, back, preview, write.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::test_support::gen_monorepo_seed;
use super::wizard::gen_node_seed;
use super::*;
use crate::domain::plan::diff::Change;

fn ready() -> Model {
    let mut model = Model::default();
    update(&mut model, Msg::WizardScanned(Box::new(gen_node_seed())));
    model
}

fn press(model: &mut Model, code: KeyCode) -> Vec<Cmd> {
    update(
        model,
        Msg::KeyPressed(KeyEvent::new(code, KeyModifiers::NONE)),
    )
}

fn ui(model: &Model) -> &WizardUi {
    match &model.wizard {
        WizardState::Ready(ui) => ui,
        other => panic!("wizard not ready: {other:?}"),
    }
}

#[test]
fn scan_result_starts_the_walk_with_a_preview() {
    let model = ready();
    let ui = ui(&model);
    assert!(ui.question().is_some());
    let paths: Vec<&str> = ui.plans.iter().map(|p| p.file.path.as_str()).collect();
    assert_eq!(paths, ["Dockerfile", ".dockerignore", "compose.yaml"]);
    assert!(matches!(ui.plans[0].change, Change::Changed { .. }));
    assert_eq!(ui.plans[1].change, Change::New);
    assert!(ui.detection.iter().any(|l| l.contains("node")));
}

#[test]
fn enter_through_every_question_finishes_and_w_writes() {
    let mut model = ready();
    let first = ui(&model).question().map(|q| q.spec.id);
    let mut steps = 0;
    while ui(&model).question().is_some() {
        assert!(press(&mut model, KeyCode::Enter).is_empty());
        steps += 1;
        assert!(steps < 30, "the walk does not end");
    }
    assert_eq!(ui(&model).walk.answered().len(), steps);
    let cmds = press(&mut model, KeyCode::Char('W'));
    let [Cmd::WriteFiles { files }] = cmds.as_slice() else {
        panic!("expected one write, got {cmds:?}");
    };
    assert_eq!(files.len(), 3);
    // Backspace undoes the last answer; enough of them return to the first question.
    for _ in 0..steps {
        press(&mut model, KeyCode::Backspace);
    }
    assert_eq!(ui(&model).question().map(|q| q.spec.id), first);
}

#[test]
fn down_then_enter_answers_another_choice_and_rerenders() {
    let mut model = ready();
    let before = ui(&model).plans.clone();
    let q = ui(&model).question().expect("a question");
    let cursor = ui(&model).cursor;
    press(&mut model, KeyCode::Down);
    assert_ne!(ui(&model).cursor, cursor);
    press(&mut model, KeyCode::Enter);
    let answered = ui(&model).walk.answered();
    assert_eq!(answered[0].0, q.spec.id);
    assert_ne!(ui(&model).plans, before, "the preview follows the answer");
}

#[test]
fn w_before_the_end_asks_to_finish_and_writes_nothing() {
    let mut model = ready();
    assert!(press(&mut model, KeyCode::Char('W')).is_empty());
    assert!(
        model
            .toast
            .as_deref()
            .is_some_and(|t| t.contains("remaining"))
    );
}

#[test]
fn f_cycles_the_preview_file() {
    let mut model = ready();
    for expected in [1, 2, 0] {
        press(&mut model, KeyCode::Char('f'));
        assert_eq!(ui(&model).preview, expected);
    }
}

#[test]
fn written_files_become_unchanged_and_are_reported() {
    let mut model = ready();
    let files: Vec<(String, String)> = ui(&model)
        .plans
        .iter()
        .map(|p| (p.file.path.clone(), p.file.text.clone()))
        .collect();
    update(&mut model, Msg::FilesWritten { outcome: Ok(files) });
    assert!(
        ui(&model)
            .plans
            .iter()
            .all(|p| p.change == Change::Unchanged)
    );
    let toast = model.toast.clone().unwrap_or_default();
    assert!(toast.contains("Dockerfile.bak"), "{toast}");
    assert_eq!(model.feed.len(), 1);
    update(
        &mut model,
        Msg::FilesWritten {
            outcome: Err("could not write compose.yaml".into()),
        },
    );
    assert_eq!(model.toast.as_deref(), Some("could not write compose.yaml"));
}

#[test]
fn port_questions_take_typed_digits() {
    let mut model = ready();
    let mut guard = 0;
    while !matches!(
        ui(&model).question().map(|q| q.spec.input),
        Some(crate::domain::wizard::tree::Input::Port) | None
    ) {
        press(&mut model, KeyCode::Enter);
        guard += 1;
        assert!(guard < 30);
    }
    assert!(
        ui(&model).question().is_some(),
        "a Node web app is asked its port"
    );
    for c in "8081".chars() {
        press(&mut model, KeyCode::Char(c));
    }
    assert_eq!(model.tab, Tab::Wizard, "digits are typed, not tab switches");
    press(&mut model, KeyCode::Backspace);
    press(&mut model, KeyCode::Char('2'));
    press(&mut model, KeyCode::Enter);
    let answered = ui(&model).walk.answered();
    let last = answered.last().map(|(_, v)| (*v).clone());
    assert_eq!(last, Some(crate::domain::wizard::Value::Port(8082)));
}

fn answer_all(model: &mut Model) {
    let mut guard = 0;
    while ui(model).question().is_some() {
        press(model, KeyCode::Enter);
        guard += 1;
        assert!(guard < 30, "the walk does not end");
    }
}

fn files_of(model: &Model) -> Vec<(String, String)> {
    ui(model)
        .plans
        .iter()
        .map(|p| (p.file.path.clone(), p.file.text.clone()))
        .collect()
}

fn loaded_demo(model: &mut Model) -> Vec<Cmd> {
    update(
        model,
        Msg::ProjectLoaded {
            project: "shop".into(),
            services: vec![crate::domain::stack::ServiceSpec {
                name: "app".into(),
                ..Default::default()
            }],
        },
    )
}

#[test]
fn start_stack_writes_then_reloads_the_project_then_brings_it_up() {
    let mut model = ready();
    answer_all(&mut model);
    let cmds = press(&mut model, KeyCode::Char('S'));
    assert!(
        matches!(cmds.as_slice(), [Cmd::WriteFiles { .. }]),
        "{cmds:?}"
    );
    assert_eq!(
        model.tab,
        Tab::Wizard,
        "the tab changes once the files are on disk"
    );
    let files = files_of(&model);
    let cmds = update(&mut model, Msg::FilesWritten { outcome: Ok(files) });
    assert_eq!(cmds, vec![Cmd::LoadProject]);
    assert_eq!(model.tab, Tab::Stack);
    assert!(model.stack.bringing_up);
    let cmds = loaded_demo(&mut model);
    assert!(cmds.contains(&Cmd::Up), "{cmds:?}");
    // A later reload (not started by the wizard) does not bring the stack up again.
    assert!(!loaded_demo(&mut model).contains(&Cmd::Up));
}

#[test]
fn start_stack_with_files_up_to_date_starts_at_once() {
    let mut model = ready();
    answer_all(&mut model);
    let files = files_of(&model);
    update(&mut model, Msg::FilesWritten { outcome: Ok(files) });
    assert!(ui(&model).up_to_date());
    assert_eq!(
        press(&mut model, KeyCode::Char('S')),
        vec![Cmd::LoadProject]
    );
    assert_eq!(model.tab, Tab::Stack);
}

#[test]
fn start_stack_stops_when_writing_or_loading_fails() {
    let mut model = ready();
    answer_all(&mut model);
    press(&mut model, KeyCode::Char('S'));
    let failed = Msg::FilesWritten {
        outcome: Err("compose.yaml: permission denied".into()),
    };
    assert!(update(&mut model, failed).is_empty());
    assert_eq!(model.tab, Tab::Wizard);
    assert!(model.starting.is_none());

    let files = files_of(&model);
    press(&mut model, KeyCode::Char('S'));
    update(&mut model, Msg::FilesWritten { outcome: Ok(files) });
    let reason = "compose.yaml:3:5: services.app.ports: invalid port".to_owned();
    let cmds = update(
        &mut model,
        Msg::ProjectFailed {
            reason: reason.clone(),
        },
    );
    assert!(cmds.is_empty(), "no up after a load failure: {cmds:?}");
    assert!(!model.stack.bringing_up);
    assert_eq!(model.project_error, Some(reason));
}

#[test]
fn a_failed_up_stays_on_screen_until_an_up_succeeds() {
    let mut model = ready();
    answer_all(&mut model);
    let files = files_of(&model);
    update(&mut model, Msg::FilesWritten { outcome: Ok(files) });
    press(&mut model, KeyCode::Char('S'));
    loaded_demo(&mut model);
    let error = "service \"app\": image node:22-bookworm-slim is not available locally and could not be pulled";
    update(
        &mut model,
        Msg::ActionDone {
            op: Operation::Up,
            outcome: Err(error.into()),
        },
    );
    assert!(!model.stack.bringing_up);
    let shown = model.stack_ui.action_error.clone().unwrap_or_default();
    assert!(shown.contains("node:22-bookworm-slim"), "{shown}");
    // A key clears the toast but not the failure.
    press(&mut model, KeyCode::Down);
    assert!(model.toast.is_none() && model.stack_ui.action_error.is_some());
    update(
        &mut model,
        Msg::ActionDone {
            op: Operation::Up,
            outcome: Ok(()),
        },
    );
    assert!(model.stack_ui.action_error.is_none());
}

#[test]
fn d_shows_the_diff_and_page_keys_scroll_the_preview() {
    let mut model = ready();
    model.size = (80, 24);
    assert!(matches!(ui(&model).plans[0].change, Change::Changed { .. }));
    press(&mut model, KeyCode::Char('d'));
    assert!(ui(&model).show_diff);
    let len = ui(&model).preview_len();
    assert!(len > 3, "the Dockerfile diff has hunks");
    press(&mut model, KeyCode::PageDown);
    assert_eq!(ui(&model).scroll, 18.min(len));
    press(&mut model, KeyCode::PageUp);
    assert_eq!(ui(&model).scroll, 0);
    press(&mut model, KeyCode::Char('f'));
    assert_eq!(ui(&model).scroll, 0, "another file starts at its top");
}

#[test]
fn a_monorepo_root_walks_each_app_then_writes_one_compose_file() {
    let mut model = Model::default();
    update(
        &mut model,
        Msg::WizardScanned(Box::new(gen_monorepo_seed())),
    );
    assert_eq!(
        ui(&model).app_heading().as_deref(),
        Some("api/ — app 1 of 2")
    );
    let paths: Vec<&str> = ui(&model)
        .plans
        .iter()
        .map(|p| p.file.path.as_str())
        .collect();
    assert_eq!(
        paths,
        [
            "api/Dockerfile",
            "api/.dockerignore",
            "web/Dockerfile",
            "web/.dockerignore",
            "compose.yaml"
        ]
    );
    let mut steps = 0;
    let mut saw_web = false;
    while ui(&model).question().is_some() {
        saw_web |= ui(&model).app_heading().as_deref() == Some("web/ — app 2 of 2");
        press(&mut model, KeyCode::Enter);
        steps += 1;
        assert!(steps < 60, "the walk does not end");
    }
    assert!(saw_web, "the second app was never asked about");
    let summary = ui(&model).answer_summary();
    assert!(summary.iter().any(|l| l == "api/:") && summary.iter().any(|l| l == "web/:"));
    let cmds = press(&mut model, KeyCode::Char('W'));
    let [Cmd::WriteFiles { files }] = cmds.as_slice() else {
        panic!("expected one write, got {cmds:?}");
    };
    assert_eq!(files.len(), 5);
    let compose = &files.iter().find(|(p, _)| p == "compose.yaml").unwrap().1;
    assert!(compose.contains("context: ./api") && compose.contains("context: ./web"));
    // Back from the second app's first question returns to the first app's last answer.
    for _ in 0..steps {
        press(&mut model, KeyCode::Backspace);
    }
    assert_eq!(ui(&model).app, 0);
    assert!(ui(&model).walk.answered().is_empty());
}
