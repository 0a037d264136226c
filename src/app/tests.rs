//! `update` tests: key sequences and engine facts against a fixture stack.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::domain::stack::{
    ContainerEvent, ContainerInfo, Dependency, EventAction, Health, HealthView, RunState,
    ServiceSpec, StatsSample, WaitCondition,
};

fn press(model: &mut Model, code: KeyCode, mods: KeyModifiers) -> Vec<Cmd> {
    update(model, Msg::KeyPressed(KeyEvent::new(code, mods)))
}

fn keys(model: &mut Model, text: &str) -> Vec<Cmd> {
    text.chars()
        .flat_map(|c| press(model, KeyCode::Char(c), KeyModifiers::NONE))
        .collect()
}

fn info(id: &str, service: &str, state: RunState) -> ContainerInfo {
    ContainerInfo {
        id: id.into(),
        name: format!("demo-{service}-1"),
        service: service.into(),
        state,
        ..ContainerInfo::default()
    }
}

fn gen_model() -> Model {
    let mut model = Model {
        tab: Tab::Stack,
        size: (80, 24),
        ..Model::default()
    };
    update(
        &mut model,
        Msg::ProjectLoaded {
            project: "demo".into(),
            services: vec![
                ServiceSpec {
                    name: "db".into(),
                    ..ServiceSpec::default()
                },
                ServiceSpec {
                    name: "web".into(),
                    depends_on: vec![Dependency {
                        service: "db".into(),
                        condition: WaitCondition::Healthy,
                    }],
                    ..ServiceSpec::default()
                },
            ],
        },
    );
    update(
        &mut model,
        Msg::ContainersListed(vec![
            info("d1", "db", RunState::Running),
            info("w1", "web", RunState::Created),
        ]),
    );
    model
}

fn log(model: &mut Model, container: &str, service: &str, lines: &[&str]) {
    update(
        model,
        Msg::Logs(LogChunk {
            container: container.into(),
            service: service.into(),
            lines: lines
                .iter()
                .map(|l| (None, (*l).to_owned(), false))
                .collect(),
        }),
    );
}

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

#[test]
fn tab_cycles_through_tabs() {
    let mut model = Model::default();
    assert_eq!(model.tab, Tab::Wizard);
    press(&mut model, KeyCode::Tab, KeyModifiers::NONE);
    assert_eq!(model.tab, Tab::Stack);
    press(&mut model, KeyCode::Tab, KeyModifiers::NONE);
    assert_eq!(model.tab, Tab::Wizard);
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
fn actions_target_the_selected_service() {
    let mut model = gen_model();
    assert_eq!(
        keys(&mut model, "r"),
        vec![Cmd::Container {
            op: ContainerOp::Restart,
            service: "db".into(),
            ids: vec!["d1".into()]
        }]
    );
    press(&mut model, KeyCode::Down, KeyModifiers::NONE);
    assert_eq!(model.selected_service(), Some("web"));
    assert_eq!(
        keys(&mut model, "b"),
        vec![Cmd::Service {
            op: ServiceOp::Rebuild,
            service: "web".into()
        }]
    );
    assert_eq!(
        keys(&mut model, "x")[0],
        Cmd::Container {
            op: ContainerOp::Stop,
            service: "web".into(),
            ids: vec!["w1".into()]
        }
    );
    // The web container is only created: no shell, a message instead.
    assert_eq!(keys(&mut model, "e"), vec![]);
    assert!(
        model
            .toast
            .as_deref()
            .is_some_and(|t| t.contains("not running"))
    );
    keys(&mut model, "jjjj");
    assert_eq!(model.stack_ui.selected, 1);
    keys(&mut model, "k");
    assert_eq!(
        keys(&mut model, "e"),
        vec![Cmd::Shell {
            id: "d1".into(),
            name: "demo-db-1".into()
        }]
    );
    assert_eq!(keys(&mut model, "u"), vec![Cmd::Up]);
    assert!(model.stack.bringing_up);
    assert_eq!(keys(&mut model, "D"), vec![Cmd::Down]);
    assert_eq!(keys(&mut model, "w"), vec![Cmd::Watch { on: true }]);
    assert_eq!(keys(&mut model, "w"), vec![Cmd::Watch { on: false }]);
}

#[test]
fn show_url_lists_published_ports() {
    let mut model = gen_model();
    update(
        &mut model,
        Msg::ContainerInspected(ContainerInfo {
            ports: vec![crate::domain::stack::PortView {
                host_ip: "0.0.0.0".into(),
                host_port: 5432,
                container_port: 5432,
                protocol: "tcp".into(),
            }],
            ..info("d1", "db", RunState::Running)
        }),
    );
    keys(&mut model, "o");
    assert_eq!(model.toast.as_deref(), Some("http://localhost:5432"));
    // The next key clears it.
    keys(&mut model, "t");
    assert_eq!(model.toast, None);
}

#[test]
fn pause_scroll_and_follow() {
    let mut model = gen_model();
    let lines: Vec<String> = (0..40).map(|i| format!("line {i}")).collect();
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    log(&mut model, "d1", "db", &refs);
    keys(&mut model, "p");
    assert_eq!(model.stack_ui.anchor, Some(40));
    log(&mut model, "d1", "db", &["later"]);
    assert_eq!(model.stack_ui.anchor, Some(40), "paused view holds still");
    press(&mut model, KeyCode::PageUp, KeyModifiers::NONE);
    assert_eq!(model.stack_ui.anchor, Some(28));
    press(&mut model, KeyCode::PageUp, KeyModifiers::NONE);
    press(&mut model, KeyCode::PageUp, KeyModifiers::NONE);
    press(&mut model, KeyCode::PageUp, KeyModifiers::NONE);
    assert_eq!(model.stack_ui.anchor, Some(1), "stops at the oldest line");
    press(&mut model, KeyCode::PageDown, KeyModifiers::NONE);
    assert_eq!(model.stack_ui.anchor, Some(13));
    press(&mut model, KeyCode::End, KeyModifiers::NONE);
    assert_eq!(model.stack_ui.anchor, None);
    keys(&mut model, " ");
    keys(&mut model, " ");
    assert_eq!(model.stack_ui.anchor, None);
}

#[test]
fn filter_typing_scope_and_save() {
    let mut model = gen_model();
    log(
        &mut model,
        "d1",
        "db",
        &["db ready", "\u{1b}[31mERROR\u{1b}[0m disk"],
    );
    log(&mut model, "w1", "web", &["web error 500"]);
    keys(&mut model, "/err");
    assert!(model.stack_ui.editing_filter);
    // While typing, `q` is text, not quit.
    assert_eq!(keys(&mut model, "q"), vec![]);
    press(&mut model, KeyCode::Backspace, KeyModifiers::NONE);
    press(&mut model, KeyCode::Enter, KeyModifiers::NONE);
    assert_eq!(model.stack_ui.filter, "err");
    let saved = keys(&mut model, "S");
    assert_eq!(
        saved,
        vec![Cmd::SaveFile {
            path: "demo-all.log".into(),
            text: "db | ERROR disk\nweb | web error 500\n".into()
        }]
    );
    keys(&mut model, "a");
    assert_eq!(model.log_service(), Some("db"));
    let saved = keys(&mut model, "S");
    assert!(matches!(&saved[0], Cmd::SaveFile { path, .. } if path == "demo-db.log"));
    keys(&mut model, "/");
    press(&mut model, KeyCode::Esc, KeyModifiers::NONE);
    assert_eq!(model.stack_ui.filter, "");
    assert!(!model.stack_ui.editing_filter);
}

#[test]
fn clicks_select_rows_and_wheel_scrolls() {
    let mut model = gen_model();
    model.tab = Tab::Wizard;
    update(&mut model, Msg::Clicked(ClickTarget::ServiceRow(1)));
    assert_eq!((model.tab, model.stack_ui.selected), (Tab::Stack, 1));
    update(&mut model, Msg::Clicked(ClickTarget::ServiceRow(9)));
    assert_eq!(model.stack_ui.selected, 1);
    update(
        &mut model,
        Msg::Wheel {
            target: ClickTarget::ServicesTable,
            down: false,
        },
    );
    assert_eq!(model.stack_ui.selected, 0);
    update(&mut model, Msg::Clicked(ClickTarget::Tab(Tab::Wizard)));
    assert_eq!(model.tab, Tab::Wizard);
}

#[test]
fn stats_and_health_facts_reach_the_stack() {
    let mut model = gen_model();
    update(
        &mut model,
        Msg::Stats {
            id: "d1".into(),
            sample: StatsSample {
                read_unix: 1_700_000_100,
                cpu_total: 3,
                precpu_total: 1,
                cpu_system: Some(10),
                precpu_system: Some(6),
                online_cpus: 2,
                mem_usage: Some(2048),
                ..StatsSample::default()
            },
        },
    );
    assert_eq!(model.now, 1_700_000_100);
    let c = model.stack.container("d1").unwrap();
    assert_eq!(c.cpu.last(), Some(&100.0));
    update(
        &mut model,
        Msg::ContainerInspected(ContainerInfo {
            health: Some(HealthView {
                status: Health::Healthy,
                failing_streak: 0,
                probes: vec![],
            }),
            ..info("d1", "db", RunState::Running)
        }),
    );
    let web = model.stack.service("web").unwrap();
    assert_eq!(
        model.stack.state_label(web, web.containers.first()).text,
        "created"
    );
}

#[test]
fn action_outcomes_are_shown() {
    let mut model = gen_model();
    keys(&mut model, "u");
    update(
        &mut model,
        Msg::ActionDone {
            what: "up".into(),
            outcome: Err("image fixture:1 could not be pulled".into()),
        },
    );
    assert!(!model.stack.bringing_up);
    assert_eq!(
        model.toast.as_deref(),
        Some("up failed: image fixture:1 could not be pulled")
    );
}

#[test]
fn probe_execs_refresh_health_only_while_not_healthy() {
    let mut model = gen_model();
    let exec_die = || {
        Msg::ContainerEvent(ContainerEvent {
            id: "d1".into(),
            name: "demo-db-1".into(),
            service: "db".into(),
            action: EventAction::ExecDie,
            time_nano: 0,
        })
    };
    // No healthcheck: probes are not a thing, execs are someone's `docker exec`.
    assert_eq!(update(&mut model, exec_die()), vec![]);
    let with_health = |status| ContainerInfo {
        health: Some(HealthView {
            status,
            failing_streak: 0,
            probes: vec![],
        }),
        ..info("d1", "db", RunState::Running)
    };
    update(
        &mut model,
        Msg::ContainerInspected(with_health(Health::Starting)),
    );
    assert_eq!(
        update(&mut model, exec_die()),
        vec![Cmd::Inspect {
            id: "d1".into(),
            sizes: false
        }]
    );
    update(
        &mut model,
        Msg::ContainerInspected(with_health(Health::Healthy)),
    );
    assert_eq!(update(&mut model, exec_die()), vec![]);
}

#[test]
fn a_running_action_shows_on_the_row_until_it_is_done() {
    let mut model = gen_model();
    keys(&mut model, "r");
    let db = model.stack.service("db").unwrap();
    assert_eq!(
        model.stack.state_label(db, db.containers.first()).text,
        "restarting"
    );
    update(
        &mut model,
        Msg::ActionDone {
            what: "restart db".into(),
            outcome: Ok(()),
        },
    );
    let db = model.stack.service("db").unwrap();
    assert_eq!(
        model.stack.state_label(db, db.containers.first()).text,
        "running"
    );
    assert_eq!(model.toast.as_deref(), Some("restart db: done"));
}
