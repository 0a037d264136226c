//! Tests of the observed stack: events, transitions, waits, labels.

use super::*;

fn info(id: &str, service: &str, state: RunState) -> ContainerInfo {
    ContainerInfo {
        id: id.into(),
        name: format!("demo-{service}-1"),
        service: service.into(),
        state,
        ..ContainerInfo::default()
    }
}

fn stack() -> Stack {
    Stack::new(
        "demo",
        vec![
            ServiceSpec {
                name: "db".into(),
                ..ServiceSpec::default()
            },
            ServiceSpec {
                name: "migrate".into(),
                depends_on: vec![Dependency {
                    service: "db".into(),
                    condition: WaitCondition::Healthy,
                }],
                ..ServiceSpec::default()
            },
            ServiceSpec {
                name: "web".into(),
                depends_on: vec![
                    Dependency {
                        service: "db".into(),
                        condition: WaitCondition::Healthy,
                    },
                    Dependency {
                        service: "migrate".into(),
                        condition: WaitCondition::CompletedSuccessfully,
                    },
                ],
                ..ServiceSpec::default()
            },
        ],
    )
}

fn event(id: &str, action: EventAction) -> ContainerEvent {
    ContainerEvent {
        id: id.into(),
        name: String::new(),
        service: String::new(),
        action,
        time_nano: 1_700_000_000_000_000_000,
    }
}

#[test]
fn completed_successfully_dependencies_are_one_shot() {
    let s = stack();
    assert!(s.service("migrate").is_some_and(|m| m.spec.one_shot));
    assert!(s.service("db").is_some_and(|m| !m.spec.one_shot));
}

#[test]
fn transitions_follow_running_state() {
    let mut s = stack();
    assert_eq!(
        s.upsert(info("a", "db", RunState::Created)),
        Transition::Unchanged
    );
    assert_eq!(
        s.apply_event(&event("a", EventAction::Start)),
        Transition::Started
    );
    assert_eq!(
        s.apply_event(&event(
            "a",
            EventAction::Die {
                exit_code: Some(137)
            }
        )),
        Transition::Stopped
    );
    assert_eq!(
        s.upsert(info("a", "db", RunState::Running)),
        Transition::Started
    );
    assert_eq!(
        s.apply_event(&event("a", EventAction::Destroy)),
        Transition::Stopped
    );
    assert!(s.container("a").is_none());
    assert_eq!(
        s.apply_event(&event("zzz", EventAction::Start)),
        Transition::Unchanged
    );
}

/// An inspect sent before a container's destroy event and answered after it (state `removing`)
/// must not bring the row back: nothing would ever remove it (seen in CI after a rebuild).
#[test]
fn an_inspect_answering_after_the_destroy_is_stale() {
    let mut s = stack();
    s.upsert(info("old", "web", RunState::Running));
    s.apply_event(&event("old", EventAction::Destroy));
    assert_eq!(
        s.upsert(info("old", "web", RunState::Removing)),
        Transition::Unchanged
    );
    assert!(s.container("old").is_none());
    // Destroyed before its first inspect answered.
    s.apply_event(&event("brief", EventAction::Destroy));
    s.upsert(info("brief", "web", RunState::Exited));
    assert!(s.container("brief").is_none());
    // Remembered across a reload of the compose file.
    let mut reloaded = s.reloaded("p", Vec::new());
    reloaded.upsert(info("old", "web", RunState::Removing));
    assert!(reloaded.container("old").is_none());
}

#[test]
fn waits_are_named_until_conditions_hold() {
    let mut s = stack();
    s.bringing_up = true;
    s.upsert(ContainerInfo {
        health: Some(HealthView {
            status: Health::Starting,
            failing_streak: 0,
            probes: vec![],
        }),
        ..info("d", "db", RunState::Running)
    });
    s.upsert(info("w", "web", RunState::Created));
    let web = s.service("web").unwrap();
    let label = s.state_label(web, web.containers.first());
    assert_eq!(label.text, "waiting: db healthy, migrate completed");
    let migrate = s.service("migrate").unwrap();
    assert_eq!(s.state_label(migrate, None).text, "waiting: db healthy");

    s.apply_event(&event("d", EventAction::HealthStatus(Health::Healthy)));
    s.upsert(ContainerInfo {
        exit_code: Some(0),
        ..info("m", "migrate", RunState::Exited)
    });
    let web = s.service("web").unwrap();
    assert_eq!(s.state_label(web, web.containers.first()).text, "created");
    let migrate = s.service("migrate").unwrap();
    let done = s.state_label(migrate, migrate.containers.first());
    assert_eq!((done.text.as_str(), done.tone), ("completed", Tone::Good));
}

#[test]
fn exit_labels_distinguish_failure_oom_and_plain_exit() {
    let mut s = stack();
    s.upsert(ContainerInfo {
        exit_code: Some(2),
        ..info("w", "web", RunState::Exited)
    });
    s.upsert(ContainerInfo {
        exit_code: Some(137),
        oom_killed: true,
        ..info("d", "db", RunState::Exited)
    });
    let web = s.service("web").unwrap();
    assert_eq!(
        s.state_label(web, web.containers.first()).text,
        "exited (2)"
    );
    let db = s.service("db").unwrap();
    assert_eq!(
        s.state_label(db, db.containers.first()).text,
        "oom-killed (137)"
    );
}

#[test]
fn start_resets_health_silently_and_health_hides_when_stopped() {
    let mut s = stack();
    s.upsert(ContainerInfo {
        health: Some(HealthView {
            status: Health::Unhealthy,
            failing_streak: 4,
            probes: vec![],
        }),
        ..info("d", "db", RunState::Running)
    });
    let c = s.container("d");
    assert_eq!(Stack::health_label(c).unwrap().text, "unhealthy ✗4");
    s.apply_event(&event("d", EventAction::Die { exit_code: Some(0) }));
    assert_eq!(Stack::health_label(s.container("d")), None);
    s.apply_event(&event("d", EventAction::Start));
    assert_eq!(
        Stack::health_label(s.container("d")).unwrap().text,
        "starting"
    );
    assert_eq!(
        Stack::uptime(s.container("d"), 1_700_000_075),
        Some("1m".to_owned())
    );
}

#[test]
fn stats_fill_bounded_history() {
    let mut s = stack();
    s.upsert(info("d", "db", RunState::Running));
    let sample = StatsSample {
        cpu_total: 2,
        precpu_total: 1,
        cpu_system: Some(4),
        precpu_system: Some(2),
        online_cpus: 1,
        mem_usage: Some(100),
        mem_limit: Some(1000),
        ..StatsSample::default()
    };
    for _ in 0..(HISTORY + 5) {
        s.record_stats("d", &sample);
    }
    let c = s.container("d").unwrap();
    assert_eq!(c.cpu.len(), HISTORY);
    assert_eq!(c.cpu.last(), Some(&50.0));
    assert_eq!(c.mem.last(), Some(&100));
    assert_eq!(c.mem_limit, Some(1000));
}

#[test]
fn event_actions_parse() {
    assert_eq!(
        EventAction::parse("health_status: healthy", None),
        EventAction::HealthStatus(Health::Healthy)
    );
    assert_eq!(
        EventAction::parse("die", Some(3)),
        EventAction::Die { exit_code: Some(3) }
    );
    assert_eq!(
        EventAction::parse("exec_start: sh -c true", None),
        EventAction::Other
    );
    assert!(!EventAction::Other.needs_inspect());
}

#[test]
fn port_urls() {
    let p = PortView {
        host_ip: "0.0.0.0".into(),
        host_port: 8080,
        container_port: 80,
        protocol: "tcp".into(),
    };
    assert_eq!(p.url(), "http://localhost:8080");
    let p6 = PortView {
        host_ip: "::1".into(),
        ..p
    };
    assert_eq!(p6.url(), "http://[::1]:8080");
}

#[test]
fn quick_inspects_keep_known_sizes() {
    let mut s = stack();
    s.upsert(ContainerInfo {
        image_size: Some(10),
        rw_size: Some(20),
        ..info("d", "db", RunState::Running)
    });
    s.upsert(info("d", "db", RunState::Running));
    let c = s.container("d").unwrap();
    assert_eq!((c.info.image_size, c.info.rw_size), (Some(10), Some(20)));
}
