//! `down -v`'s volumes: the project's declared (non-external) volumes, and the anonymous
//! volumes of the containers it removed — including those a replacement container inherited,
//! which the engine's own `rm -v` keeps because they were mounted by name.

use std::collections::BTreeSet;

use bollard::Docker;

use crate::domain::compose::Project;

use super::labels;
use super::resources::project_volumes;
use super::state::Observed;
use crate::engine::error::{StackError, engine_message, status_code};
use crate::engine::progress::{Progress, Reporter, Resource, Step};

/// Moby labels the volumes it creates for anonymous mounts with this (Engine 23+).
const ANONYMOUS_LABEL: &str = "com.docker.volume.anonymous";

/// Volume names mounted by `containers`, to be checked after they are removed.
pub fn mounted_volumes(containers: &[Observed]) -> BTreeSet<String> {
    containers
        .iter()
        .flat_map(|c| c.summary.mounts.iter().flatten())
        .filter(|m| m.typ.as_deref() == Some("volume"))
        .filter_map(|m| m.name.clone())
        .collect()
}

/// An engine-generated name: 64 hex digits (what an anonymous volume is called).
fn generated_name(name: &str) -> bool {
    name.len() == 64 && name.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Removes the project's declared volumes, then those of `mounted` that are anonymous and
/// still exist; returns the names removed. A volume still in use is a warning.
pub async fn remove_volumes(
    docker: &Docker,
    project_name: &str,
    project: Option<&Project>,
    mounted: &BTreeSet<String>,
    reporter: &dyn Reporter,
) -> Result<Vec<String>, StackError> {
    let external: BTreeSet<String> = project
        .map(|p| {
            p.volumes
                .iter()
                .filter(|(_, v)| v.external)
                .map(|(k, _)| labels::volume_name(p, k))
                .collect()
        })
        .unwrap_or_default();
    let mut removed = Vec::new();
    for (name, _key) in project_volumes(docker, project_name).await? {
        if !external.contains(&name) && remove_one(docker, &name, reporter).await {
            removed.push(name);
        }
    }
    for name in mounted {
        if removed.contains(name) || external.contains(name) {
            continue;
        }
        let volume = match docker.inspect_volume(name).await {
            Ok(v) => v,
            // `rm -v` already took it (the usual case for a container's own anonymous volumes).
            Err(e) if status_code(&e) == Some(404) => continue,
            Err(e) => return Err(StackError::engine(format!("inspecting volume {name}"), e)),
        };
        // A named volume the user made (`mydata:/x`, or another project's) is never touched.
        let anonymous = volume.labels.contains_key(ANONYMOUS_LABEL)
            || (generated_name(name) && !volume.labels.contains_key(labels::PROJECT));
        if anonymous && remove_one(docker, name, reporter).await {
            removed.push(name.clone());
        }
    }
    Ok(removed)
}

async fn remove_one(docker: &Docker, name: &str, reporter: &dyn Reporter) -> bool {
    let step = |step: Step| Progress::Step {
        service: String::new(),
        resource: Resource::Volume,
        name: name.to_owned(),
        step,
        detail: String::new(),
    };
    reporter.report(step(Step::Removing));
    match docker
        .remove_volume(name, None::<bollard::query_parameters::RemoveVolumeOptions>)
        .await
    {
        Ok(()) => {
            reporter.report(step(Step::Removed));
            true
        }
        Err(e) if status_code(&e) == Some(404) => false,
        Err(e) => {
            reporter.report(Progress::Warning(format!(
                "volume {name}: {}",
                engine_message(&e)
            )));
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_engine_generated_names_count_as_generated() {
        assert!(generated_name(&"a1".repeat(32)));
        assert!(!generated_name("myproject_data"));
        assert!(!generated_name(&"g1".repeat(32)));
    }
}
