//! The engine's events stream, typed and filtered to one compose project: `up` waits on it
//! (health, exits) and the TUI subscribes to it. Exec noise from health probes is filtered out
//! by the engine; duplicates at the replay seam are dropped here.

use std::collections::{HashMap, HashSet, VecDeque};

use bollard::Docker;
use bollard::models::EventMessage;
use bollard::query_parameters::EventsOptions;
use futures_util::{Stream, StreamExt};

use crate::engine::stack::labels;

/// A container's health as the engine reports it in `health_status: <s>` events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HealthEvent {
    Healthy,
    Unhealthy,
}

/// What happened to a container.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContainerAction {
    Create,
    Start,
    Restart,
    /// The main process exited (also after `stop`/`kill`); `exit_code` from the event.
    Die {
        exit_code: Option<i64>,
    },
    Stop,
    Kill {
        signal: Option<String>,
    },
    Oom,
    Destroy,
    Pause,
    Unpause,
    Rename,
    Health(HealthEvent),
    /// Any other action, verbatim (`update`, `attach`, `extract-to-dir`...).
    Other(String),
}

/// One event about a container of the project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerEvent {
    pub id: String,
    /// Container name without the leading `/`.
    pub name: String,
    /// `com.docker.compose.service` (empty for a container without it).
    pub service: String,
    pub project: String,
    pub action: ContainerAction,
    /// Nanoseconds since the Unix epoch (engine clock).
    pub time_nano: i64,
}

/// The events stream ended or failed; the engine closes it on restart.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("the Docker engine's event stream failed: {0}")]
#[diagnostic(help("check that the engine is still running (`docker info`), then retry"))]
pub struct EventsError(#[from] pub bollard::errors::Error);

/// The actions devbox listens to (no `exec_*`: every health probe sends three of those).
const ACTIONS: &[&str] = &[
    "create",
    "start",
    "restart",
    "die",
    "stop",
    "kill",
    "oom",
    "destroy",
    "pause",
    "unpause",
    "rename",
    "health_status",
    // Podman's names for `die` and `destroy` (its filter matches only these; docs/podman.md).
    "died",
    "remove",
];

/// Subscribes to container events of `project` from now on. Subscribe **before** listing the
/// containers you reconcile with, so nothing falls in between (engine-api.md §1).
pub fn container_events(
    docker: &Docker,
    project: &str,
) -> impl Stream<Item = Result<ContainerEvent, EventsError>> + use<> {
    let filters: HashMap<String, Vec<String>> = HashMap::from([
        ("type".to_owned(), vec!["container".to_owned()]),
        (
            "label".to_owned(),
            vec![format!("{}={project}", labels::PROJECT)],
        ),
        (
            "event".to_owned(),
            ACTIONS.iter().map(|a| (*a).to_owned()).collect(),
        ),
    ]);
    let options = EventsOptions {
        filters: Some(filters),
        ..EventsOptions::default()
    };
    let mut seen = Dedup::default();
    docker.events(Some(options)).filter_map(move |item| {
        let out = match item {
            Ok(message) => parse(&message)
                .filter(|event| seen.first_time(event))
                .map(Ok),
            Err(err) => Some(Err(EventsError(err))),
        };
        std::future::ready(out)
    })
}

/// Converts an engine message; `None` for non-container events.
pub fn parse(message: &EventMessage) -> Option<ContainerEvent> {
    if message.typ != Some(bollard::models::EventMessageTypeEnum::CONTAINER) {
        return None;
    }
    let actor = message.actor.as_ref()?;
    let attrs = actor.attributes.clone().unwrap_or_default();
    let get = |key: &str| attrs.get(key).cloned().unwrap_or_default();
    let action = parse_action(message.action.as_deref().unwrap_or(""), &attrs);
    Some(ContainerEvent {
        id: actor.id.clone().unwrap_or_default(),
        name: get("name"),
        service: get(labels::SERVICE),
        project: get(labels::PROJECT),
        action,
        time_nano: message.time_nano.unwrap_or(0),
    })
}

fn parse_action(action: &str, attrs: &HashMap<String, String>) -> ContainerAction {
    if let Some(status) = action.strip_prefix("health_status: ") {
        return match status.trim() {
            "healthy" => ContainerAction::Health(HealthEvent::Healthy),
            "unhealthy" => ContainerAction::Health(HealthEvent::Unhealthy),
            other => ContainerAction::Other(format!("health_status: {other}")),
        };
    }
    match action {
        "create" => ContainerAction::Create,
        "start" => ContainerAction::Start,
        "restart" => ContainerAction::Restart,
        "die" | "died" => ContainerAction::Die {
            exit_code: attrs
                .get("exitCode")
                .or_else(|| attrs.get("containerExitCode"))
                .and_then(|c| c.parse().ok()),
        },
        "stop" => ContainerAction::Stop,
        "kill" => ContainerAction::Kill {
            signal: attrs.get("signal").cloned(),
        },
        "oom" => ContainerAction::Oom,
        "destroy" | "remove" => ContainerAction::Destroy,
        // Podman: its exec end, and a probe's result with the status outside the action
        // (bollard drops that field), so the container is inspected for it.
        "exec_died" => ContainerAction::Other("exec_die".to_owned()),
        "pause" => ContainerAction::Pause,
        "unpause" => ContainerAction::Unpause,
        "rename" => ContainerAction::Rename,
        other => ContainerAction::Other(other.to_owned()),
    }
}

/// Remembers the last events to drop the duplicate the engine may send where its replay
/// buffer meets the live stream.
#[derive(Default)]
struct Dedup {
    recent: VecDeque<(i64, String, String)>,
    set: HashSet<(i64, String, String)>,
}

impl Dedup {
    fn first_time(&mut self, event: &ContainerEvent) -> bool {
        let key = (
            event.time_nano,
            event.id.clone(),
            format!("{:?}", event.action),
        );
        if !self.set.insert(key.clone()) {
            return false;
        }
        self.recent.push_back(key);
        if self.recent.len() > 256
            && let Some(old) = self.recent.pop_front()
        {
            self.set.remove(&old);
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bollard::models::{EventActor, EventMessageTypeEnum};

    #[test]
    fn podman_action_names() {
        let attrs: HashMap<String, String> =
            [("containerExitCode".to_owned(), "3".to_owned())].into();
        assert_eq!(
            parse_action("died", &attrs),
            ContainerAction::Die { exit_code: Some(3) }
        );
        assert_eq!(parse_action("remove", &attrs), ContainerAction::Destroy);
        assert_eq!(
            parse_action("exec_died", &attrs),
            ContainerAction::Other("exec_die".into())
        );
        assert_eq!(
            parse_action("health_status", &attrs),
            ContainerAction::Other("health_status".into())
        );
    }

    fn message(action: &str, attrs: &[(&str, &str)]) -> EventMessage {
        EventMessage {
            typ: Some(EventMessageTypeEnum::CONTAINER),
            action: Some(action.to_owned()),
            actor: Some(EventActor {
                id: Some("abc".to_owned()),
                attributes: Some(
                    attrs
                        .iter()
                        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                        .collect(),
                ),
            }),
            time_nano: Some(7),
            ..EventMessage::default()
        }
    }

    #[test]
    fn health_and_exit_events_are_typed() {
        let labels = [
            ("name", "p-db-1"),
            (labels::SERVICE, "db"),
            (labels::PROJECT, "p"),
        ];
        let ev = parse(&message("health_status: healthy", &labels));
        assert_eq!(
            ev.map(|e| (e.name, e.service, e.action)),
            Some((
                "p-db-1".to_owned(),
                "db".to_owned(),
                ContainerAction::Health(HealthEvent::Healthy)
            ))
        );
        let die = parse(&message("die", &[("exitCode", "3")]));
        assert_eq!(
            die.map(|e| e.action),
            Some(ContainerAction::Die { exit_code: Some(3) })
        );
    }

    #[test]
    fn other_types_are_ignored() {
        let mut msg = message("create", &[]);
        msg.typ = Some(EventMessageTypeEnum::NETWORK);
        assert_eq!(parse(&msg), None);
    }

    #[test]
    fn duplicates_are_dropped_once() {
        let mut dedup = Dedup::default();
        let ev = parse(&message("start", &[])).into_iter().next();
        let Some(ev) = ev else {
            panic!("start parses");
        };
        assert!(dedup.first_time(&ev));
        assert!(!dedup.first_time(&ev));
    }
}
