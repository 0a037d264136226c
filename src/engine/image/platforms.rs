//! What the engine's store holds of the images a lint run names: each base image's platform,
//! the platform the engine builds for by default (DBX410), and whether the images of
//! health-checked services contain the programs their probes run (DBX402).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use bollard::Docker;
use bollard::models::ContainerCreateBody;
use bollard::query_parameters::{
    ContainerArchiveInfoOptionsBuilder, CreateContainerOptions, RemoveContainerOptionsBuilder,
};

use crate::domain::platform::{LocalImages, Platform, Program, candidates, search_path};
use crate::engine::error::{StackError, status_code};

/// The label on the stopped container devbox creates to look into an image, so it is never
/// mistaken for (or touches) a project's.
const PROBE_LABEL: &str = "dev.devbox.lint-probe";

/// Inspects each base image reference and looks for each probe program in the images of
/// `programs`; an image the engine does not have is left out.
pub async fn local_images(
    docker: &Docker,
    references: &[String],
    programs: &BTreeMap<String, BTreeSet<String>>,
) -> Result<LocalImages, StackError> {
    let version = docker
        .version()
        .await
        .map_err(|e| StackError::engine("asking the engine for its version (GET /version)", e))?;
    let engine = match (version.os.as_deref(), version.arch.as_deref()) {
        (Some(os), Some(arch)) if !os.is_empty() => Some(Platform::new(os, arch, None)),
        _ => None,
    };
    let mut images = LocalImages {
        engine,
        ..LocalImages::default()
    };
    for reference in references {
        let inspected = match docker.inspect_image(reference).await {
            Ok(i) => i,
            Err(e) if status_code(&e) == Some(404) => continue,
            Err(e) => {
                return Err(StackError::engine(
                    format!("inspecting image {reference} (GET /images/{reference}/json)"),
                    e,
                ));
            }
        };
        if let (Some(os), Some(arch)) = (inspected.os.as_deref(), inspected.architecture.as_deref())
        {
            images.platforms.insert(
                reference.clone(),
                Platform::new(os, arch, inspected.variant.as_deref()),
            );
        }
    }
    for (image, wanted) in programs {
        if let Some(found) = look_into(docker, image, wanted).await? {
            images.programs.insert(image.clone(), found);
        }
    }
    Ok(images)
}

/// Where `image` has each program, from a created (never started) container's file system;
/// `None` when the engine does not have the image.
async fn look_into(
    docker: &Docker,
    image: &str,
    wanted: &BTreeSet<String>,
) -> Result<Option<BTreeMap<String, Program>>, StackError> {
    let inspected = match docker.inspect_image(image).await {
        Ok(i) => i,
        Err(e) if status_code(&e) == Some(404) => return Ok(None),
        Err(e) => {
            return Err(StackError::engine(
                format!("inspecting image {image} (GET /images/{image}/json)"),
                e,
            ));
        }
    };
    let env = inspected.config.and_then(|c| c.env).unwrap_or_default();
    let path = search_path(&env);
    let body = ContainerCreateBody {
        image: Some(image.to_owned()),
        // Never started: a command is only needed because images without one refuse creation.
        cmd: Some(vec!["devbox-lint-probe".to_owned()]),
        network_disabled: Some(true),
        labels: Some(HashMap::from([(PROBE_LABEL.to_owned(), "1".to_owned())])),
        ..ContainerCreateBody::default()
    };
    let created = docker
        .create_container(None::<CreateContainerOptions>, body)
        .await
        .map_err(|e| {
            StackError::engine(
                format!("creating a stopped container of {image} to look for its probe programs"),
                e,
            )
        })?;
    let found = stat_programs(docker, &created.id, &path, wanted).await;
    let remove = RemoveContainerOptionsBuilder::new()
        .force(true)
        .v(true)
        .build();
    let removed = docker.remove_container(&created.id, Some(remove)).await;
    let found = found?;
    removed.map_err(|e| {
        StackError::engine(
            format!(
                "removing the container {} devbox created to look into {image}",
                created.id
            ),
            e,
        )
    })?;
    Ok(Some(found))
}

async fn stat_programs(
    docker: &Docker,
    container: &str,
    path: &[String],
    wanted: &BTreeSet<String>,
) -> Result<BTreeMap<String, Program>, StackError> {
    let mut out = BTreeMap::new();
    for program in wanted {
        let places = candidates(program, path);
        if places.is_empty() {
            continue;
        }
        let mut found = None;
        for place in &places {
            let options = ContainerArchiveInfoOptionsBuilder::new()
                .path(place)
                .build();
            match docker
                .get_container_archive_info(container, Some(options))
                .await
            {
                Ok(_) => {
                    found = Some(place.clone());
                    break;
                }
                Err(e) if status_code(&e) == Some(404) => {}
                Err(e) => {
                    return Err(StackError::engine(
                        format!("looking for {place} (HEAD /containers/{container}/archive)"),
                        e,
                    ));
                }
            }
        }
        let searched = if program.starts_with('/') {
            places
        } else {
            path.to_vec()
        };
        out.insert(
            program.clone(),
            found.map_or(Program::Missing { searched }, Program::Found),
        );
    }
    Ok(out)
}
