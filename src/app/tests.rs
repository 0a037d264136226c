//! `update` tests: tabs, help, the engine connection and engine facts against a fixture stack.

use crossterm::event::{KeyCode, KeyModifiers};

use super::test_support::*;
use super::*;
use crate::domain::stack::{ContainerEvent, EventAction, RunState};

#[test]
fn question_mark_toggles_help_and_esc_closes_it() {
    let mut model = Model::default();
    press(&mut model, KeyCode::Char('?'), KeyModifiers::NONE);
    assert!(model.show_help);
    press(&mut model, KeyCode::Esc, KeyModifiers::NONE);
    assert!(!model.show_help);
}

#[test]
fn q_and_ctrl_c_quit() {
    let mut model = Model::default();
    assert_eq!(keys(&mut model, "q"), vec![Cmd::Quit]);
    let mut model = Model::default();
    assert_eq!(
        press(&mut model, KeyCode::Char('c'), KeyModifiers::CONTROL),
        vec![Cmd::Quit]
    );
    assert!(model.quitting);
}

fn loaded(model: &mut Model) {
    update(
        model,
        Msg::ProjectLoaded {
            project: "shop".into(),
            services: Vec::new(),
        },
    );
}

/// A directory with a compose project opens on the Stack tab; one without stays on the Wizard;
/// a tab the user picked (or `--tab`) is never taken away by a later load.
#[test]
fn the_first_project_load_picks_the_tab_once() {
    let mut model = Model::default();
    loaded(&mut model);
    assert_eq!(model.tab, Tab::Stack);

    let mut model = Model::default();
    update(
        &mut model,
        Msg::ProjectFailed {
            reason: "no compose file".into(),
        },
    );
    loaded(&mut model);
    assert_eq!(
        model.tab,
        Tab::Wizard,
        "a later load does not move the user"
    );

    let mut model = Model::default();
    keys(&mut model, "1");
    loaded(&mut model);
    assert_eq!(model.tab, Tab::Wizard, "the user's choice stands");

    let mut model = Model {
        tab: Tab::Wizard,
        tab_chosen: true,
        ..Model::default()
    };
    loaded(&mut model);
    assert_eq!(model.tab, Tab::Wizard, "--tab wizard stands");
}

#[test]
fn tab_cycles_through_tabs() {
    let mut model = Model::default();
    assert_eq!(model.tab, Tab::Wizard);
    press(&mut model, KeyCode::Tab, KeyModifiers::NONE);
    assert_eq!(model.tab, Tab::Stack);
    press(&mut model, KeyCode::Tab, KeyModifiers::NONE);
    assert_eq!(model.tab, Tab::Projects);
    press(&mut model, KeyCode::Tab, KeyModifiers::NONE);
    assert_eq!(model.tab, Tab::Wizard);
    press(&mut model, KeyCode::BackTab, KeyModifiers::SHIFT);
    assert_eq!(model.tab, Tab::Projects);
    keys(&mut model, "2");
    assert_eq!(model.tab, Tab::Stack);
}

#[test]
fn engine_state_is_recorded_and_ctrl_r_reconnects() {
    let mut model = Model::default();
    update(
        &mut model,
        Msg::EngineChanged(EngineState::Unreachable {
            endpoint: "unix:///x.sock".into(),
            reason: "the socket /x.sock does not exist".into(),
        }),
    );
    assert!(matches!(model.engine, EngineState::Unreachable { .. }));
    let cmds = press(&mut model, KeyCode::Char('r'), KeyModifiers::CONTROL);
    assert_eq!(cmds, vec![Cmd::ConnectEngine { after_ms: 0 }]);
    assert_eq!(model.engine, EngineState::Connecting);
}

#[test]
fn engine_lost_reconnects_with_backoff_and_resubscribes() {
    let mut model = gen_model();
    update(
        &mut model,
        Msg::EngineChanged(EngineState::Connected {
            endpoint: "unix:///s".into(),
            server_version: "20.10".into(),
            api_version: "1.41".into(),
        }),
    );
    let lost = || Msg::EngineLost {
        reason: "the event stream ended".into(),
    };
    assert_eq!(
        update(&mut model, lost()),
        vec![Cmd::ConnectEngine { after_ms: 250 }]
    );
    assert!(
        matches!(model.engine, EngineState::Unreachable { ref endpoint, .. } if endpoint == "unix:///s")
    );
    let unreachable = || {
        Msg::EngineChanged(EngineState::Unreachable {
            endpoint: "unix:///s".into(),
            reason: "refused".into(),
        })
    };
    assert_eq!(
        update(&mut model, unreachable()),
        vec![Cmd::ConnectEngine { after_ms: 500 }]
    );
    assert_eq!(
        update(&mut model, unreachable()),
        vec![Cmd::ConnectEngine { after_ms: 1000 }]
    );
    for _ in 0..10 {
        update(&mut model, unreachable());
    }
    assert_eq!(
        update(&mut model, unreachable()),
        vec![Cmd::ConnectEngine { after_ms: 8000 }]
    );
    let back = update(
        &mut model,
        Msg::EngineChanged(EngineState::Connected {
            endpoint: "unix:///s".into(),
            server_version: "20.10".into(),
            api_version: "1.41".into(),
        }),
    );
    assert_eq!(
        back,
        vec![Cmd::WatchStack {
            project: "demo".into()
        }]
    );
    assert_eq!(model.reconnect_attempts, 0);
}

#[test]
fn listing_starts_streams_for_running_containers_only() {
    let mut model = Model::default();
    let cmds = update(
        &mut model,
        Msg::ContainersListed(vec![
            info("d1", "db", RunState::Running),
            info("w1", "web", RunState::Exited),
        ]),
    );
    assert_eq!(
        cmds,
        vec![
            Cmd::FollowStats { id: "d1".into() },
            Cmd::FollowLogs {
                id: "d1".into(),
                service: "db".into(),
                since: None
            },
        ]
    );
}

#[test]
fn events_start_and_stop_streams_and_ask_for_inspects() {
    let mut model = gen_model();
    let ev = |action| {
        Msg::ContainerEvent(ContainerEvent {
            id: "w1".into(),
            name: "demo-web-1".into(),
            service: "web".into(),
            action,
            time_nano: 1_700_000_000_000_000_000,
        })
    };
    let cmds = update(&mut model, ev(EventAction::Start));
    assert!(cmds.contains(&Cmd::FollowStats { id: "w1".into() }));
    assert!(cmds.contains(&Cmd::Inspect {
        id: "w1".into(),
        sizes: true
    }));
    assert_eq!(model.now, 1_700_000_000);
    let cmds = update(&mut model, ev(EventAction::Die { exit_code: Some(1) }));
    assert!(cmds.contains(&Cmd::StopStats { id: "w1".into() }));
    assert_eq!(update(&mut model, ev(EventAction::Other)), vec![]);
    // An event for a container not seen yet asks for it.
    let cmds = update(
        &mut model,
        Msg::ContainerEvent(ContainerEvent {
            id: "new".into(),
            name: "demo-web-2".into(),
            service: "web".into(),
            action: EventAction::Create,
            time_nano: 0,
        }),
    );
    assert_eq!(
        cmds,
        vec![Cmd::Inspect {
            id: "new".into(),
            sizes: true
        }]
    );
}

#[test]
fn logs_resume_after_the_last_line_on_restart() {
    let mut model = gen_model();
    update(
        &mut model,
        Msg::Logs(LogChunk {
            container: "w1".into(),
            service: "web".into(),
            lines: vec![(Some("2026-01-01T00:00:01.5Z".into()), "hello".into(), false)],
        }),
    );
    let cmds = update(
        &mut model,
        Msg::ContainerInspected(info("w1", "web", RunState::Running)),
    );
    assert!(cmds.contains(&Cmd::FollowLogs {
        id: "w1".into(),
        service: "web".into(),
        since: Some("2026-01-01T00:00:01.5Z".into()),
    }));
}

#[test]
fn a_silent_engine_is_shown_and_its_return_relists_the_stack() {
    let mut model = gen_model();
    update(
        &mut model,
        Msg::EngineChanged(EngineState::Connected {
            endpoint: "unix:///s".into(),
            server_version: "20.10".into(),
            api_version: "1.41".into(),
        }),
    );
    assert!(update(&mut model, Msg::EngineSilent { seconds: 2 }).is_empty());
    assert_eq!(model.engine_silent, Some(2));
    assert_eq!(
        update(&mut model, Msg::EngineAnswered),
        vec![Cmd::WatchStack {
            project: model.stack.project.clone()
        }]
    );
    assert_eq!(model.engine_silent, None);
    // An answer without a silence before it changes nothing.
    assert!(update(&mut model, Msg::EngineAnswered).is_empty());
}
