//! Snapshots of every Stack tab panel at 80x24 and 160x48 from deterministic `gen_*` fixtures,
//! plus hit-testing and tiny sizes.

use insta::assert_snapshot;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::{draw, hit_test};
use crate::app::{ClickTarget, EngineState, LogChunk, Model, Msg, Operation, Tab, update};
use crate::domain::stack::{
    ContainerInfo, Dependency, Health, HealthView, IoCounters, PortView, Probe, RunState,
    ServiceSpec, StatsSample, WaitCondition,
};
use crate::domain::sync::Activity;

const NOW: i64 = 1_764_201_600;

fn spec(name: &str, deps: &[(&str, WaitCondition)]) -> ServiceSpec {
    ServiceSpec {
        name: name.into(),
        depends_on: deps
            .iter()
            .map(|(s, c)| Dependency {
                service: (*s).into(),
                condition: *c,
            })
            .collect(),
        one_shot: false,
    }
}

fn gen_container(id: &str, service: &str, state: RunState) -> ContainerInfo {
    ContainerInfo {
        id: id.into(),
        name: format!("shop-{service}-1"),
        service: service.into(),
        state,
        image: format!("shop-{service}:dev"),
        image_size: Some(48 * 1024 * 1024 + id.len() as u64 * 1_300_000),
        rw_size: Some(12_288 * id.len() as u64),
        started_at: Some(NOW - 3725),
        ..ContainerInfo::default()
    }
}

fn gen_stats(cpu_ns: u64, mem: u64) -> StatsSample {
    StatsSample {
        read_unix: NOW,
        cpu_total: 1_000_000_000 + cpu_ns,
        precpu_total: 1_000_000_000,
        cpu_system: Some(4_000_000_000),
        precpu_system: Some(2_000_000_000),
        online_cpus: 2,
        mem_usage: Some(mem),
        mem_limit: Some(2 * 1024 * 1024 * 1024),
        ..StatsSample::default()
    }
}

/// A five-service stack showing every state: starting with a failing probe, completed one-shot,
/// healthy with stats and a port, waiting on dependencies, and exited with an error.
fn gen_stack_model(width: u16, height: u16) -> Model {
    let mut m = Model {
        tab: Tab::Stack,
        size: (width, height),
        engine: EngineState::Connected {
            endpoint: "unix:///var/run/docker.sock".into(),
            server_version: "20.10.24".into(),
            api_version: "1.41".into(),
        },
        ..Model::default()
    };
    use WaitCondition::*;
    update(
        &mut m,
        Msg::ProjectLoaded {
            project: "shop".into(),
            services: vec![
                spec("db", &[]),
                spec("seed", &[("db", Healthy)]),
                spec("api", &[("seed", CompletedSuccessfully)]),
                spec("web", &[("db", Healthy), ("api", Started)]),
                spec("worker", &[]),
            ],
        },
    );
    m.stack.bringing_up = true;
    let db = ContainerInfo {
        health: Some(HealthView {
            status: Health::Starting,
            failing_streak: 1,
            probes: vec![
                Probe {
                    exit_code: 2,
                    output: "pg_isready: no response".into(),
                    ended: Some(NOW - 9),
                },
                Probe {
                    exit_code: 1,
                    output: "/var/run/postgresql:5432 - rejecting connections\n".into(),
                    ended: Some(NOW - 4),
                },
            ],
        }),
        restarts: 1,
        ..gen_container("c-db", "db", RunState::Running)
    };
    let seed = ContainerInfo {
        exit_code: Some(0),
        ..gen_container("c-seed", "seed", RunState::Exited)
    };
    let api = ContainerInfo {
        health: Some(HealthView {
            status: Health::Healthy,
            failing_streak: 0,
            probes: vec![Probe {
                exit_code: 0,
                output: "ok".into(),
                ended: None,
            }],
        }),
        ports: vec![PortView {
            host_ip: "0.0.0.0".into(),
            host_port: 8080,
            container_port: 80,
            protocol: "tcp".into(),
        }],
        ..gen_container("c-api", "api", RunState::Running)
    };
    let web = gen_container("c-web", "web", RunState::Created);
    let worker = ContainerInfo {
        exit_code: Some(2),
        ..gen_container("c-worker", "worker", RunState::Exited)
    };
    update(
        &mut m,
        Msg::ContainersListed(vec![db, seed, api, web, worker]),
    );
    for (i, cpu) in [5u64, 20, 80, 40, 10, 60, 100, 30].iter().enumerate() {
        let step = i as u64;
        let sample = StatsSample {
            read_ms: 1_000 * step as i64,
            io: IoCounters {
                net_rx: Some(step * step * 60_000),
                net_tx: Some(step * 2_000),
                blk_read: Some(0),
                blk_write: Some(step * 4096),
            },
            ..gen_stats(cpu * 10_000_000, (40 + step * 3) * 1024 * 1024)
        };
        update(
            &mut m,
            Msg::Stats {
                id: "c-api".into(),
                sample,
            },
        );
        let sample = gen_stats(cpu * 1_000_000, 90 * 1024 * 1024);
        update(
            &mut m,
            Msg::Stats {
                id: "c-db".into(),
                sample,
            },
        );
    }
    gen_logs(&mut m);
    m
}

fn gen_logs(m: &mut Model) {
    let chunk = |container: &str, service: &str, lines: &[(&str, bool)]| {
        Msg::Logs(LogChunk {
            container: container.into(),
            service: service.into(),
            lines: lines
                .iter()
                .enumerate()
                .map(|(i, (t, err))| {
                    (
                        Some(format!(
                            "2026-11-27T00:00:{:02}.{:03}000000Z",
                            i + 10,
                            i * 7
                        )),
                        (*t).to_owned(),
                        *err,
                    )
                })
                .collect(),
        })
    };
    update(
        m,
        chunk(
            "c-db",
            "db",
            &[
                ("database system is starting up", false),
                (
                    "\u{1b}[33mLOG\u{1b}[0m:  listening on IPv4 address \"0.0.0.0\", port 5432",
                    false,
                ),
            ],
        ),
    );
    update(m, chunk("c-seed", "seed", &[("inserted 120 rows", false)]));
    update(
        m,
        chunk(
            "c-api",
            "api",
            &[
                ("\u{1b}[32mINFO\u{1b}[0m server listening on :80", false),
                ("GET /health 200 0.4ms", false),
                (
                    "\u{1b}[1;31mERROR\u{1b}[0m upstream timeout after 30s",
                    true,
                ),
            ],
        ),
    );
    update(
        m,
        chunk("c-worker", "worker", &[("panic: missing QUEUE_URL", true)]),
    );
}

fn gen_feed(m: &mut Model) {
    m.stack_ui.watching = true;
    for activity in [
        Activity::Synced {
            service: "api".into(),
            files: 3,
            shown: vec!["src/a.ts".into(), "src/b.ts".into(), "src/c.ts".into()],
            deleted: 0,
            containers: 1,
            millis: 12,
        },
        Activity::Rebuilding {
            service: "web".into(),
        },
        Activity::Failed {
            service: "web".into(),
            message: "rebuild failed, the old containers keep running: npm ci exited 1".into(),
        },
    ] {
        update(m, Msg::WatchActivity(activity));
    }
}

fn render(model: &Model) -> String {
    let (w, h) = model.size;
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| draw(f, model)).unwrap();
    terminal.backend().to_string()
}

/// Each panel at the sizes people use (issue 20: 80x24, 120x32, 200x50) and at 160x48.
fn at_sizes(name: &str, prepare: impl Fn(&mut Model)) {
    for (w, h) in [(80, 24), (120, 32), (160, 48), (200, 50)] {
        let mut m = gen_stack_model(w, h);
        prepare(&mut m);
        assert_snapshot!(format!("{name}_{w}x{h}"), render(&m));
    }
}

/// The layout at the sizes people use (issue 20): columns sized to content, history shown from
/// the widths where it fits, probes with their times in the details panel.
#[test]
fn stack_layout_at_common_terminal_sizes() {
    for (w, h) in [(120, 32), (140, 40), (200, 50)] {
        let mut m = gen_stack_model(w, h);
        select(&mut m, "db");
        assert_snapshot!(format!("stack_layout_{w}x{h}"), render(&m));
    }
}

fn select(m: &mut Model, service: &str) {
    let rows = m.stack.rows();
    m.stack_ui.selected = rows
        .iter()
        .position(|r| m.stack.services[r.service].spec.name == service)
        .unwrap();
}

#[test]
fn stack_overview() {
    at_sizes("stack_overview", |_| {});
}

#[test]
fn stack_details_of_a_starting_service_with_failing_probes() {
    at_sizes("stack_details_probes", |m| select(m, "db"));
}

#[test]
fn stack_details_of_a_healthy_service_with_a_port() {
    at_sizes("stack_details_port", |m| select(m, "api"));
}

#[test]
fn stack_details_of_a_waiting_service() {
    at_sizes("stack_details_waiting", |m| select(m, "web"));
}

#[test]
fn stack_logs_of_one_service_with_timestamps_and_filter() {
    at_sizes("stack_logs_filtered", |m| {
        select(m, "api");
        m.stack_ui.scope = crate::app::LogScope::Selected;
        m.stack_ui.timestamps = true;
        m.stack_ui.filter = "o".into();
        m.stack_ui.editing_filter = true;
    });
}

#[test]
fn stack_logs_paused() {
    at_sizes("stack_logs_paused", |m| m.stack_ui.anchor = Some(3));
}

#[test]
fn stack_watch_feed() {
    at_sizes("stack_watch_feed", gen_feed);
}

#[test]
fn stack_help_overlay() {
    at_sizes("stack_help", |m| m.show_help = true);
}

#[test]
fn stack_without_compose_file() {
    for (w, h) in [(80, 24), (160, 48)] {
        let mut m = Model {
            tab: Tab::Stack,
            size: (w, h),
            ..Model::default()
        };
        update(
            &mut m,
            Msg::ProjectFailed {
                reason: "no compose file in /home/dev/shop (looked for compose.yaml, compose.yml, docker-compose.yaml, docker-compose.yml)".into(),
            },
        );
        assert_snapshot!(format!("stack_no_compose_{w}x{h}"), render(&m));
    }
}

#[test]
fn stack_failed_up_stays_under_the_table() {
    at_sizes("stack_failed_up", |m| {
        update(
            m,
            Msg::ActionDone {
                op: Operation::Up,
                outcome: Err("service \"web\": image node:22-bookworm-slim is not available locally and could not be pulled: lookup registry-1.docker.io: no such host".into()),
            },
        );
    });
}

#[test]
fn stack_engine_lost_and_toast() {
    for (w, h) in [(80, 24), (160, 48)] {
        let mut m = gen_stack_model(w, h);
        update(
            &mut m,
            Msg::EngineLost {
                reason: "the event stream ended: connection reset".into(),
            },
        );
        assert_snapshot!(format!("stack_engine_lost_{w}x{h}"), render(&m));
    }
}

#[test]
fn no_color_draws_no_colour() {
    let mut m = gen_stack_model(160, 48);
    gen_feed(&mut m);
    m.no_color = true;
    let mut terminal = Terminal::new(TestBackend::new(160, 48)).unwrap();
    terminal.draw(|f| draw(f, &m)).unwrap();
    let buffer = terminal.backend().buffer();
    for cell in buffer.content() {
        assert_eq!(
            cell.fg,
            ratatui::style::Color::Reset,
            "coloured cell {cell:?}"
        );
        assert_eq!(cell.bg, ratatui::style::Color::Reset);
    }
    // The same model with colour does use some.
    m.no_color = false;
    terminal.draw(|f| draw(f, &m)).unwrap();
    assert!(
        terminal
            .backend()
            .buffer()
            .content()
            .iter()
            .any(|c| c.fg != ratatui::style::Color::Reset)
    );
}

#[test]
fn hit_test_matches_the_drawn_rows() {
    let m = gen_stack_model(80, 24);
    let screen = render(&m);
    // Find the line on which `api` is drawn in the table, and click it.
    let y = screen.lines().position(|l| l.contains("│api")).unwrap() as u16;
    let api_row = m
        .stack
        .rows()
        .iter()
        .position(|r| m.stack.services[r.service].spec.name == "api")
        .unwrap();
    assert_eq!(
        hit_test(&m, (80, 24), 3, y),
        Some(ClickTarget::ServiceRow(api_row))
    );
    assert_eq!(
        hit_test(&m, (80, 24), 3, 1),
        Some(ClickTarget::ServicesTable)
    );
    assert_eq!(hit_test(&m, (80, 24), 10, 20), Some(ClickTarget::Logs));
    assert_eq!(
        hit_test(&m, (80, 24), 2, 0),
        Some(ClickTarget::Tab(Tab::Wizard))
    );
    assert_eq!(
        hit_test(&m, (80, 24), 12, 0),
        Some(ClickTarget::Tab(Tab::Stack))
    );
    assert_eq!(hit_test(&m, (80, 24), 79, 23), None);
}

#[test]
fn stack_renders_at_tiny_and_zero_sizes() {
    let mut m = gen_stack_model(80, 24);
    gen_feed(&mut m);
    m.show_help = true;
    m.stack_ui.editing_filter = true;
    for (w, h) in [
        (1, 1),
        (5, 2),
        (20, 3),
        (3, 40),
        (40, 8),
        (119, 10),
        (120, 5),
    ] {
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        terminal.draw(|f| draw(f, &m)).unwrap();
        hit_test(&m, (w, h), w / 2, h / 2);
    }
    for (w, h) in super::tests::draw_at_zero_sizes(&m) {
        hit_test(&m, (w, h), 0, 0);
    }
}

#[test]
fn a_million_log_lines_stay_bounded_and_draw_the_newest() {
    let mut m = gen_stack_model(80, 24);
    for batch in 0..100 {
        let lines = (0..10_000)
            .map(|i| (None, format!("line {}", batch * 10_000 + i), false))
            .collect();
        update(
            &mut m,
            Msg::Logs(LogChunk {
                container: "c-api".into(),
                service: "api".into(),
                lines,
            }),
        );
    }
    assert!(m.logs.len() <= crate::domain::stack::LINES_PER_CONTAINER * 5);
    assert!(render(&m).contains("line 999999"));
}
