//! What the engine's store holds of a list of base images: each one's platform, and the
//! platform the engine builds for by default (for lint's DBX410).

use bollard::Docker;

use crate::domain::platform::{LocalImages, Platform};
use crate::engine::error::{StackError, status_code};

/// Inspects each reference; one the engine does not have is left out.
pub async fn local_images(
    docker: &Docker,
    references: &[String],
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
    Ok(images)
}
