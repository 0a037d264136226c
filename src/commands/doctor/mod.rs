//! `devbox doctor`: gathers facts about the engine and this machine, judges them with
//! `domain::doctor`, and prints a ✓/✗ checklist (or JSON). Exits 1 when a stack cannot run.

use std::path::Path;
use std::process::ExitCode;

use serde::Serialize;

use crate::domain::doctor::{self, Check, Verdict};
use crate::engine::client::{self, ConnectError};
use crate::error::{CliResult, code, exit};

#[derive(Debug, clap::Args)]
pub struct DoctorArgs {
    /// Print the checklist as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct Report<'a> {
    ok: bool,
    checks: &'a [Check],
}

pub async fn run(args: DoctorArgs) -> CliResult {
    let checks = gather().await;
    let ok = !doctor::blocks_stack(&checks);
    if args.json {
        let text = serde_json::to_string_pretty(&Report {
            ok,
            checks: &checks,
        })
        .map_err(|err| miette::miette!("could not encode the report as JSON: {err}"))?;
        println!("{text}");
    } else {
        print!("{}", render(&checks));
    }
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        code(exit::FINDINGS)
    })
}

/// Gathers every fact and judges it.
async fn gather() -> Vec<Check> {
    let mut checks = Vec::new();
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
                Ok(engine) => checks.extend(engine_checks(&engine, local).await),
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
    checks
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
    checks.push(Check::pass(
        "engine",
        "Docker engine answers",
        format!("server {server}, API {} negotiated", engine.api_version),
    ));
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
