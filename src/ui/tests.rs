//! Snapshot tests of the shell at fixed sizes, built from `gen_*` fixture models.

use insta::assert_snapshot;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::draw;
use crate::app::{EngineState, Model, Tab};

fn gen_model(tab: Tab, engine: EngineState, help: bool) -> Model {
    Model {
        tab,
        show_help: help,
        engine,
        ..Model::default()
    }
}

fn gen_connected() -> EngineState {
    EngineState::Connected {
        endpoint: "unix:///var/run/docker.sock".into(),
        server_version: "20.10.24".into(),
        api_version: "1.41".into(),
    }
}

fn gen_unreachable() -> EngineState {
    EngineState::Unreachable {
        endpoint: "unix:///var/run/docker.sock".into(),
        reason: "the socket /var/run/docker.sock does not exist".into(),
    }
}

fn render(model: &Model, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| draw(f, model)).unwrap();
    terminal.backend().to_string()
}

#[test]
fn shell_80x24_connected() {
    assert_snapshot!(render(
        &gen_model(Tab::Wizard, gen_connected(), false),
        80,
        24
    ));
}

#[test]
fn shell_160x48_unreachable_stack() {
    assert_snapshot!(render(
        &gen_model(Tab::Stack, gen_unreachable(), false),
        160,
        48
    ));
}

#[test]
fn help_overlay_80x24() {
    assert_snapshot!(render(
        &gen_model(Tab::Wizard, gen_connected(), true),
        80,
        24
    ));
}

#[test]
fn help_overlay_160x48() {
    assert_snapshot!(render(
        &gen_model(Tab::Stack, gen_connected(), true),
        160,
        48
    ));
}

#[test]
fn zero_and_tiny_sizes_do_not_panic() {
    let model = gen_model(Tab::Stack, gen_unreachable(), true);
    for (w, h) in [(1, 1), (5, 2), (20, 3), (3, 40)] {
        render(&model, w, h);
    }
    draw_at_zero_sizes(&model);
}

/// Draws `model` in zero-width, zero-height and empty viewports (TestBackend itself cannot be
/// zero-sized, a fixed viewport can); returns the sizes tried.
pub(super) fn draw_at_zero_sizes(model: &Model) -> [(u16, u16); 3] {
    let sizes = [(0, 0), (0, 10), (10, 0)];
    for (w, h) in sizes {
        let backend = TestBackend::new(10, 10);
        let viewport = ratatui::Viewport::Fixed(ratatui::layout::Rect::new(0, 0, w, h));
        let mut terminal =
            Terminal::with_options(backend, ratatui::TerminalOptions { viewport }).unwrap();
        terminal.draw(|f| draw(f, model)).unwrap();
    }
    sizes
}

#[test]
fn a_silent_engine_is_named_on_the_status_line() {
    let mut model = gen_model(Tab::Stack, gen_connected(), false);
    model.engine_silent = Some(3);
    let screen = render(&model, 160, 24);
    assert!(
        screen.contains("engine not answering for 3 s (stopped or overloaded?)"),
        "{screen}"
    );
    assert!(!screen.contains("engine 20.10.24"), "{screen}");
}

fn gen_projects() -> Model {
    use crate::domain::stack::projects::{ProjectRef, ProjectSummary};
    let row = |name: &str, dir: &str, services: (usize, usize), health: (usize, usize, usize)| {
        ProjectSummary {
            project: ProjectRef {
                name: name.into(),
                working_dir: dir.into(),
                config_files: vec![format!("{dir}/compose.yaml")],
                env_files: Vec::new(),
            },
            services: services.1,
            services_running: services.0,
            containers: services.1,
            running: services.0,
            healthy: health.0,
            unhealthy: health.1,
            starting: health.2,
        }
    };
    let mut model = gen_model(Tab::Projects, gen_connected(), false);
    model.stack.project = "shop".into();
    model.projects.listed = true;
    model.projects.selected = 1;
    model.projects.rows = vec![
        row("blog", "/home/dev/src/blog", (1, 2), (0, 1, 0)),
        row("shop", "/home/dev/src/shop", (3, 3), (2, 0, 1)),
        row(
            "payments-gateway-staging",
            "/home/dev/clients/acme/payments/gateway/deploy/staging",
            (0, 4),
            (0, 0, 0),
        ),
    ];
    model
}

#[test]
fn projects_tab_at_common_sizes() {
    let model = gen_projects();
    for (w, h) in [(80, 24), (120, 32), (200, 50)] {
        assert_snapshot!(format!("projects_{w}x{h}"), render(&model, w, h));
    }
    assert_eq!(draw_at_zero_sizes(&model).len(), 3);
}

#[test]
fn projects_tab_says_why_it_is_empty() {
    let mut model = gen_projects();
    model.projects.rows.clear();
    assert!(render(&model, 120, 12).contains("no compose project has containers"));
    model.projects.listed = false;
    assert!(render(&model, 120, 12).contains("listing projects"));
    model.projects.error = Some("listing the engine's compose projects failed: boom".into());
    assert!(render(&model, 120, 12).contains("failed: boom"));
}

/// More projects than rows: the table scrolls to keep the selection shown, a click selects the
/// row under the pointer (mapped through the same scroll offset) and the wheel moves it.
#[test]
fn projects_tab_scrolls_and_takes_clicks() {
    use crate::app::{ClickTarget, Msg, update};
    let mut model = gen_projects();
    let template = model.projects.rows[0].clone();
    model.projects.rows = (0..40)
        .map(|i| {
            let mut row = template.clone();
            row.project.name = format!("project-{i:02}");
            row
        })
        .collect();
    model.projects.selected = 30;
    model.size = (80, 24);
    let screen = render(&model, 80, 24);
    assert!(screen.contains("project-30"), "{screen}");
    assert!(!screen.contains("project-00"), "{screen}");
    // The row under the pointer: find project-25 on screen and click it.
    let y = screen
        .lines()
        .position(|l| l.contains("project-25"))
        .expect("project-25 is on screen") as u16;
    let target = crate::ui::layout::hit_test(&model, (80, 24), 5, y);
    assert_eq!(target, Some(ClickTarget::ProjectRow(25)));
    update(&mut model, Msg::Clicked(ClickTarget::ProjectRow(25)));
    assert_eq!(model.projects.selected, 25);
    update(
        &mut model,
        Msg::Wheel {
            target: ClickTarget::ProjectRow(25),
            down: true,
        },
    );
    assert_eq!(model.projects.selected, 26);
    // Below the last row: nothing.
    assert_eq!(crate::ui::layout::hit_test(&model, (80, 24), 5, 23), None);
}
