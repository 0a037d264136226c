//! Dependencies between services: the ones `links`, `service:` namespaces and `volumes_from`
//! imply, and the check that every dependency names a service that exists and is enabled.

use std::collections::BTreeSet;

use super::error::{LoadError, nearest};
use super::model::{Dependency, Project, Service, ServiceName};
use super::tree_pos::err_at;
use super::yaml::Node;

/// `links`, `service:X` namespaces and `volumes_from` imply dependencies (compose-go).
pub(super) fn implicit_dependencies(service: &mut Service) {
    let mut implied: Vec<(String, bool)> = Vec::new();
    for link in &service.links {
        implied.push((link.split(':').next().unwrap_or(link).to_owned(), true));
    }
    for mode in [
        &service.network_mode,
        &service.ipc,
        &service.pid,
        &service.uts,
        &service.cgroup,
    ] {
        if let Some(target) = mode.strip_prefix("service:") {
            implied.push((target.to_owned(), true));
        }
    }
    for from in &service.volumes_from {
        if !from.starts_with("container:") {
            let name = from.strip_prefix("service:").unwrap_or(from);
            implied.push((name.split(':').next().unwrap_or(name).to_owned(), false));
        }
    }
    for (name, restart) in implied {
        service
            .depends_on
            .entry(ServiceName::new(name))
            .or_insert(Dependency {
                restart,
                ..Dependency::default()
            });
    }
}

pub(super) fn check_dependencies(project: &mut Project, tree: &Node) -> Result<(), LoadError> {
    let enabled: BTreeSet<ServiceName> = project.services.keys().cloned().collect();
    let all: Vec<&str> = enabled
        .iter()
        .map(ServiceName::as_str)
        .chain(project.disabled_services.keys().map(ServiceName::as_str))
        .collect();
    let mut errors = Vec::new();
    for (name, service) in project.services.iter_mut() {
        // Which field named the dependency: `links`, `volumes_from` and `service:` namespaces
        // imply one, and the error should point there, not at a depends_on the user never wrote.
        let network_mode = service.network_mode.clone();
        let volumes_from = service.volumes_from.clone();
        let links = service.links.clone();
        let origin = move |dep: &str| -> &'static str {
            let service_ref = format!("service:{dep}");
            if network_mode == service_ref {
                "network_mode"
            } else if volumes_from
                .iter()
                .any(|v| v.split(':').next() == Some(dep))
            {
                "volumes_from"
            } else if links.iter().any(|l| l.split(':').next() == Some(dep)) {
                "links"
            } else {
                "depends_on"
            }
        };
        service.depends_on.retain(|dep, d| {
            if enabled.contains(dep) {
                return true;
            }
            let disabled = project.disabled_services.get(dep.as_str());
            // Compose keeps an optional dependency on a disabled service; an unknown one is
            // an error even when optional (Docker Compose v5.6.1: "depends on undefined
            // service").
            if !d.required && disabled.is_some() {
                return true;
            }
            let message = match disabled {
                Some(s) => format!(
                    "service {:?} depends on service {:?}, which is disabled (profiles: {})",
                    name.as_str(),
                    dep.as_str(),
                    s.profiles.join(", ")
                ),
                None if origin(dep.as_str()) != "depends_on" => format!(
                    "service {:?} refers to undefined service {:?} in {}",
                    name.as_str(),
                    dep.as_str(),
                    origin(dep.as_str())
                ),
                None => format!(
                    "service {:?} depends on undefined service {:?}",
                    name.as_str(),
                    dep.as_str()
                ),
            };
            let field = origin(dep.as_str());
            let mut err = if field == "depends_on" {
                err_at(
                    tree,
                    &["services", name.as_str(), "depends_on", dep.as_str()],
                    message,
                )
            } else {
                err_at(tree, &["services", name.as_str(), field], message)
            };
            err.path = format!("services.{name}.{field}");
            err.help = Some(
                match (disabled, nearest(dep.as_str(), all.iter().copied())) {
                    (Some(s), _) => format!(
                        "enable it with --profile {}, or mark the dependency `required: false`",
                        s.profiles.first().cloned().unwrap_or_default()
                    ),
                    (None, Some(best)) => format!("did you mean `{best}`?"),
                    (None, None) => format!("defined services: {}", all.join(", ")),
                },
            );
            errors.push(err);
            false
        });
    }
    match errors.into_iter().next() {
        Some(err) => Err(err),
        None => Ok(()),
    }
}
