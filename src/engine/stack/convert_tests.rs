//! Tests of the service → container-create conversion.

use super::*;
use crate::domain::compose::ServiceName;
use crate::domain::compose::model::{Duration, PortConfig, ServiceNetwork};

fn project() -> Project {
    Project {
        name: "p".to_owned(),
        ..Project::default()
    }
}

fn plan(service: &Service, api_1_44: bool) -> CreatePlan {
    let project = project();
    let refs = HashMap::from([("db".to_owned(), "abc123".to_owned())]);
    create_plan(&CreateInput {
        project: &project,
        service,
        container_name: "p-web-1",
        image: "img",
        labels: HashMap::new(),
        api_at_least_1_44: api_1_44,
        service_containers: &refs,
        inherited: &[],
    })
}

#[test]
fn ports_are_exposed_and_bound() {
    let svc = Service {
        name: ServiceName::new("web"),
        ports: vec![PortConfig {
            target: 80,
            published: "8080".to_owned(),
            host_ip: "127.0.0.1".to_owned(),
            protocol: "tcp".to_owned(),
            ..PortConfig::default()
        }],
        expose: vec!["9000-9001/udp".to_owned()],
        ..Service::default()
    };
    let body = plan(&svc, false).body;
    assert_eq!(
        body.exposed_ports,
        Some(vec![
            "80/tcp".to_owned(),
            "9000/udp".to_owned(),
            "9001/udp".to_owned()
        ])
    );
    let bindings = body
        .host_config
        .and_then(|h| h.port_bindings)
        .unwrap_or_default();
    assert_eq!(
        bindings.get("80/tcp"),
        Some(&Some(vec![PortBinding {
            host_ip: Some("127.0.0.1".to_owned()),
            host_port: Some("8080".to_owned())
        }]))
    );
}

#[test]
fn healthcheck_durations_are_nanoseconds_and_new_fields_need_1_44() {
    let h = Healthcheck {
        test: vec!["CMD".into(), "true".into()],
        interval: Some(Duration::from_nanos(1_500_000_000)),
        start_interval: Some(Duration::from_nanos(1_000_000_000)),
        retries: Some(3),
        ..Healthcheck::default()
    };
    let old = health_config(&h, false);
    assert_eq!(old.interval, Some(1_500_000_000));
    assert_eq!(old.start_interval, None);
    assert_eq!(health_config(&h, true).start_interval, Some(1_000_000_000));
    let disabled = Healthcheck { disable: true, ..h };
    assert_eq!(
        health_config(&disabled, false).test,
        Some(vec!["NONE".to_owned()])
    );
}

#[test]
fn networks_get_compose_aliases_and_one_endpoint_below_1_44() {
    let svc = Service {
        name: ServiceName::new("web"),
        networks: [
            ("default".to_owned(), None),
            (
                "back".to_owned(),
                Some(ServiceNetwork {
                    aliases: vec!["api".to_owned()],
                    ..ServiceNetwork::default()
                }),
            ),
        ]
        .into(),
        ..Service::default()
    };
    let old = plan(&svc, false);
    assert_eq!(
        old.body.host_config.and_then(|h| h.network_mode).as_deref(),
        Some("p_back")
    );
    let first = old
        .body
        .networking_config
        .and_then(|n| n.endpoints_config)
        .unwrap_or_default();
    assert_eq!(
        first.get("p_back").and_then(|e| e.aliases.clone()),
        Some(vec![
            "p-web-1".to_owned(),
            "web".to_owned(),
            "api".to_owned()
        ])
    );
    assert_eq!(old.connect_later.len(), 1);
    assert_eq!(old.connect_later[0].0, "p_default");
    assert!(plan(&svc, true).connect_later.is_empty());
}

#[test]
fn restart_policies_follow_compose() {
    let svc = Service {
        restart: "on-failure:3".to_owned(),
        ..Service::default()
    };
    let p = restart_policy(&svc);
    assert_eq!(p.name, Some(RestartPolicyNameEnum::ON_FAILURE));
    assert_eq!(p.maximum_retry_count, Some(3));
    let always = Service {
        restart: "always".to_owned(),
        ..Service::default()
    };
    assert_eq!(restart_policy(&always).maximum_retry_count, None);
}

#[test]
fn service_references_resolve_to_container_ids() {
    let svc = Service {
        name: ServiceName::new("web"),
        network_mode: "service:db".to_owned(),
        volumes_from: vec!["db:ro".to_owned()],
        ..Service::default()
    };
    let host = plan(&svc, false).body.host_config.unwrap_or_default();
    assert_eq!(host.network_mode.as_deref(), Some("container:abc123"));
    assert_eq!(host.volumes_from, Some(vec!["abc123:ro".to_owned()]));
}

#[test]
fn environment_keeps_unset_variables_bare() {
    let svc = Service {
        environment: [
            ("A".to_owned(), Some("1".to_owned())),
            ("B".to_owned(), None),
        ]
        .into(),
        ..Service::default()
    };
    assert_eq!(environment(&svc), vec!["A=1".to_owned(), "B".to_owned()]);
}
