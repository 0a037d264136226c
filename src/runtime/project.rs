//! Reads the compose project of the current folder (through the compose loader's file edge)
//! and turns it into what the Stack tab needs: the project name and each service's
//! `depends_on` conditions.

use crate::app::Msg;
use crate::domain::compose::Project;
use crate::domain::stack::projects::ProjectRef;
use crate::domain::stack::{Dependency, ServiceSpec, WaitCondition};
use crate::fsio::compose::{ProjectRequest, load_project};

/// `ProjectLoaded`, or `ProjectFailed` with the loader's message and its help, for `target`
/// (the current folder's project when `None`).
pub fn load(target: Option<ProjectRef>) -> Msg {
    let loaded = ProjectRequest::for_target(target.as_ref()).and_then(|req| load_project(&req));
    match loaded {
        Ok(loaded) => Msg::ProjectLoaded {
            project: loaded.project.name.clone(),
            services: specs(&loaded.project),
        },
        Err(err) => {
            let help = miette::Diagnostic::help(&err)
                .map(|h| format!(" ({h})"))
                .unwrap_or_default();
            Msg::ProjectFailed {
                reason: format!("{err}{help}"),
            }
        }
    }
}

/// The services in file order with their dependency conditions.
pub fn specs(project: &Project) -> Vec<ServiceSpec> {
    project
        .services
        .iter()
        .map(|(name, service)| ServiceSpec {
            name: name.as_str().to_owned(),
            depends_on: service
                .depends_on
                .iter()
                .map(|(dep, d)| Dependency {
                    service: dep.as_str().to_owned(),
                    condition: WaitCondition::parse(&d.condition),
                })
                .collect(),
            one_shot: false,
        })
        .collect()
}
