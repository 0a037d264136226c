//! The Stack tab's half of `update`: engine facts change the observed stack (and start or stop
//! the per-container streams), keys and clicks become service actions.

use super::keymap::{ProjectsAction, StackAction};
use super::logs;
use super::model::{FeedEntry, Model, Tab};
use super::msg::{ClickTarget, Cmd, ContainerOp, Msg, ServiceOp};
use super::progress;
use super::wizard_flow;
use crate::domain::stack::{ContainerInfo, EventAction, Health, RunState, Transition};

/// Engine facts (everything that is not input or connection state).
pub fn fact(model: &mut Model, msg: Msg) -> Vec<Cmd> {
    match msg {
        Msg::ProjectLoaded { project, services } => {
            model.project_error = None;
            // A directory with a compose project opens on its stack (running or not).
            if !model.tab_chosen {
                model.tab = Tab::Stack;
                model.tab_chosen = true;
            }
            let old = std::mem::take(&mut model.stack);
            model.stack = old.reloaded(&project, services);
            let mut cmds = Vec::new();
            if old.project == project {
                for service in old.services {
                    for c in service.containers {
                        cmds.extend(upserted(model, c.info));
                    }
                }
            } else {
                // Another project (opened from the Projects tab): nothing of the old one's
                // rows, logs or scroll position applies; its streams were stopped.
                model.logs = crate::domain::stack::LogStore::default();
                model.stack_ui = super::model::StackUi::default();
            }
            if model.engine_connected() {
                cmds.push(Cmd::WatchStack { project });
            }
            cmds.extend(wizard_flow::loaded(model, true));
            cmds
        }
        Msg::ProjectFailed { reason } => {
            model.project_error = Some(reason);
            // No (readable) compose project: the Wizard tab the app opened on stays.
            model.tab_chosen = true;
            wizard_flow::loaded(model, false)
        }
        Msg::ContainersListed(list) => {
            let gone: Vec<String> = model
                .stack
                .services
                .iter()
                .flat_map(|s| &s.containers)
                .map(|c| c.info.id.clone())
                .filter(|id| !list.iter().any(|c| &c.id == id))
                .collect();
            let mut cmds = Vec::new();
            for id in gone {
                if model.stack.remove(&id) == Transition::Stopped {
                    cmds.push(Cmd::StopStats { id });
                }
            }
            // Listing happens on every (re)connect, when no stream is running: every running
            // container needs its streams again, whether or not it is new.
            for info in list {
                let running = info.state == RunState::Running;
                let (id, service) = (info.id.clone(), info.service.clone());
                model.stack.upsert(info);
                if running {
                    cmds.extend(streams_for(model, &id, &service));
                }
            }
            clamp_selection(model);
            cmds
        }
        Msg::ContainerInspected(info) => upserted(model, info),
        Msg::ContainerEvent(event) => {
            model.now = model.now.max(event.time_nano / 1_000_000_000);
            let known = model.stack.container(&event.id).is_some();
            let transition = model.stack.apply_event(&event);
            let mut cmds = streams_after(model, &event.id, &event.service, transition);
            if event.action.needs_inspect() || !known {
                cmds.push(Cmd::Inspect {
                    id: event.id.clone(),
                    sizes: true,
                });
            } else if event.action == EventAction::ExecDie && probing(model, &event.id) {
                // A probe ran: the failing streak and probe outputs changed without an event.
                cmds.push(Cmd::Inspect {
                    id: event.id.clone(),
                    sizes: false,
                });
            }
            clamp_selection(model);
            cmds
        }
        Msg::Stats { id, sample } => {
            model.now = model.now.max(sample.read_unix);
            model.stack.record_stats(&id, &sample);
            Vec::new()
        }
        Msg::Logs(chunk) => {
            logs::append(model, chunk);
            Vec::new()
        }
        Msg::Progress(progress) => {
            progress::apply(model, progress);
            Vec::new()
        }
        Msg::WatchActivity(activity) => {
            let service = activity
                .service()
                .map_or_else(|| model.stack.project.clone(), str::to_owned);
            model.feed.push(FeedEntry {
                service,
                text: activity.to_string(),
                ok: !activity.failed(),
            });
            Vec::new()
        }
        Msg::ActionDone { op, outcome } => {
            if op.stack_wide() {
                model.stack.bringing_up = false;
                for service in &mut model.stack.services {
                    service.progress = None;
                }
            }
            if let Some(service) = op.service() {
                model.stack.set_progress(service, None);
            }
            match &outcome {
                Err(err) if op.compose() => {
                    model.stack_ui.action_error = Some(format!("{op} failed: {err}"));
                }
                Ok(()) if op.stack_wide() => model.stack_ui.action_error = None,
                _ => {}
            }
            model.toast = Some(match outcome {
                Ok(()) => format!("{op}: done"),
                Err(err) => format!("{op} failed: {err}"),
            });
            Vec::new()
        }
        Msg::KeyPressed(_)
        | Msg::Resized(..)
        | Msg::Clicked(_)
        | Msg::Wheel { .. }
        | Msg::EngineChanged(_)
        | Msg::EngineLost { .. }
        | Msg::EngineSilent { .. }
        | Msg::EngineAnswered
        | Msg::WizardScanned(_)
        | Msg::WizardScanFailed { .. }
        | Msg::FilesWritten { .. }
        | Msg::ProjectsListed(_) => Vec::new(),
    }
}

/// Whether a container's healthcheck is still deciding or failing, so each probe matters.
fn probing(model: &Model, id: &str) -> bool {
    model
        .stack
        .container(id)
        .and_then(|c| c.info.health.as_ref())
        .is_some_and(|h| h.status != Health::Healthy)
}

fn upserted(model: &mut Model, info: ContainerInfo) -> Vec<Cmd> {
    let (id, service) = (info.id.clone(), info.service.clone());
    let transition = model.stack.upsert(info);
    clamp_selection(model);
    streams_after(model, &id, &service, transition)
}

fn streams_after(model: &Model, id: &str, service: &str, transition: Transition) -> Vec<Cmd> {
    match transition {
        Transition::Started => streams_for(model, id, service),
        Transition::Stopped => vec![Cmd::StopStats { id: id.to_owned() }],
        Transition::Unchanged => Vec::new(),
    }
}

/// Stats and logs for a container that just started running. Logs resume after the last line
/// already held, so a restart does not repeat them.
fn streams_for(model: &Model, id: &str, service: &str) -> Vec<Cmd> {
    vec![
        Cmd::FollowStats { id: id.to_owned() },
        Cmd::FollowLogs {
            id: id.to_owned(),
            service: service.to_owned(),
            since: model.logs.last_timestamp(id).map(str::to_owned),
        },
    ]
}

fn clamp_selection(model: &mut Model) {
    let rows = model.stack.rows().len();
    model.stack_ui.selected = model.stack_ui.selected.min(rows.saturating_sub(1));
}

/// A Stack tab key.
pub fn action(model: &mut Model, action: StackAction) -> Vec<Cmd> {
    use StackAction as A;
    let rows = model.stack.rows().len();
    let ui = &mut model.stack_ui;
    match action {
        A::SelectUp => {
            ui.selected = ui.selected.saturating_sub(1);
            Vec::new()
        }
        A::SelectDown => {
            ui.selected = (ui.selected + 1).min(rows.saturating_sub(1));
            Vec::new()
        }
        A::Start => container_op(model, ContainerOp::Start),
        A::Stop => container_op(model, ContainerOp::Stop),
        A::Restart => container_op(model, ContainerOp::Restart),
        A::Rebuild => service_op(model, ServiceOp::Rebuild),
        A::Recreate => service_op(model, ServiceOp::Recreate),
        A::Up => {
            model.stack_ui.action_error = None;
            model.stack.bringing_up = true;
            model.toast = Some("bringing the stack up…".into());
            vec![Cmd::Up]
        }
        A::Down => {
            model.stack.bringing_up = false;
            model.toast = Some("taking the stack down…".into());
            vec![Cmd::Down]
        }
        A::ToggleWatch => {
            ui.watching = !ui.watching;
            vec![Cmd::Watch { on: ui.watching }]
        }
        A::Shell => match model.selected_container() {
            Some(c) if c.info.state == RunState::Running => vec![Cmd::Shell {
                id: c.info.id.clone(),
                name: c.info.name.clone(),
            }],
            Some(c) => {
                let name = c.info.name.clone();
                model.toast = Some(format!("{name} is not running: start it (s) first"));
                Vec::new()
            }
            None => no_container(model),
        },
        A::ShowUrl => {
            let urls: Vec<String> = model
                .selected_container()
                .map(|c| c.info.ports.iter().map(|p| p.url()).collect())
                .unwrap_or_default();
            model.toast = Some(if urls.is_empty() {
                "this container publishes no port".into()
            } else {
                urls.join("  ")
            });
            Vec::new()
        }
        A::ToggleScope
        | A::EditFilter
        | A::TogglePause
        | A::ScrollUp
        | A::ScrollDown
        | A::Follow
        | A::ToggleTimestamps
        | A::SaveLogs => logs::action(model, action),
    }
}

fn no_container(model: &mut Model) -> Vec<Cmd> {
    model.toast = Some(match model.selected_service() {
        Some(s) => format!("{s} has no container yet: bring the stack up (u)"),
        None => "no service selected".into(),
    });
    Vec::new()
}

fn container_op(model: &mut Model, op: ContainerOp) -> Vec<Cmd> {
    let Some(service) = model.selected_service().map(str::to_owned) else {
        return no_container(model);
    };
    let ids: Vec<String> = model
        .stack
        .service(&service)
        .map(|s| s.containers.iter().map(|c| c.info.id.clone()).collect())
        .unwrap_or_default();
    if ids.is_empty() {
        return no_container(model);
    }
    let doing = match op {
        ContainerOp::Start => "starting",
        ContainerOp::Stop => "stopping",
        ContainerOp::Restart => "restarting",
    };
    model.stack.set_progress(&service, Some(doing.to_owned()));
    vec![Cmd::Container { op, service, ids }]
}

fn service_op(model: &mut Model, op: ServiceOp) -> Vec<Cmd> {
    match model.selected_service().map(str::to_owned) {
        Some(service) => {
            let doing = match op {
                ServiceOp::Rebuild => "rebuilding",
                ServiceOp::Recreate => "recreating",
            };
            model.stack.set_progress(&service, Some(doing.to_owned()));
            vec![Cmd::Service { op, service }]
        }
        None => no_container(model),
    }
}

/// A click: tabs switch, rows select.
pub fn clicked(model: &mut Model, target: ClickTarget) -> Vec<Cmd> {
    match target {
        ClickTarget::Tab(tab) => return super::projects::show(model, tab),
        ClickTarget::ServiceRow(row) if row < model.stack.rows().len() => {
            model.tab = Tab::Stack;
            model.stack_ui.selected = row;
        }
        ClickTarget::ProjectRow(row) if row < model.projects.rows.len() => {
            model.projects.selected = row;
        }
        ClickTarget::ServiceRow(_)
        | ClickTarget::ServicesTable
        | ClickTarget::Logs
        | ClickTarget::ProjectRow(_) => {}
    }
    Vec::new()
}

/// The wheel moves the selection over the table and scrolls over the logs.
pub fn wheel(model: &mut Model, target: ClickTarget, down: bool) -> Vec<Cmd> {
    let action = match (target, down) {
        (ClickTarget::ServiceRow(_) | ClickTarget::ServicesTable, false) => StackAction::SelectUp,
        (ClickTarget::ServiceRow(_) | ClickTarget::ServicesTable, true) => StackAction::SelectDown,
        (ClickTarget::Logs, down) => return logs::scroll(model, if down { 3 } else { -3 }),
        (ClickTarget::ProjectRow(_), down) => {
            let action = if down {
                ProjectsAction::SelectDown
            } else {
                ProjectsAction::SelectUp
            };
            return super::projects::action(model, action);
        }
        (ClickTarget::Tab(_), _) => return Vec::new(),
    };
    self::action(model, action)
}

impl Model {
    pub fn engine_connected(&self) -> bool {
        matches!(self.engine, super::EngineState::Connected { .. })
    }
}
