//! Docker Compose's resource names and `com.docker.compose.*` labels, so stacks devbox starts
//! are stacks Compose recognises (and the other way round).

use std::collections::HashMap;

use crate::domain::compose::{Project, Service};

pub const PROJECT: &str = "com.docker.compose.project";
pub const SERVICE: &str = "com.docker.compose.service";
pub const CONTAINER_NUMBER: &str = "com.docker.compose.container-number";
pub const ONEOFF: &str = "com.docker.compose.oneoff";
pub const CONFIG_HASH: &str = "com.docker.compose.config-hash";
pub const VERSION: &str = "com.docker.compose.version";
pub const WORKING_DIR: &str = "com.docker.compose.project.working_dir";
pub const CONFIG_FILES: &str = "com.docker.compose.project.config_files";
pub const ENVIRONMENT_FILE: &str = "com.docker.compose.project.environment_file";
pub const DEPENDS_ON: &str = "com.docker.compose.depends_on";
pub const IMAGE: &str = "com.docker.compose.image";
pub const REPLACE: &str = "com.docker.compose.replace";
pub const NETWORK: &str = "com.docker.compose.network";
pub const VOLUME: &str = "com.docker.compose.volume";

/// The Compose version devbox writes into `com.docker.compose.version`: the one whose
/// behaviour it reproduces (docs/spec: Docker Compose v5.6.1, the CI oracle). Compose only
/// displays this label, it never compares it.
pub const COMPOSE_VERSION: &str = "5.6.1";

/// `<project>-<service>-<n>`, or `container_name:` when set.
pub fn container_name(project: &str, service: &Service, number: u32) -> String {
    if service.container_name.is_empty() {
        format!("{project}-{}-{number}", service.name)
    } else {
        service.container_name.clone()
    }
}

/// The engine name of a project network: `name:` (the loader fills it), else `<project>_<key>`.
pub fn network_name(project: &Project, key: &str) -> String {
    match project.networks.get(key) {
        Some(net) if !net.name.is_empty() => net.name.clone(),
        _ => format!("{}_{key}", project.name),
    }
}

/// The engine name of a project volume: `name:`, else `<project>_<key>`.
pub fn volume_name(project: &Project, key: &str) -> String {
    match project.volumes.get(key) {
        Some(vol) if !vol.name.is_empty() => vol.name.clone(),
        _ => format!("{}_{key}", project.name),
    }
}

/// A `label=k=v` filter for the engine's list endpoints.
pub fn project_filter(project: &str) -> HashMap<String, Vec<String>> {
    HashMap::from([("label".to_owned(), vec![format!("{PROJECT}={project}")])])
}

/// A service's own containers (not `run` one-offs) in a project, as a list filter.
pub fn service_filter(project: &str, service: &str) -> HashMap<String, Vec<String>> {
    HashMap::from([(
        "label".to_owned(),
        vec![
            format!("{PROJECT}={project}"),
            format!("{SERVICE}={service}"),
            format!("{ONEOFF}=False"),
        ],
    )])
}

/// `dep:condition:restart,...` as Compose writes it (`""` without dependencies).
pub fn depends_on_label(service: &Service) -> String {
    service
        .depends_on
        .iter()
        .map(|(name, dep)| format!("{name}:{}:{}", dep.condition, dep.restart))
        .collect::<Vec<_>>()
        .join(",")
}

/// Labels shared by every service container of the project (Compose's `CustomLabels`).
pub fn project_labels(project: &Project) -> Vec<(String, String)> {
    vec![
        (PROJECT.to_owned(), project.name.clone()),
        (VERSION.to_owned(), COMPOSE_VERSION.to_owned()),
        (WORKING_DIR.to_owned(), project.working_dir.clone()),
        (CONFIG_FILES.to_owned(), project.compose_files.join(",")),
        (ONEOFF.to_owned(), "False".to_owned()),
    ]
}

/// Every label of one service container: user labels first, Compose's own override them.
pub fn container_labels(
    project: &Project,
    service: &Service,
    number: u32,
    config_hash: &str,
    image_id: Option<&str>,
) -> HashMap<String, String> {
    let mut labels: HashMap<String, String> = service
        .labels
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    labels.extend(project_labels(project));
    labels.insert(SERVICE.to_owned(), service.name.to_string());
    labels.insert(CONTAINER_NUMBER.to_owned(), number.to_string());
    labels.insert(CONFIG_HASH.to_owned(), config_hash.to_owned());
    labels.insert(DEPENDS_ON.to_owned(), depends_on_label(service));
    if let Some(id) = image_id {
        labels.insert(IMAGE.to_owned(), id.to_owned());
    }
    labels
}

/// Labels of a project network (`network=<key>`, project, version, config-hash + user labels).
pub fn network_labels(
    project: &str,
    key: &str,
    hash: &str,
    user: &std::collections::BTreeMap<String, String>,
) -> HashMap<String, String> {
    resource_labels(project, NETWORK, key, hash, user)
}

/// Labels of a project volume.
pub fn volume_labels(
    project: &str,
    key: &str,
    hash: &str,
    user: &std::collections::BTreeMap<String, String>,
) -> HashMap<String, String> {
    resource_labels(project, VOLUME, key, hash, user)
}

fn resource_labels(
    project: &str,
    kind: &str,
    key: &str,
    hash: &str,
    user: &std::collections::BTreeMap<String, String>,
) -> HashMap<String, String> {
    let mut labels: HashMap<String, String> =
        user.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    labels.insert(kind.to_owned(), key.to_owned());
    labels.insert(PROJECT.to_owned(), project.to_owned());
    labels.insert(VERSION.to_owned(), COMPOSE_VERSION.to_owned());
    labels.insert(CONFIG_HASH.to_owned(), hash.to_owned());
    labels
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::compose::ServiceName;
    use crate::domain::compose::model::Dependency;

    fn project() -> Project {
        Project {
            name: "a".to_owned(),
            working_dir: "/tmp/a".to_owned(),
            compose_files: vec!["/tmp/a/compose.yaml".to_owned(), "/tmp/a/o.yaml".to_owned()],
            ..Project::default()
        }
    }

    #[test]
    fn names_follow_compose() {
        let svc = Service {
            name: ServiceName::new("web"),
            ..Service::default()
        };
        assert_eq!(container_name("a", &svc, 2), "a-web-2");
        assert_eq!(network_name(&project(), "default"), "a_default");
        assert_eq!(volume_name(&project(), "data"), "a_data");
        let named = Service {
            container_name: "custom".to_owned(),
            ..svc
        };
        assert_eq!(container_name("a", &named, 1), "custom");
    }

    #[test]
    fn container_labels_match_a_compose_container() {
        let svc = Service {
            name: ServiceName::new("web"),
            labels: [
                (PROJECT.to_owned(), "spoof".to_owned()),
                ("x".to_owned(), "1".to_owned()),
            ]
            .into(),
            depends_on: [(
                ServiceName::new("db"),
                Dependency {
                    condition: "service_healthy".to_owned(),
                    restart: false,
                    required: true,
                },
            )]
            .into(),
            ..Service::default()
        };
        let labels = container_labels(&project(), &svc, 1, "h", Some("sha256:1"));
        let mut sorted: Vec<_> = labels.into_iter().collect();
        sorted.sort();
        let text = sorted
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("\n");
        assert_eq!(
            text,
            "com.docker.compose.config-hash=h
com.docker.compose.container-number=1
com.docker.compose.depends_on=db:service_healthy:false
com.docker.compose.image=sha256:1
com.docker.compose.oneoff=False
com.docker.compose.project=a
com.docker.compose.project.config_files=/tmp/a/compose.yaml,/tmp/a/o.yaml
com.docker.compose.project.working_dir=/tmp/a
com.docker.compose.service=web
com.docker.compose.version=5.6.1
x=1"
        );
    }
}
