//! Docker Compose's read-only verbs: `ls` (every project on the engine), `images`, `port`,
//! `top` and `version`, with Compose's columns and JSON field names where a script could
//! depend on them.

use std::collections::BTreeMap;
use std::process::ExitCode;

use serde::Serialize;

use crate::commands::down::project_or_name;
use crate::commands::project::ProjectArgs;
use crate::domain::format::{columns, human_bytes};
use crate::engine::connect::client::connect;
use crate::engine::error::StackError;
use crate::engine::stack::labels;
use crate::engine::stack::state::{Observed, compose_containers, project_containers};
use crate::error::CliResult;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
}

/// `devbox ls`.
#[derive(Debug, clap::Args)]
pub struct LsArgs {
    /// Show every project (default: projects with a running container).
    #[arg(short = 'a', long)]
    pub all: bool,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Only project names.
    #[arg(short = 'q', long)]
    pub quiet: bool,
}

/// One project, with `docker compose ls --format json`'s field names.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
struct LsRow {
    name: String,
    status: String,
    config_files: String,
}

pub async fn ls(args: LsArgs) -> CliResult {
    let engine = connect().await?;
    let mut projects: BTreeMap<String, Vec<Observed>> = BTreeMap::new();
    for c in compose_containers(&engine.docker).await? {
        let project = c.labels.get(labels::PROJECT).cloned().unwrap_or_default();
        projects.entry(project).or_default().push(c);
    }
    let rows: Vec<LsRow> = projects
        .into_iter()
        .filter(|(_, cs)| args.all || cs.iter().any(Observed::is_running))
        .map(|(name, cs)| {
            let mut states: BTreeMap<&str, usize> = BTreeMap::new();
            for c in &cs {
                *states.entry(c.state.as_str()).or_default() += 1;
            }
            let status = states
                .iter()
                .map(|(s, n)| format!("{s}({n})"))
                .collect::<Vec<_>>()
                .join(", ");
            let config_files = cs
                .iter()
                .find_map(|c| c.labels.get(labels::CONFIG_FILES).cloned())
                .unwrap_or_default();
            LsRow {
                name,
                status,
                config_files,
            }
        })
        .collect();
    if args.quiet {
        for r in &rows {
            crate::outln!("{}", r.name)?;
        }
    } else if args.format == Format::Json {
        crate::outln!("{}", json(&rows)?)?;
    } else {
        let cells: Vec<Vec<String>> = rows
            .iter()
            .map(|r| vec![r.name.clone(), r.status.clone(), r.config_files.clone()])
            .collect();
        crate::outln!("{}", columns(&["NAME", "STATUS", "CONFIG FILES"], &cells))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn json<T: Serialize>(value: &T) -> Result<String, miette::Report> {
    serde_json::to_string(value).map_err(|e| miette::miette!("encoding JSON: {e}"))
}

/// `devbox images`.
#[derive(Debug, clap::Args)]
pub struct ImagesArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Only image ids.
    #[arg(short = 'q', long)]
    pub quiet: bool,
    pub services: Vec<String>,
}

#[derive(Debug, Serialize)]
struct ImageRow {
    #[serde(rename = "ID")]
    id: String,
    #[serde(rename = "ContainerName")]
    container: String,
    #[serde(rename = "Repository")]
    repository: String,
    #[serde(rename = "Tag")]
    tag: String,
    #[serde(rename = "Size")]
    size: i64,
}

pub async fn images(args: ImagesArgs) -> CliResult {
    let (name, _) = project_or_name(&args.project)?;
    let engine = connect().await?;
    let mut rows = Vec::new();
    for c in project_containers(&engine.docker, &name).await? {
        if !args.services.is_empty() && !args.services.contains(&c.service) {
            continue;
        }
        let id = c.summary.image_id.clone().unwrap_or_default();
        let image =
            engine.docker.inspect_image(&id).await.map_err(|e| {
                StackError::engine(format!("inspecting image {id} of {}", c.name), e)
            })?;
        let tag_ref = image
            .repo_tags
            .as_ref()
            .and_then(|t| t.first().cloned())
            .unwrap_or_else(|| c.image.clone());
        // Podman names every image in full (`docker.io/library/x`); Docker Hub's parts go.
        let short = tag_ref
            .strip_prefix("docker.io/library/")
            .or_else(|| tag_ref.strip_prefix("docker.io/"))
            .unwrap_or(&tag_ref);
        let (repository, tag) = crate::engine::image::digest::name_and_tag(short);
        rows.push(ImageRow {
            id,
            container: c.name.clone(),
            repository,
            tag,
            size: image.size.unwrap_or(0),
        });
    }
    if args.quiet {
        let mut ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
        ids.dedup();
        for id in ids {
            crate::outln!("{id}")?;
        }
    } else if args.format == Format::Json {
        crate::outln!("{}", json(&rows)?)?;
    } else {
        let cells: Vec<Vec<String>> = rows
            .iter()
            .map(|r| {
                let short =
                    r.id.trim_start_matches("sha256:")
                        .chars()
                        .take(12)
                        .collect();
                vec![
                    r.container.clone(),
                    r.repository.clone(),
                    r.tag.clone(),
                    short,
                    human_bytes(u64::try_from(r.size).unwrap_or(0)),
                ]
            })
            .collect();
        let headers = ["CONTAINER", "REPOSITORY", "TAG", "IMAGE ID", "SIZE"];
        crate::outln!("{}", columns(&headers, &cells))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `devbox port SERVICE PRIVATE_PORT`.
#[derive(Debug, clap::Args)]
pub struct PortArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    pub service: String,
    pub private_port: u16,
    #[arg(long, default_value = "tcp")]
    pub protocol: String,
    /// Which replica, when the service is scaled.
    #[arg(long, default_value_t = 1)]
    pub index: u32,
}

pub async fn port(args: PortArgs) -> CliResult {
    let (name, _) = project_or_name(&args.project)?;
    let engine = connect().await?;
    let containers = project_containers(&engine.docker, &name).await?;
    let Some(c) = containers
        .iter()
        .find(|c| c.service == args.service && c.number == args.index && !c.oneoff)
    else {
        return Err(miette::miette!(
            help = "check the name with `devbox ps -a`; start it with `devbox up`",
            "service \"{}\" has no container number {}",
            args.service,
            args.index
        ));
    };
    let binding = c.summary.ports.iter().flatten().find(|p| {
        p.private_port == args.private_port
            && p.public_port.is_some()
            && p.typ.map(|t| t.to_string()).as_deref() == Some(args.protocol.as_str())
    });
    match binding {
        Some(p) => {
            let ip = p.ip.clone().unwrap_or_else(|| "0.0.0.0".to_owned());
            let host = if ip.contains(':') {
                format!("[{ip}]")
            } else {
                ip
            };
            crate::outln!("{host}:{}", p.public_port.unwrap_or(0))?;
            Ok(ExitCode::SUCCESS)
        }
        None => Err(miette::miette!(
            help = "publish it with `ports:` in the compose file",
            "no port {}/{} published for container {}",
            args.private_port,
            args.protocol,
            c.name
        )),
    }
}

/// `devbox top`.
#[derive(Debug, clap::Args)]
pub struct TopArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    pub services: Vec<String>,
}

pub async fn top(args: TopArgs) -> CliResult {
    let (name, _) = project_or_name(&args.project)?;
    let engine = connect().await?;
    let mut first = true;
    for c in project_containers(&engine.docker, &name).await? {
        if !c.is_running() || (!args.services.is_empty() && !args.services.contains(&c.service)) {
            continue;
        }
        let top = engine
            .docker
            .top_processes(&c.id, None::<bollard::query_parameters::TopOptions>)
            .await
            .map_err(|e| StackError::engine(format!("listing the processes of {}", c.name), e))?;
        let headers = top.titles.unwrap_or_default();
        let rows = top.processes.unwrap_or_default();
        if !first {
            crate::outln!()?;
        }
        first = false;
        crate::outln!("{}", c.name)?;
        let header_refs: Vec<&str> = headers.iter().map(String::as_str).collect();
        crate::outln!("{}", columns(&header_refs, &rows))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `devbox version`.
#[derive(Debug, clap::Args)]
pub struct VersionArgs {
    /// Only devbox's version number.
    #[arg(long)]
    pub short: bool,
    #[arg(short = 'f', long, value_enum, default_value = "table")]
    pub format: Format,
}

pub async fn version(args: VersionArgs) -> CliResult {
    let own = env!("CARGO_PKG_VERSION");
    if args.short {
        crate::outln!("{own}")?;
        return Ok(ExitCode::SUCCESS);
    }
    // The engine is optional here: `version` answers without one.
    let engine = match connect().await {
        Ok(engine) => engine.docker.version().await.ok(),
        Err(_) => None,
    };
    let engine_version = engine.as_ref().and_then(|v| v.version.clone());
    let api = engine.as_ref().and_then(|v| v.api_version.clone());
    if args.format == Format::Json {
        let value = serde_json::json!({
            "version": own,
            "compose": labels::COMPOSE_VERSION,
            "engine": engine_version,
            "api": api,
        });
        crate::outln!("{value}")?;
    } else {
        crate::outln!(
            "devbox version {own} (Docker Compose v{} compatible)",
            labels::COMPOSE_VERSION
        )?;
        match (engine_version, api) {
            (Some(v), Some(a)) => crate::outln!("engine {v} (API {a})")?,
            _ => crate::outln!("engine: not reachable (see `devbox doctor`)")?,
        }
    }
    Ok(ExitCode::SUCCESS)
}
