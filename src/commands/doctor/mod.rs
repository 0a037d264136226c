//! `devbox doctor`: the onboarding checklist. Gathers facts about the engine, this machine and
//! the project in the current folder, judges them with `domain::doctor`, and prints a ✓/✗
//! checklist (or JSON) with one fix per problem. Exits 1 when a stack cannot run.

mod fix;
mod ports;
mod project;

use std::path::Path;
use std::process::ExitCode;

use serde::Serialize;

use crate::commands::project::ProjectArgs;
use crate::domain::doctor::project as judge;
use crate::domain::doctor::{self, Check, Verdict};
use crate::engine::connect::client::{self, ConnectError};
use crate::error::{CliResult, code, exit};

#[derive(Debug, clap::Args)]
pub struct DoctorArgs {
    /// Print the checklist as JSON.
    #[arg(long)]
    pub json: bool,
    /// Apply the safe fixes: create `.env` from `.env.example` (asking for values that have
    /// none when a terminal is attached) or add its missing keys. Nothing is run with sudo.
    #[arg(long)]
    pub fix: bool,
    #[command(flatten)]
    pub project: ProjectArgs,
}

#[derive(Serialize)]
struct Report<'a> {
    ok: bool,
    checks: &'a [Check],
}

pub async fn run(args: DoctorArgs) -> CliResult {
    let (engine, mut checks) = gather().await;
    checks.extend(project_checks(&args, engine.as_ref()).await?);
    let ok = !doctor::blocks_stack(&checks);
    if args.json {
        let text = serde_json::to_string_pretty(&Report {
            ok,
            checks: &checks,
        })
        .map_err(|err| miette::miette!("could not encode the report as JSON: {err}"))?;
        crate::outln!("{text}")?;
    } else {
        crate::out!("{}", render(&checks))?;
    }
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        code(exit::FINDINGS)
    })
}

/// Gathers the engine's and the machine's facts and judges them.
async fn gather() -> (Option<client::Engine>, Vec<Check>) {
    let mut checks = Vec::new();
    let mut connected = None;
    match client::resolve_endpoint() {
        Err(err) => checks.push(Check::fail(
            "endpoint",
            "engine endpoint",
            err.to_string(),
            "fix the docker context or DOCKER_HOST setting named above",
        )),
        Ok(endpoint) => {
            checks.push(Check::pass(
                "endpoint",
                "engine endpoint",
                format!(
                    "{} (context {}, from {})",
                    endpoint.host, endpoint.context, endpoint.source
                ),
            ));
            let local = endpoint.host.starts_with("unix://");
            match client::connect_to(endpoint).await {
                Ok(engine) => {
                    checks.extend(engine_checks(&engine, local).await);
                    connected = Some(engine);
                }
                Err(err) => checks.push(unreachable_check(err)),
            }
        }
    }
    checks.push(doctor::judge_inotify(
        "max_user_watches",
        read_proc_number("/proc/sys/fs/inotify/max_user_watches"),
        doctor::MIN_INOTIFY_WATCHES,
    ));
    checks.push(doctor::judge_inotify(
        "max_user_instances",
        read_proc_number("/proc/sys/fs/inotify/max_user_instances"),
        doctor::MIN_INOTIFY_INSTANCES,
    ));
    (connected, checks)
}

/// The checks of the project in the current folder (none when there is no compose file).
async fn project_checks(
    args: &DoctorArgs,
    engine: Option<&client::Engine>,
) -> Result<Vec<Check>, miette::Report> {
    let (project, vars) = match project::load(&args.project)? {
        project::ProjectFacts::Missing(check) => return Ok(vec![check]),
        project::ProjectFacts::Loaded(project, vars) => (project, vars),
    };
    let mut checks = vec![Check::pass(
        "compose",
        "compose files load",
        format!(
            "project {} from {} ({} services)",
            project.name,
            project.compose_files.join(", "),
            project.services.len()
        ),
    )];
    let dir = std::path::PathBuf::from(&project.working_dir);
    let mut env = project::read_env_files(&dir);
    if args.fix
        && let Some(done) = fix::env_file(&env)?
    {
        crate::errln!("fixed: {done}");
        env = project::read_env_files(&dir);
    }
    checks.extend(project::env_checks(&project, &vars, &env));
    let docker = engine.map(|e| &e.docker);
    let ports = project::published_ports(&project);
    checks.push(judge::judge_ports(
        &project::port_holders(docker, &project.name, ports).await,
    ));
    if let Some(docker) = docker {
        checks.push(judge::judge_images(
            &project::image_facts(docker, &project).await,
        ));
    }
    let contexts = project::build_context_facts(&project).await;
    if !contexts.is_empty() {
        checks.push(judge::judge_build_contexts(&contexts));
    }
    let dirs = project::watch_dir_count(&project)?;
    if dirs > 0 {
        checks.push(judge::judge_watch_dirs(
            dirs,
            read_proc_number("/proc/sys/fs/inotify/max_user_watches"),
        ));
    }
    Ok(checks)
}

fn unreachable_check(err: ConnectError) -> Check {
    match err {
        ConnectError::Unreachable {
            host, reason, fix, ..
        } => Check::fail(
            "engine",
            "Docker engine answers",
            format!("{host}: {reason}"),
            fix,
        ),
        ConnectError::Endpoint(err) => Check::fail(
            "engine",
            "Docker engine answers",
            err.to_string(),
            "fix the docker context or DOCKER_HOST setting named above",
        ),
    }
}

async fn engine_checks(engine: &client::Engine, local: bool) -> Vec<Check> {
    let mut checks = Vec::new();
    let version = engine.docker.version().await.ok();
    let server = version
        .as_ref()
        .and_then(|v| v.version.clone())
        .unwrap_or_else(|| "?".into());
    let kind = doctor::EngineKind::detect(
        version
            .as_ref()
            .and_then(|v| v.platform.as_ref())
            .map(|p| p.name.as_str()),
        version
            .as_ref()
            .and_then(|v| v.components.as_ref())
            .into_iter()
            .flatten()
            .map(|c| c.name.as_str()),
    );
    checks.push(Check::pass(
        "engine",
        "Docker engine answers",
        format!(
            "{} {server}, API {} negotiated, at {}",
            kind.label(),
            engine.api_version,
            engine.endpoint.host
        ),
    ));
    checks.push(doctor::judge_engine_features(kind, &server));
    match engine.docker.info().await {
        Ok(info) => {
            let driver = info.driver.unwrap_or_else(|| "?".into());
            checks.push(Check::pass("storage", "storage driver", driver));
            let root = info
                .docker_root_dir
                .unwrap_or_else(|| "/var/lib/docker".into());
            // The data root is a path on the engine's host: only measurable when that is us.
            let free = if local {
                free_space(Path::new(&root))
            } else {
                None
            };
            checks.push(doctor::judge_disk(&root, free));
        }
        Err(err) => checks.push(Check::warn(
            "storage",
            "engine info",
            format!("GET /info failed: {err}"),
            "check the engine's logs (`journalctl -u docker`)",
        )),
    }
    checks
}

fn free_space(path: &Path) -> Option<u64> {
    fs4::available_space(path).ok()
}

fn read_proc_number(path: &str) -> Option<u64> {
    std::fs::read_to_string(path).ok()?.trim().parse().ok()
}

/// The checklist for a person: a mark, the title, what was found, and the fix under each ✗/!.
pub fn render(checks: &[Check]) -> String {
    let mut out = String::new();
    for check in checks {
        let mark = match check.verdict {
            Verdict::Pass => "✓",
            Verdict::Warn => "!",
            Verdict::Fail => "✗",
        };
        out.push_str(&format!("{mark} {}: {}\n", check.title, check.detail));
        if let Some(fix) = &check.fix {
            out.push_str(&format!("    fix: {fix}\n"));
        }
    }
    if doctor::blocks_stack(checks) {
        out.push_str("\nA stack cannot run until the ✗ items are fixed.\n");
    } else {
        out.push_str("\nReady to run a stack.\n");
    }
    out
}
