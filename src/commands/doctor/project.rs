//! Gathers the facts of the project in the current folder for the doctor: the compose files,
//! variables, `.env` against `.env.example`, published ports, images, watch directories.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use bollard::Docker;
use bollard::query_parameters::ListContainersOptionsBuilder;

use super::ports;
use crate::commands::project::ProjectArgs;
use crate::domain::compose::Project;
use crate::domain::compose::dotenv;
use crate::domain::doctor::Check;
use crate::domain::doctor::project::{
    self as judge, ImageFact, PortHolder, PublishedPort, VariableFact,
};
use crate::fsio::compose as loader;

/// The loaded project, or the check that says why there is none.
pub enum ProjectFacts {
    Loaded(Box<Project>, Vec<VariableFact>),
    Missing(Check),
}

pub fn load(args: &ProjectArgs) -> Result<ProjectFacts, miette::Report> {
    let request = args.request()?;
    match loader::load_project(&request) {
        Ok(loaded) => {
            let vars = loaded
                .variables
                .iter()
                .map(|v| VariableFact {
                    name: v.name.clone(),
                    has_default: v.default.is_some() || v.alternate.is_some() || v.required,
                })
                .collect();
            Ok(ProjectFacts::Loaded(Box::new(loaded.project), vars))
        }
        Err(err) if err.message.starts_with("no configuration file provided") => {
            Ok(ProjectFacts::Missing(Check::warn(
                "compose",
                "compose files load",
                "no compose file here or in a parent folder",
                "run `devbox init` to write one, or pass -f FILE",
            )))
        }
        Err(err) => Ok(ProjectFacts::Missing(Check::fail(
            "compose",
            "compose files load",
            err.full_text(),
            "fix the file at the position above; `devbox config` shows the same error",
        ))),
    }
}

/// `.env.example` and `.env` of the project directory.
pub struct EnvFiles {
    pub example_path: PathBuf,
    pub env_path: PathBuf,
    pub example_text: Option<String>,
    pub example: Vec<(String, String)>,
    pub env_keys: Option<BTreeSet<String>>,
}

pub fn read_env_files(dir: &Path) -> EnvFiles {
    let example_path = dir.join(".env.example");
    let env_path = dir.join(".env");
    let empty = BTreeMap::new();
    let example_text = std::fs::read_to_string(&example_path).ok();
    let example = example_text
        .as_deref()
        .and_then(|text| dotenv::parse(text, &empty, true).ok())
        .map(|map| map.into_iter().collect())
        .unwrap_or_default();
    let env_keys = std::fs::read_to_string(&env_path).ok().map(|text| {
        match dotenv::parse(&text, &empty, true) {
            Ok(map) => map.into_keys().collect(),
            Err(_) => BTreeSet::new(),
        }
    });
    EnvFiles {
        example_path,
        env_path,
        example_text,
        example,
        env_keys,
    }
}

/// The host ports the project publishes with a fixed number.
pub fn published_ports(project: &Project) -> Vec<PublishedPort> {
    let mut out = Vec::new();
    for (name, service) in &project.services {
        for port in &service.ports {
            let (first, last) = match port.published.split_once('-') {
                Some((a, b)) => (a.parse::<u16>().ok(), b.parse::<u16>().ok()),
                None => (port.published.parse::<u16>().ok(), None),
            };
            let Some(first) = first else { continue };
            for number in first..=last.unwrap_or(first) {
                out.push(PublishedPort {
                    service: name.as_str().to_string(),
                    host_ip: port.host_ip.clone(),
                    port: number,
                    protocol: if port.protocol.is_empty() {
                        "tcp".into()
                    } else {
                        port.protocol.clone()
                    },
                });
            }
        }
    }
    out
}

/// Who holds each published port: this stack's running containers, another process, or nobody.
pub async fn port_holders(
    docker: Option<&Docker>,
    project: &str,
    ports: Vec<PublishedPort>,
) -> Vec<(PublishedPort, PortHolder)> {
    let ours = match docker {
        Some(docker) => stack_ports(docker, project).await,
        None => BTreeSet::new(),
    };
    ports
        .into_iter()
        .map(|p| {
            let holder = if ours.contains(&p.port) {
                PortHolder::ThisStack
            } else if ports::is_taken(&p.host_ip, p.port, &p.protocol) {
                let process = (p.protocol != "udp")
                    .then(|| ports::tcp_listener_process(p.port))
                    .flatten();
                PortHolder::Other(process)
            } else {
                PortHolder::Free
            };
            (p, holder)
        })
        .collect()
}

async fn stack_ports(docker: &Docker, project: &str) -> BTreeSet<u16> {
    let filters = HashMap::from([(
        "label".to_string(),
        vec![format!("com.docker.compose.project={project}")],
    )]);
    let options = ListContainersOptionsBuilder::new()
        .filters(&filters)
        .build();
    let Ok(containers) = docker.list_containers(Some(options)).await else {
        return BTreeSet::new();
    };
    containers
        .iter()
        .flat_map(|c| c.ports.iter().flatten())
        .filter_map(|p| p.public_port)
        .collect()
}

/// Whether each service's image is present locally, and its size.
pub async fn image_facts(docker: &Docker, project: &Project) -> Vec<ImageFact> {
    let mut out = Vec::new();
    for (name, service) in &project.services {
        let image = service.image_or_default(&project.name);
        let local_size = docker
            .inspect_image(&image)
            .await
            .ok()
            .map(|i| i.size.unwrap_or(0).max(0) as u64);
        out.push(ImageFact {
            service: name.as_str().to_string(),
            image,
            builds: service.build.is_some(),
            local_size,
            never_pull: service.pull_policy == "never",
        });
    }
    out
}

/// Counts the directories the project's watch rules would register, skipping what the rules
/// and the services' .dockerignore files ignore, as `devbox watch` does.
pub fn watch_dir_count(project: &Project) -> Result<usize, miette::Report> {
    use crate::domain::sync::{from_compose, watchset};
    let mut specs = Vec::new();
    for service in project.services.values() {
        if service.develop.as_ref().is_none_or(|d| d.watch.is_empty()) {
            continue;
        }
        let ignore = crate::ops::watch::read_build_ignore(service)?;
        specs.push(from_compose::service_spec(service, ignore));
    }
    if specs.is_empty() {
        return Ok(0);
    }
    let set = watchset::compile(&specs)?;
    let mut count = 0;
    let mut stack: Vec<PathBuf> = set.roots().into_iter().map(PathBuf::from).collect();
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        count += 1;
        for entry in entries.flatten() {
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                let path = entry.path();
                if !set.can_skip_dir(&path.to_string_lossy()) {
                    stack.push(path);
                }
            }
        }
    }
    Ok(count)
}

pub fn env_checks(project: &Project, vars: &[VariableFact], env: &EnvFiles) -> Vec<Check> {
    let mut checks = vec![judge::judge_variables(vars, &project.environment)];
    if env.example_text.is_some() {
        checks.push(judge::judge_env_file(&env.example, env.env_keys.as_ref()));
    }
    checks
}

/// Each built service's context, read as `devbox context` reads it (nothing is sent).
pub async fn build_context_facts(project: &Project) -> Vec<judge::BuildContextFact> {
    let targets: Vec<(String, PathBuf, String)> = project
        .services
        .iter()
        .filter_map(|(name, service)| {
            let (context, dockerfile) =
                crate::engine::image::context_report::build_target(service.build.as_ref()?);
            Some((name.0.clone(), context, dockerfile))
        })
        .collect();
    let walked = tokio::task::spawn_blocking(move || {
        targets
            .into_iter()
            .map(|(service, context, dockerfile)| judge::BuildContextFact {
                service,
                report: crate::engine::image::context_report::report(&context, &dockerfile, 0)
                    .map(|summary| summary.report)
                    .map_err(|err| err.to_string()),
            })
            .collect()
    })
    .await;
    walked.unwrap_or_else(|err| {
        vec![judge::BuildContextFact {
            service: "(all)".to_owned(),
            report: Err(format!("the context walk stopped: {err}")),
        }]
    })
}
