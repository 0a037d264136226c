//! `update` tests of the Stack tab's actions, logs pane, mouse and action outcomes.

use crossterm::event::{KeyCode, KeyModifiers};

use super::test_support::*;
use super::*;
use crate::domain::stack::{
    ContainerEvent, ContainerInfo, EventAction, Health, HealthView, RunState, StatsSample,
};

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
            op: Operation::Up,
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
            op: Operation::Container {
                op: ContainerOp::Restart,
                service: "db".into(),
            },
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

#[test]
fn a_pull_shows_its_layers_and_bytes_in_the_service_row() {
    use crate::domain::progress::{Progress, Resource, Step};
    let mut m = gen_model();
    let step = |step: Step| {
        Msg::Progress(Progress::Step {
            service: "db".into(),
            resource: Resource::Image,
            name: "postgres:16".into(),
            step,
            detail: String::new(),
        })
    };
    let layer = |id: &str, status: &str, current: u64, total: u64| {
        Msg::Progress(Progress::PullLayer {
            service: "db".into(),
            image: "postgres:16".into(),
            layer: id.into(),
            status: status.into(),
            current,
            total,
        })
    };
    let progress = |m: &Model| m.stack.service("db").and_then(|s| s.progress.clone());
    update(&mut m, step(Step::Pulling));
    update(&mut m, layer("a", "Already exists", 0, 0));
    update(
        &mut m,
        layer("b", "Downloading", 1024 * 1024, 4 * 1024 * 1024),
    );
    assert_eq!(
        progress(&m).as_deref(),
        Some("pulling: 1/2 layers, 1.0 MiB of 4.0 MiB")
    );
    update(&mut m, layer("b", "Pull complete", 0, 0));
    assert_eq!(
        progress(&m).as_deref(),
        Some("pulling: 2/2 layers, 4.0 MiB of 4.0 MiB")
    );
    update(&mut m, step(Step::Pulled));
    assert_eq!(progress(&m).as_deref(), Some("pulled image"));
    assert!(m.pulls.is_empty(), "the meter goes with the pull");
}
