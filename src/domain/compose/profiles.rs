//! Service selection as Compose does it for `up svc...`: naming a service enables it even when
//! its profiles are inactive, and its dependencies come along (disabled ones too).

use std::collections::BTreeSet;

use super::error::{LoadError, nearest};
use super::model::{Project, ServiceName};

/// Moves the named services and everything they depend on from `disabled_services` into
/// `services`, and returns the selection (named services plus their dependencies), sorted.
pub fn enable_services(
    project: &mut Project,
    names: &[&str],
) -> Result<BTreeSet<ServiceName>, LoadError> {
    let mut selected = BTreeSet::new();
    let mut todo: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
    while let Some(name) = todo.pop() {
        if !selected.insert(ServiceName::new(name.clone())) {
            continue;
        }
        if let Some(service) = project.disabled_services.shift_remove(name.as_str()) {
            project.services.insert(service.name.clone(), service);
        }
        let Some(service) = project.services.get(name.as_str()) else {
            let known: Vec<&str> = project
                .services
                .keys()
                .chain(project.disabled_services.keys())
                .map(ServiceName::as_str)
                .collect();
            let err = LoadError::global(format!("no such service: {name}"));
            return Err(match nearest(&name, known.iter().copied()) {
                Some(best) => err.with_help(format!("did you mean `{best}`?")),
                None => err.with_help(format!("services: {}", known.join(", "))),
            });
        };
        for (dep, d) in &service.depends_on {
            let exists = project.services.contains_key(dep.as_str())
                || project.disabled_services.contains_key(dep.as_str());
            if exists || d.required {
                todo.push(dep.as_str().to_owned());
            }
        }
    }
    project.services.sort_keys();
    Ok(selected)
}

#[cfg(test)]
mod tests {
    use super::super::{LoadOptions, load_from_str};
    use super::*;

    #[test]
    fn naming_a_service_enables_it_and_its_dependencies() {
        let yaml = "services:\n  app:\n    image: a\n  debug:\n    image: d\n    profiles: [debug]\n    depends_on: [tools]\n  tools:\n    image: t\n    profiles: [tools]\n";
        let mut project = load_from_str(yaml, &LoadOptions::for_dir("/p"))
            .unwrap()
            .project;
        assert_eq!(project.services.len(), 1);
        let selected = enable_services(&mut project, &["debug"]).unwrap();
        let names: Vec<&str> = selected.iter().map(ServiceName::as_str).collect();
        assert_eq!(names, ["debug", "tools"]);
        assert_eq!(project.services.len(), 3);
        let err = enable_services(&mut project, &["debg"]).unwrap_err();
        assert_eq!(err.help.as_deref(), Some("did you mean `debug`?"));
    }

    #[test]
    fn named_services_keep_their_resources() {
        let yaml = "services:\n  app:\n    image: a\n  debug:\n    image: d\n    profiles: [debug]\n    networks: [dbg]\nnetworks:\n  dbg: {}\n";
        let opts = LoadOptions {
            services: vec!["debug".into()],
            ..LoadOptions::for_dir("/p")
        };
        let project = load_from_str(yaml, &opts).unwrap().project;
        assert!(project.services.contains_key("debug"));
        assert_eq!(project.networks["dbg"].name, "p_dbg");
    }
}
