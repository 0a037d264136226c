//! `devbox build`, `pull` and `push`: the project's images, with Compose's selection rules
//! (build: services with `build:`; pull: services with `image:`; push: built services that
//! name an `image:`), progress on stderr, each failure naming the service and the image.

use std::process::ExitCode;

use bollard::query_parameters::PushImageOptions;
use futures_util::StreamExt;

use super::lifecycle::check_services;
use crate::commands::project::{ProjectArgs, load_project, print_warnings};
use crate::commands::up::CliReporter;
use crate::domain::compose::{Project, Service};
use crate::engine::connect::client::connect;
use crate::engine::image::build::{BuildOptions, build_service, detect_builder};
use crate::engine::image::images::pull as pull_image;
use crate::engine::progress::{Progress, Reporter, Resource, Step};
use crate::error::CliResult;

/// `devbox build`.
#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// Do not use the build cache.
    #[arg(long)]
    pub no_cache: bool,
    /// Always try to pull newer versions of the base images.
    #[arg(long)]
    pub pull: bool,
    pub services: Vec<String>,
}

/// `devbox pull`.
#[derive(Debug, clap::Args)]
pub struct PullArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// Go on when an image cannot be pulled (each failure is still reported).
    #[arg(long)]
    pub ignore_pull_failures: bool,
    /// Skip services that have a `build:` section.
    #[arg(long)]
    pub ignore_buildable: bool,
    pub services: Vec<String>,
}

/// `devbox push`.
#[derive(Debug, clap::Args)]
pub struct PushArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// Go on when an image cannot be pushed.
    #[arg(long)]
    pub ignore_push_failures: bool,
    pub services: Vec<String>,
}

/// The loaded project and its services named on the command line (all when none).
fn selected(
    args: &ProjectArgs,
    names: &[String],
) -> Result<(Project, Vec<String>), miette::Report> {
    let loaded = load_project(args)?;
    print_warnings(&loaded.warnings);
    check_services(&loaded.project, names)?;
    let services = loaded
        .project
        .services
        .keys()
        .map(|k| k.to_string())
        .filter(|k| names.is_empty() || names.contains(k))
        .collect();
    Ok((loaded.project, services))
}

fn services<'a>(project: &'a Project, names: &'a [String]) -> impl Iterator<Item = &'a Service> {
    names
        .iter()
        .filter_map(|n| project.services.get(n.as_str()))
}

pub async fn build(args: BuildArgs) -> CliResult {
    let (project, names) = selected(&args.project, &args.services)?;
    let engine = connect().await?;
    let builder = detect_builder(&engine.docker).await;
    let reporter = CliReporter::new();
    let options = BuildOptions {
        no_cache: args.no_cache,
        pull: args.pull,
    };
    let mut result = Ok(());
    for service in services(&project, &names).filter(|s| s.build.is_some()) {
        result = build_service(
            &engine.docker,
            &project,
            service,
            builder,
            &options,
            &reporter,
        )
        .await
        .map(drop);
        if result.is_err() {
            break;
        }
    }
    reporter.finish();
    result?;
    Ok(ExitCode::SUCCESS)
}

pub async fn pull(args: PullArgs) -> CliResult {
    let (project, names) = selected(&args.project, &args.services)?;
    let engine = connect().await?;
    let reporter = CliReporter::new();
    let mut failures = Vec::new();
    for service in services(&project, &names)
        .filter(|s| !s.image.is_empty())
        .filter(|s| !args.ignore_buildable || s.build.is_none())
    {
        if let Err(reason) = pull_image(
            &engine.docker,
            service.name.as_str(),
            &service.image,
            &service.platform,
            &reporter,
        )
        .await
        {
            reporter.report(Progress::Warning(format!(
                "service \"{}\": pulling {} failed: {reason}",
                service.name, service.image
            )));
            failures.push(format!("{} ({})", service.image, service.name));
        }
    }
    reporter.finish();
    if failures.is_empty() || args.ignore_pull_failures {
        return Ok(ExitCode::SUCCESS);
    }
    Err(miette::miette!(
        help = "check the names and the registry (`devbox doctor`); --ignore-pull-failures goes on past them",
        "could not pull {}",
        failures.join(", ")
    ))
}

pub async fn push(args: PushArgs) -> CliResult {
    let (project, names) = selected(&args.project, &args.services)?;
    let engine = connect().await?;
    let reporter = CliReporter::new();
    let mut failures = Vec::new();
    for service in services(&project, &names).filter(|s| s.build.is_some() && !s.image.is_empty()) {
        if let Err(reason) = push_one(&engine.docker, service, &reporter).await {
            reporter.report(Progress::Warning(format!(
                "service \"{}\": pushing {} failed: {reason}",
                service.name, service.image
            )));
            failures.push(format!("{} ({})", service.image, service.name));
        }
    }
    reporter.finish();
    if failures.is_empty() || args.ignore_push_failures {
        return Ok(ExitCode::SUCCESS);
    }
    Err(miette::miette!(
        help = "build it first (`devbox build`), check that the registry answers and that you are logged in to it",
        "could not push {}",
        failures.join(", ")
    ))
}

/// Pushes the service's image; the error is the engine's or the registry's text.
async fn push_one(
    docker: &bollard::Docker,
    service: &Service,
    reporter: &dyn Reporter,
) -> Result<(), String> {
    let step = |step: Step| Progress::Step {
        service: service.name.to_string(),
        resource: Resource::Image,
        name: service.image.clone(),
        step,
        detail: String::new(),
    };
    reporter.report(step(Step::Pushing));
    let (name, tag) = crate::engine::image::digest::name_and_tag(&service.image);
    let options = PushImageOptions {
        tag: Some(tag),
        platform: None,
    };
    let mut stream = docker.push_image(&name, Some(options), None);
    while let Some(item) = stream.next().await {
        let info = item.map_err(|e| crate::engine::error::engine_message(&e))?;
        if let Some(detail) = info.error_detail {
            return Err(detail
                .message
                .unwrap_or_else(|| "the registry refused it".to_owned()));
        }
    }
    reporter.report(step(Step::Pushed));
    Ok(())
}
