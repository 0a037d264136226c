//! The TUI's live view of one compose project: the project's container events (the stack
//! engine's stream plus probe exits), listing and inspecting the project's containers (with image and writable-layer sizes), and
//! the conversions from engine JSON to `domain::stack` values.

use std::collections::HashMap;

use bollard::Docker;
use bollard::models::ContainerInspectResponse;
use bollard::query_parameters::{
    EventsOptions, InspectContainerOptionsBuilder, ListContainersOptionsBuilder,
};
use futures_util::{Stream, StreamExt};

use super::events;
use crate::engine::stack::labels;

use crate::domain::stack::{
    ContainerEvent, ContainerInfo, EventAction, Health, HealthView, PortView, Probe, RunState,
    rfc3339_unix,
};

/// Why a stream from the engine stopped: the engine went away or answered with an error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct StreamEnded(pub String);

impl From<bollard::errors::Error> for StreamEnded {
    fn from(err: bollard::errors::Error) -> Self {
        Self(err.to_string())
    }
}

fn project_filter(project: &str) -> HashMap<String, Vec<String>> {
    HashMap::from([(
        "label".to_owned(),
        vec![format!("{}={project}", labels::PROJECT)],
    )])
}

/// Container events of one project as domain events: the stack engine's typed, deduplicated
/// lifecycle stream, plus `exec_die` (which that stream leaves out because every health probe
/// sends one) so the failing streak can be refreshed while a healthcheck is deciding. Ends with
/// an error when the engine goes away; it never ends on its own otherwise.
pub fn events(
    docker: &Docker,
    project: &str,
) -> impl Stream<Item = Result<ContainerEvent, StreamEnded>> + use<> {
    let lifecycle = events::container_events(docker, project).map(|item| match item {
        Ok(event) => Ok(Some(to_domain(&event))),
        Err(err) => Err(StreamEnded(err.0.to_string())),
    });
    let mut filters = project_filter(project);
    filters.insert("type".into(), vec!["container".into()]);
    // `exec_died` is Podman's name for it.
    filters.insert("event".into(), vec!["exec_die".into(), "exec_died".into()]);
    let options = EventsOptions {
        filters: Some(filters),
        ..EventsOptions::default()
    };
    let probes = docker.events(Some(options)).map(|item| match item {
        Ok(message) => Ok(events::parse(&message).map(|e| to_domain(&e))),
        Err(err) => Err(StreamEnded::from(err)),
    });
    futures_util::stream::select(lifecycle, probes)
        .filter_map(|item| std::future::ready(item.transpose()))
        .chain(futures_util::stream::once(async {
            Err(StreamEnded("the engine closed the event stream".into()))
        }))
}

/// The stack engine's event as the dashboard's.
pub fn to_domain(event: &events::ContainerEvent) -> ContainerEvent {
    use events::{ContainerAction as A, HealthEvent};
    let action = match &event.action {
        A::Create => EventAction::Create,
        A::Start => EventAction::Start,
        A::Restart => EventAction::Restart,
        A::Die { exit_code } => EventAction::Die {
            exit_code: *exit_code,
        },
        A::Stop => EventAction::Stop,
        A::Kill { .. } => EventAction::Kill,
        A::Oom => EventAction::Oom,
        A::Destroy => EventAction::Destroy,
        A::Pause => EventAction::Pause,
        A::Unpause => EventAction::Unpause,
        A::Health(HealthEvent::Healthy) => EventAction::HealthStatus(Health::Healthy),
        A::Health(HealthEvent::Unhealthy) => EventAction::HealthStatus(Health::Unhealthy),
        A::Other(other) if other == "exec_die" => EventAction::ExecDie,
        A::Other(other) if other == "health_status" => EventAction::HealthProbed,
        A::Rename | A::Other(_) => EventAction::Other,
    };
    ContainerEvent {
        id: event.id.clone(),
        name: event.name.clone(),
        service: event.service.clone(),
        action,
        time_nano: event.time_nano,
    }
}

/// Every container of the project (running or not), inspected with sizes.
pub async fn list(docker: &Docker, project: &str) -> Result<Vec<ContainerInfo>, StreamEnded> {
    let options = ListContainersOptionsBuilder::new()
        .all(true)
        .filters(&project_filter(project))
        .build();
    let summaries = crate::engine::error::retry_transient_state(|| {
        docker.list_containers(Some(options.clone()))
    })
    .await?;
    let mut images = HashMap::new();
    let mut out = Vec::with_capacity(summaries.len());
    for summary in summaries {
        let Some(id) = summary.id else { continue };
        match inspect_cached(docker, &id, true, &mut images).await {
            Ok(info) => out.push(info),
            // Removed between listing and inspecting: its destroy event follows.
            Err(bollard::errors::Error::DockerResponseServerError {
                status_code: 404, ..
            }) => {}
            Err(err) => return Err(err.into()),
        }
    }
    Ok(out)
}

/// One container, inspected; `sizes` also walks its writable layer and looks up its image size.
pub async fn inspect(
    docker: &Docker,
    id: &str,
    sizes: bool,
) -> Result<ContainerInfo, bollard::errors::Error> {
    inspect_cached(docker, id, sizes, &mut HashMap::new()).await
}

async fn inspect_cached(
    docker: &Docker,
    id: &str,
    sizes: bool,
    images: &mut HashMap<String, Option<u64>>,
) -> Result<ContainerInfo, bollard::errors::Error> {
    let options = InspectContainerOptionsBuilder::new().size(sizes).build();
    let response = docker.inspect_container(id, Some(options)).await?;
    let mut info = convert_inspect(&response);
    if sizes && let Some(image_id) = response.image.as_deref() {
        let size = match images.get(image_id) {
            Some(size) => *size,
            None => {
                let size = docker
                    .inspect_image(image_id)
                    .await
                    .ok()
                    .and_then(|i| i.size)
                    .and_then(|s| u64::try_from(s).ok());
                images.insert(image_id.to_owned(), size);
                size
            }
        };
        info.image_size = size;
    }
    Ok(info)
}

/// The fields the dashboard shows, from an inspect response.
pub fn convert_inspect(r: &ContainerInspectResponse) -> ContainerInfo {
    let state = r.state.as_ref();
    let config = r.config.as_ref();
    let labels = config.and_then(|c| c.labels.as_ref());
    let health = state.and_then(|s| s.health.as_ref()).and_then(|h| {
        let status = Health::parse(h.status.as_ref()?.as_ref())?;
        Some(HealthView {
            status,
            failing_streak: h.failing_streak.unwrap_or(0).clamp(0, i64::from(u32::MAX)) as u32,
            probes: h
                .log
                .iter()
                .flatten()
                .map(|p| Probe {
                    exit_code: p.exit_code.unwrap_or(-1),
                    output: p.output.clone().unwrap_or_default(),
                    ended: p.end.map(|t| t.unix_timestamp()),
                })
                .collect(),
        })
    });
    let mut ports: Vec<PortView> = r
        .network_settings
        .as_ref()
        .and_then(|n| n.ports.as_ref())
        .into_iter()
        .flatten()
        .flat_map(|(key, bindings)| {
            let (port, protocol) = key.split_once('/').unwrap_or((key, "tcp"));
            let container_port = port.parse().unwrap_or(0);
            bindings.iter().flatten().filter_map(move |b| {
                Some(PortView {
                    host_ip: b.host_ip.clone().unwrap_or_default(),
                    host_port: b.host_port.as_deref()?.parse().ok()?,
                    container_port,
                    protocol: protocol.to_owned(),
                })
            })
        })
        .collect();
    ports.sort_by(|a, b| (a.host_port, &a.host_ip).cmp(&(b.host_port, &b.host_ip)));
    // The engine lists IPv4 and IPv6 bindings of one port separately; one URL is enough.
    ports.dedup_by(|a, b| a.host_port == b.host_port && a.container_port == b.container_port);
    let status = state
        .and_then(|s| s.status.as_ref())
        .map(|s| s.to_string())
        .unwrap_or_default();
    ContainerInfo {
        id: r.id.clone().unwrap_or_default(),
        name: r
            .name
            .as_deref()
            .unwrap_or_default()
            .trim_start_matches('/')
            .to_owned(),
        service: labels
            .and_then(|l| l.get(labels::SERVICE))
            .cloned()
            .unwrap_or_default(),
        state: RunState::parse(&status),
        exit_code: state.and_then(|s| s.exit_code),
        oom_killed: state.and_then(|s| s.oom_killed).unwrap_or(false),
        started_at: state
            .and_then(|s| s.started_at.as_deref())
            .and_then(rfc3339_unix),
        restarts: r.restart_count.unwrap_or(0).clamp(0, i64::from(u32::MAX)) as u32,
        health,
        ports,
        image: config.and_then(|c| c.image.clone()).unwrap_or_default(),
        image_size: None,
        rw_size: r.size_rw.and_then(|s| u64::try_from(s).ok()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_stack_engine_events() {
        let event = events::ContainerEvent {
            id: "abc".into(),
            name: "shop-db-1".into(),
            service: "db".into(),
            project: "shop".into(),
            action: events::ContainerAction::Health(events::HealthEvent::Unhealthy),
            time_nano: 7,
        };
        let d = to_domain(&event);
        assert_eq!((d.id.as_str(), d.service.as_str()), ("abc", "db"));
        assert_eq!(d.action, EventAction::HealthStatus(Health::Unhealthy));
        let exec = events::ContainerEvent {
            action: events::ContainerAction::Other("exec_die".into()),
            ..event.clone()
        };
        assert_eq!(to_domain(&exec).action, EventAction::ExecDie);
        let die = events::ContainerEvent {
            action: events::ContainerAction::Die {
                exit_code: Some(137),
            },
            ..event
        };
        assert_eq!(
            to_domain(&die).action,
            EventAction::Die {
                exit_code: Some(137)
            }
        );
    }

    #[test]
    fn converts_an_inspect_response() {
        let response: ContainerInspectResponse = serde_json::from_str(
            r#"{"Id":"abc","Name":"/shop-web-1","RestartCount":2,"Image":"sha256:1","SizeRw":4096,
            "State":{"Status":"running","ExitCode":0,"OOMKilled":false,
              "StartedAt":"2026-11-27T00:00:00.5Z",
              "Health":{"Status":"starting","FailingStreak":2,
                "Log":[{"ExitCode":1,"Output":"refused"},{"ExitCode":-1,"Output":"Health check exceeded timeout (1s)"}]}},
            "Config":{"Image":"shop-web:dev","Labels":{"com.docker.compose.service":"web"}},
            "NetworkSettings":{"Ports":{"80/tcp":[{"HostIp":"0.0.0.0","HostPort":"8080"},{"HostIp":"::","HostPort":"8080"}],"443/tcp":null}}}"#,
        )
        .unwrap();
        let info = convert_inspect(&response);
        assert_eq!(info.name, "shop-web-1");
        assert_eq!(info.service, "web");
        assert_eq!(info.state, RunState::Running);
        assert_eq!(info.restarts, 2);
        assert_eq!(info.rw_size, Some(4096));
        assert_eq!(info.started_at, Some(1_795_737_600));
        let health = info.health.unwrap();
        assert_eq!(
            (health.status, health.failing_streak),
            (Health::Starting, 2)
        );
        assert_eq!(health.probes[1].exit_code, -1);
        assert_eq!(info.ports.len(), 1);
        assert_eq!(info.ports[0].url(), "http://localhost:8080");
    }
}
