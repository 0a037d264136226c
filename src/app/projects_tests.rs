//! `update` tests of the Projects tab: the listing follows the tab, the selection follows its
//! project across lists, and opening a project hands the Stack tab over to it.

use crossterm::event::{KeyCode, KeyModifiers};

use super::test_support::*;
use super::*;
use crate::domain::stack::projects::{ProjectRef, ProjectSummary};

fn connected() -> Model {
    let mut model = gen_model();
    model.engine = EngineState::Connected {
        endpoint: "unix:///var/run/docker.sock".into(),
        server_version: "20.10.24".into(),
        api_version: "1.41".into(),
    };
    model
}

fn enter(model: &mut Model) -> Vec<Cmd> {
    press(model, KeyCode::Enter, KeyModifiers::NONE)
}

fn summary(name: &str) -> ProjectSummary {
    ProjectSummary {
        project: ProjectRef {
            name: name.into(),
            working_dir: format!("/src/{name}"),
            config_files: vec![format!("/src/{name}/compose.yaml")],
            env_files: Vec::new(),
        },
        services: 1,
        services_running: 1,
        ..ProjectSummary::default()
    }
}

#[test]
fn the_listing_runs_only_while_the_tab_is_shown() {
    let mut model = connected();
    assert_eq!(keys(&mut model, "3"), vec![Cmd::WatchProjects]);
    assert_eq!(model.tab, Tab::Projects);
    assert_eq!(keys(&mut model, "3"), Vec::<Cmd>::new());
    assert_eq!(keys(&mut model, "2"), vec![Cmd::StopProjects]);
    // Tab from the Stack tab lands on Projects too.
    assert_eq!(
        press(&mut model, KeyCode::Tab, KeyModifiers::NONE),
        vec![Cmd::WatchProjects]
    );
    // The engine coming back restarts it while the tab is shown.
    let engine = model.engine.clone();
    let cmds = update(&mut model, Msg::EngineChanged(engine));
    assert!(cmds.contains(&Cmd::WatchProjects), "{cmds:?}");
}

#[test]
fn the_selection_stays_on_its_project_across_lists() {
    let mut model = connected();
    keys(&mut model, "3");
    update(
        &mut model,
        Msg::ProjectsListed(Ok(vec![summary("a"), summary("b")])),
    );
    keys(&mut model, "j");
    assert_eq!(model.projects.selected, 1);
    update(
        &mut model,
        Msg::ProjectsListed(Ok(vec![summary("0"), summary("a"), summary("b")])),
    );
    assert_eq!(model.projects.selected, 2);
    update(&mut model, Msg::ProjectsListed(Ok(vec![summary("a")])));
    assert_eq!(model.projects.selected, 0);
    update(&mut model, Msg::ProjectsListed(Err("boom".into())));
    assert_eq!(model.projects.error.as_deref(), Some("boom"));
    assert_eq!(model.projects.rows.len(), 1, "the last list stays shown");
}

#[test]
fn opening_a_project_hands_the_stack_tab_over() {
    let mut model = connected();
    log(&mut model, "c1", "web", &["from the old project"]);
    keys(&mut model, "3");
    update(
        &mut model,
        Msg::ProjectsListed(Ok(vec![summary("blog"), summary("demo")])),
    );
    // The Stack tab's own project: only the tab changes.
    keys(&mut model, "j");
    assert_eq!(enter(&mut model), vec![Cmd::StopProjects]);
    assert_eq!(model.tab, Tab::Stack);

    keys(&mut model, "3");
    keys(&mut model, "k");
    let cmds = enter(&mut model);
    assert_eq!(
        cmds,
        vec![
            Cmd::OpenProject(Some(summary("blog").project)),
            Cmd::StopProjects
        ]
    );
    update(
        &mut model,
        Msg::ProjectLoaded {
            project: "blog".into(),
            services: Vec::new(),
        },
    );
    assert_eq!(model.stack.project, "blog");
    assert!(model.stack.rows().is_empty(), "no row of the old project");
    assert!(model.logs.is_empty(), "no log line of the old project");
    // The wizard starting the folder's stack brings the folder's project back.
    assert_eq!(
        super::projects::back_home(&mut model),
        Cmd::OpenProject(None)
    );
    assert_eq!(super::projects::back_home(&mut model), Cmd::LoadProject);
}
