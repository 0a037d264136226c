//! Making every service's image available before containers are created: inspect, pull
//! (`pull_policy`, per-layer progress) or build (`build:`, `--build`, `--no-build`), as
//! Compose's `ensureImagesExists` decides.

use bollard::Docker;
use bollard::query_parameters::CreateImageOptions;
use futures_util::StreamExt;

use crate::domain::compose::pull::{PullDecision, decide};
use crate::domain::compose::{Project, Service};

use super::build::{BuildOptions, Builder, build_service};
use crate::engine::error::{StackError, engine_message, status_code};
use crate::engine::progress::{Progress, Reporter, Resource, Step};

/// `--build` / `--no-build` / default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BuildPolicy {
    /// Build services with `build:` whose image is missing (and `pull_policy: build`).
    #[default]
    IfMissing,
    /// `--build`: build every service with `build:`.
    Always,
    /// `--no-build`: never build; a missing image is an error.
    Never,
}

/// An image ready for a service: the reference containers are created from, and its id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadyImage {
    pub reference: String,
    pub id: String,
}

fn image_step(reporter: &dyn Reporter, service: &str, name: &str, step: Step, detail: &str) {
    reporter.report(Progress::Step {
        service: service.to_owned(),
        resource: Resource::Image,
        name: name.to_owned(),
        step,
        detail: detail.to_owned(),
    });
}

/// The local id of `reference`, if the engine has it.
pub async fn local_image_id(
    docker: &Docker,
    reference: &str,
) -> Result<Option<String>, StackError> {
    Ok(local_image(docker, reference).await?.map(|l| l.id))
}

/// What the engine has for a reference.
struct Local {
    id: String,
    /// When it was last tagged (pulled, built, tagged), Unix seconds, if the engine says.
    last_tagged: Option<i64>,
    repo_digests: Vec<String>,
}

async fn local_image(docker: &Docker, reference: &str) -> Result<Option<Local>, StackError> {
    match docker.inspect_image(reference).await {
        Ok(i) => Ok(Some(Local {
            id: i.id.unwrap_or_default(),
            // The engine writes the zero time (0001-01-01) for "never": before the epoch.
            last_tagged: i
                .metadata
                .and_then(|m| m.last_tag_time)
                .map(|t| t.unix_timestamp())
                .filter(|t| *t > 0),
            repo_digests: i.repo_digests.unwrap_or_default(),
        })),
        Err(e) if status_code(&e) == Some(404) => Ok(None),
        Err(e) => Err(StackError::engine(
            format!("inspecting image {reference}"),
            e,
        )),
    }
}

/// Records the pull time on the image. A pull leaves the engine's LastTagTime unset (only a
/// tag, build, import or load sets it), so Compose's `daily` pulls on every `up`; tagging the
/// reference onto itself stamps it, and `daily`/`weekly`/`every_…` then mean what they say.
/// Best effort: without the stamp the next `up` pulls again, as Compose would.
async fn mark_pulled(docker: &Docker, reference: &str) {
    let (repo, tag) = super::digest::name_and_tag(reference);
    if tag.starts_with("sha256:") {
        return;
    }
    let options = bollard::query_parameters::TagImageOptionsBuilder::new()
        .repo(&repo)
        .tag(&tag)
        .build();
    let _ = docker.tag_image(reference, Some(options)).await;
}

/// `refresh` (Compose pulls as for `always` there): whether the registry's digest for the tag differs from every local repo digest.
/// A registry that does not answer keeps the local image, with a warning.
async fn registry_is_newer(
    docker: &Docker,
    service: &str,
    reference: &str,
    local: &Local,
    reporter: &dyn Reporter,
) -> bool {
    match docker.inspect_registry_image(reference, None).await {
        Ok(answer) => {
            let Some(digest) = answer.descriptor.digest else {
                return true;
            };
            !local
                .repo_digests
                .iter()
                .any(|d| d.rsplit_once('@').is_some_and(|(_, d)| d == digest))
        }
        Err(e) => {
            reporter.report(Progress::Warning(format!(
                "service \"{service}\": pull_policy refresh could not ask the registry about \
                 {reference} ({}); using the local image",
                engine_message(&e)
            )));
            false
        }
    }
}

/// Pulls `reference`, reporting per-layer progress; the error text is the registry's.
pub async fn pull(
    docker: &Docker,
    service: &str,
    reference: &str,
    platform: &str,
    reporter: &dyn Reporter,
) -> Result<(), String> {
    image_step(reporter, service, reference, Step::Pulling, "");
    let (from_image, tag) = super::digest::name_and_tag(reference);
    let options = CreateImageOptions {
        from_image: Some(from_image),
        tag: Some(tag),
        platform: platform.to_owned(),
        ..CreateImageOptions::default()
    };
    let mut stream = docker.create_image(Some(options), None, None);
    while let Some(item) = stream.next().await {
        match item {
            Ok(info) => {
                if let Some(err) = info.error_detail.and_then(|d| d.message) {
                    return Err(err);
                }
                if let (Some(layer), Some(status)) = (info.id, info.status) {
                    let detail = info.progress_detail.unwrap_or_default();
                    reporter.report(Progress::PullLayer {
                        service: service.to_owned(),
                        image: reference.to_owned(),
                        layer,
                        status,
                        current: detail
                            .current
                            .and_then(|c| u64::try_from(c).ok())
                            .unwrap_or(0),
                        total: detail
                            .total
                            .and_then(|t| u64::try_from(t).ok())
                            .unwrap_or(0),
                    });
                }
            }
            Err(e) => return Err(engine_message(&e)),
        }
    }
    mark_pulled(docker, reference).await;
    image_step(reporter, service, reference, Step::Pulled, "");
    Ok(())
}

/// Makes `service`'s image available and returns it.
pub async fn ensure_image(
    docker: &Docker,
    project: &Project,
    service: &Service,
    policy: BuildPolicy,
    builder: Builder,
    reporter: &dyn Reporter,
) -> Result<ReadyImage, StackError> {
    let reference = service.image_or_default(&project.name);
    if service.image.is_empty() && service.build.is_none() {
        return Err(StackError::Invalid {
            service: service.name.to_string(),
            message: "must specify either image or build".to_owned(),
            help: "add `image: <name>` or `build: <context dir>` to the service".to_owned(),
        });
    }
    let buildable = service.build.is_some() && policy != BuildPolicy::Never;
    let must_build = service.build.is_some()
        && policy != BuildPolicy::Never
        && (policy == BuildPolicy::Always || service.pull_policy == "build");
    if must_build {
        return build(docker, project, service, builder, reporter, &reference).await;
    }
    let found = local_image(docker, &reference).await?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    let state = found.as_ref().map(|l| l.last_tagged);
    let wants_pull = !service.image.is_empty()
        && match decide(&service.pull_policy, state, now) {
            PullDecision::Pull => true,
            PullDecision::Skip => false,
            PullDecision::IfNewer => match &found {
                Some(l) => {
                    registry_is_newer(docker, service.name.as_str(), &reference, l, reporter).await
                }
                None => true,
            },
        };
    let local = found.map(|l| l.id);
    if wants_pull {
        match pull(
            docker,
            service.name.as_str(),
            &reference,
            &service.platform,
            reporter,
        )
        .await
        {
            Ok(()) => {
                if let Some(id) = local_image_id(docker, &reference).await? {
                    return Ok(ReadyImage { reference, id });
                }
            }
            Err(reason) => {
                if let Some(id) = local {
                    reporter.report(Progress::Warning(format!(
                        "service \"{}\": pulling {reference} failed ({reason}); using the local image",
                        service.name
                    )));
                    return Ok(ReadyImage { reference, id });
                }
                if !buildable {
                    return Err(StackError::ImageUnavailable {
                        service: service.name.to_string(),
                        image: reference,
                        reason,
                    });
                }
                reporter.report(Progress::Warning(format!(
                    "service \"{}\": pulling {reference} failed ({reason}); building it instead",
                    service.name
                )));
            }
        }
    }
    if let Some(id) = local {
        return Ok(ReadyImage { reference, id });
    }
    if buildable {
        return build(docker, project, service, builder, reporter, &reference).await;
    }
    Err(StackError::ImageUnavailable {
        service: service.name.to_string(),
        image: reference,
        reason: if service.build.is_some() {
            "it is not built yet and --no-build was given".to_owned()
        } else {
            "No such image (pull_policy: never)".to_owned()
        },
    })
}

async fn build(
    docker: &Docker,
    project: &Project,
    service: &Service,
    builder: Builder,
    reporter: &dyn Reporter,
    reference: &str,
) -> Result<ReadyImage, StackError> {
    let detail = match builder {
        Builder::BuildKit => "BuildKit",
        Builder::Legacy => "legacy builder: this engine has no BuildKit",
    };
    image_step(
        reporter,
        service.name.as_str(),
        reference,
        Step::Building,
        detail,
    );
    let id = build_service(
        docker,
        project,
        service,
        builder,
        &BuildOptions::default(),
        reporter,
    )
    .await?;
    image_step(reporter, service.name.as_str(), reference, Step::Built, "");
    Ok(ReadyImage {
        reference: reference.to_owned(),
        id,
    })
}
