//! Snapshots of the Wizard tab at 80x24 and 160x48 from the `gen_node_seed` fixture (a detected
//! Node project with an older Dockerfile on disk), and tiny sizes that must not panic.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use insta::assert_snapshot;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::draw;
use crate::app::{Model, Msg, Tab, WizardState, gen_monorepo_seed, gen_node_seed, update};

fn gen_wizard_model() -> Model {
    let mut model = Model {
        tab: Tab::Wizard,
        ..Model::default()
    };
    update(&mut model, Msg::WizardScanned(Box::new(gen_node_seed())));
    model
}

fn press(model: &mut Model, code: KeyCode) {
    update(
        model,
        Msg::KeyPressed(KeyEvent::new(code, KeyModifiers::NONE)),
    );
}

fn render(model: &Model, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| draw(f, model)).unwrap();
    terminal.backend().to_string()
}

#[test]
fn wizard_first_question_80x24() {
    assert_snapshot!(render(&gen_wizard_model(), 80, 24));
}

#[test]
fn wizard_first_question_160x48() {
    assert_snapshot!(render(&gen_wizard_model(), 160, 48));
}

#[test]
fn wizard_compose_preview_after_answers_160x48() {
    let mut model = gen_wizard_model();
    press(&mut model, KeyCode::Enter);
    press(&mut model, KeyCode::Enter);
    press(&mut model, KeyCode::Char('f'));
    press(&mut model, KeyCode::Char('f'));
    assert_snapshot!(render(&model, 160, 48));
}

#[test]
fn wizard_done_80x24() {
    let mut model = gen_wizard_model();
    for _ in 0..30 {
        press(&mut model, KeyCode::Enter);
    }
    let WizardState::Ready(ui) = &model.wizard else {
        panic!("not ready");
    };
    assert!(ui.question().is_none());
    assert_snapshot!(render(&model, 80, 24));
    // server.js serves no /health: the done panel says what the HEALTHCHECK still needs.
    let tall = render(&model, 160, 48);
    assert!(tall.contains("To do: The production image's HEALTHCHECK probes GET /health"));
}

#[test]
fn wizard_diff_preview() {
    let mut model = gen_wizard_model();
    press(&mut model, KeyCode::Char('d'));
    assert_snapshot!("wizard_diff_preview_80x24", render(&model, 80, 24));
    assert_snapshot!("wizard_diff_preview_160x48", render(&model, 160, 48));
}

#[test]
fn wizard_scanning_and_failed_80x24() {
    let mut model = Model::default();
    assert!(render(&model, 80, 24).contains("Scanning this folder"));
    update(
        &mut model,
        Msg::WizardScanFailed {
            reason: "cannot read the project directory .".into(),
        },
    );
    assert!(render(&model, 80, 24).contains("Cannot scan this folder"));
}

#[test]
fn wizard_zero_and_tiny_sizes_do_not_panic() {
    let model = gen_wizard_model();
    for (w, h) in [(1, 1), (5, 3), (12, 4), (20, 6), (40, 8), (3, 40)] {
        render(&model, w, h);
    }
    super::tests::draw_at_zero_sizes(&model);
}

#[test]
fn a_monorepo_root_names_the_app_asked_about_and_previews_its_files() {
    let mut model = Model {
        tab: Tab::Wizard,
        ..Model::default()
    };
    update(
        &mut model,
        Msg::WizardScanned(Box::new(gen_monorepo_seed())),
    );
    let screen = render(&model, 160, 48);
    assert!(screen.contains("api/ — app 1 of 2"), "{screen}");
    assert!(screen.contains("api/Dockerfile"), "{screen}");
}
