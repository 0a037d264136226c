//! Checks Docker Compose makes on the merged project that decoding one field cannot: service
//! names, mutually exclusive fields, container names unique across services, bind mounts with
//! a source, external resources without driver settings. Each error names the key (file:line)
//! and what to change.

use super::error::LoadError;
use super::model::{FileObject, Project, Service};
use super::tree_pos::err_at;
use super::yaml::Node;

fn valid_service_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

pub(super) fn validate(project: &Project, tree: &Node) -> Result<(), LoadError> {
    let all = project
        .services
        .values()
        .chain(project.disabled_services.values());
    for service in all {
        check_service(service, tree)?;
    }
    let mut container_names: Vec<(&str, &str)> = Vec::new();
    for service in project.services.values() {
        let name = service.container_name.as_str();
        if name.is_empty() {
            continue;
        }
        if let Some((_, other)) = container_names.iter().find(|(n, _)| *n == name) {
            return Err(err_at(
                tree,
                &["services", service.name.as_str(), "container_name"],
                format!("container name {name:?} is already in use by service {other:?}"),
            )
            .with_help("give each service its own container_name, or remove it"));
        }
        container_names.push((name, service.name.as_str()));
    }
    for (kind, objects) in [("secrets", &project.secrets), ("configs", &project.configs)] {
        for (key, object) in objects {
            check_file_object(kind, key, object, tree)?;
        }
    }
    for (key, volume) in &project.volumes {
        if volume.external && (!volume.driver.is_empty() || !volume.driver_opts.is_empty()) {
            return Err(external_with_driver("volumes", key, tree));
        }
    }
    for (key, network) in &project.networks {
        if network.external && (!network.driver.is_empty() || !network.driver_opts.is_empty()) {
            return Err(external_with_driver("networks", key, tree));
        }
    }
    Ok(())
}

fn check_service(service: &Service, tree: &Node) -> Result<(), LoadError> {
    let name = service.name.as_str();
    if !valid_service_name(name) {
        return Err(err_at(
            tree,
            &["services", name],
            format!(
                "invalid service name {name:?}: only letters, digits, '.', '_' and '-' are allowed"
            ),
        )
        .with_help("rename the service (it becomes part of container and DNS names)"));
    }
    if !service.network_mode.is_empty() && !service.networks.is_empty() {
        return Err(err_at(
            tree,
            &["services", name, "network_mode"],
            format!("service {name:?} declares mutually exclusive `network_mode` and `networks`"),
        )
        .with_help(
            "keep `network_mode` (the container joins that namespace) or `networks`, not both",
        ));
    }
    if let Some(index) = service
        .volumes
        .iter()
        .position(|v| v.kind == "bind" && v.source.is_empty())
    {
        return Err(err_at(
            tree,
            &["services", name, "volumes"],
            format!("entry {index} is a bind mount without a `source` (the host path to mount)"),
        )
        .with_help("add `source: ./path`, or use `type: volume` for a named or anonymous volume"));
    }
    Ok(())
}

fn check_file_object(
    kind: &str,
    key: &str,
    object: &FileObject,
    tree: &Node,
) -> Result<(), LoadError> {
    let set: Vec<&str> = [
        ("file", !object.file.is_empty()),
        ("environment", !object.environment.is_empty()),
        ("content", !object.content.is_empty()),
    ]
    .into_iter()
    .filter_map(|(name, on)| on.then_some(name))
    .collect();
    if set.len() > 1 {
        return Err(err_at(
            tree,
            &[kind, key],
            format!("{} attributes are mutually exclusive", set.join("|")),
        )
        .with_help("keep exactly one source for its value"));
    }
    Ok(())
}

fn external_with_driver(kind: &str, key: &str, tree: &Node) -> LoadError {
    err_at(
        tree,
        &[kind, key, "external"],
        "conflicting parameters \"external\" and \"driver\" specified".to_owned(),
    )
    .with_help("an external resource is created outside this project: drop driver and driver_opts, or drop external")
}

#[cfg(test)]
mod tests {
    use super::valid_service_name;

    #[test]
    fn service_names_follow_the_compose_schema() {
        for ok in ["web", "web-1", "api_v2", "db.primary", "Web"] {
            assert!(valid_service_name(ok), "{ok}");
        }
        for bad in ["web app", "", "a/b", "ü"] {
            assert!(!valid_service_name(bad), "{bad}");
        }
    }
}
