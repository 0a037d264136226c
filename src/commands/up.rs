//! `devbox up`: load the project, bring it up through `engine::up` with progress bars
//! (indicatif), then (without `-d`) follow the containers' logs with one colour per service;
//! the first Ctrl-C stops the stack gracefully, a second one kills it.

mod overrides;

use std::collections::HashMap;
use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::StreamExt;
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::commands::out::OutputError;
use crate::commands::project::{ProjectArgs, print_warnings};
use crate::commands::watch::{WatchArgs, watch_project};
use crate::engine::connect::client::connect;
use crate::engine::error::StackError;
use crate::engine::image::images::BuildPolicy;
use crate::engine::observe::logs::{LogEvent, LogOptions, LogSource, merged_logs};
use crate::engine::progress::{Progress, Reporter, Step};
use crate::engine::stack::state::project_containers;
use crate::engine::stack::up::{RecreatePolicy, UpOptions, up};
use crate::error::{CliResult, code, exit};

#[derive(Debug, clap::Args)]
pub struct UpArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// Detached mode: start the containers and return.
    #[arg(short = 'd', long)]
    pub detach: bool,
    /// Wait until services are running and healthy (implies --detach).
    #[arg(long)]
    pub wait: bool,
    /// Maximum seconds to wait for dependencies and with --wait.
    #[arg(long = "wait-timeout", value_name = "SECONDS")]
    pub wait_timeout: Option<u64>,
    /// Build images before starting containers.
    #[arg(long, conflicts_with = "no_build")]
    pub build: bool,
    /// Don't build an image, even if it's missing.
    #[arg(long = "no-build")]
    pub no_build: bool,
    /// Recreate containers even if their configuration and image haven't changed.
    #[arg(long = "force-recreate", conflicts_with = "no_recreate")]
    pub force_recreate: bool,
    /// If containers already exist, don't recreate them.
    #[arg(long = "no-recreate")]
    pub no_recreate: bool,
    /// Remove containers for services not defined in the compose file.
    #[arg(long = "remove-orphans")]
    pub remove_orphans: bool,
    /// Don't start linked services.
    #[arg(long = "no-deps")]
    pub no_deps: bool,
    /// Create the containers, networks and volumes, but start nothing.
    #[arg(long = "no-start", conflicts_with_all = ["detach", "wait", "watch"])]
    pub no_start: bool,
    /// Produce monochrome output.
    #[arg(long = "no-color")]
    pub no_color: bool,
    /// Apply the services' `develop.watch` rules while the stack runs. With `-d` (or `--wait`)
    /// the stack runs detached and devbox keeps watching in the foreground (Compose refuses
    /// that combination, docker/compose#11344); Ctrl-C then stops watching, not the stack.
    #[arg(long)]
    pub watch: bool,
    /// Pull images before starting: always, missing or never (overrides each service's
    /// `pull_policy`).
    #[arg(long, value_name = "POLICY", value_parser = ["always", "missing", "never"])]
    pub pull: Option<String>,
    /// Run NUM containers of SERVICE (overrides `scale` and `deploy.replicas`); repeatable.
    #[arg(long = "scale", value_name = "SERVICE=NUM", value_parser = overrides::parse_scale)]
    pub scale: Vec<(String, i64)>,
    /// Services to start (default: all), with their dependencies.
    pub services: Vec<String>,
}

pub async fn run(args: UpArgs) -> CliResult {
    // Services named on the command line are enabled whatever their profiles (as Compose).
    let mut request = args.project.request()?;
    request.services = args.services.clone();
    let loaded = crate::fsio::compose::load_project(&request).map_err(miette::Report::new)?;
    print_warnings(&loaded.warnings);
    let mut project = loaded.project;
    overrides::apply(&mut project, args.pull.as_deref(), &args.scale)?;
    let engine = connect().await?;
    let docker = engine.docker;
    let options = UpOptions {
        services: args.services.clone(),
        no_deps: args.no_deps,
        recreate: if args.force_recreate {
            RecreatePolicy::Force
        } else if args.no_recreate {
            RecreatePolicy::Never
        } else {
            RecreatePolicy::Diverged
        },
        build: if args.build {
            BuildPolicy::Always
        } else if args.no_build {
            BuildPolicy::Never
        } else {
            BuildPolicy::IfMissing
        },
        remove_orphans: args.remove_orphans
            || std::env::var("COMPOSE_REMOVE_ORPHANS").is_ok_and(|v| v == "1" || v == "true"),
        wait: args.wait,
        wait_timeout: args.wait_timeout.map(Duration::from_secs),
        no_start: args.no_start,
    };
    let reporter = Arc::new(CliReporter::new());
    let started_at = unix_now();
    let result = tokio::select! {
        r = up(&docker, &project, &options, reporter.clone()) => r,
        _ = tokio::signal::ctrl_c() => Err(StackError::Interrupted),
    };
    reporter.finish();
    let outcome = match result {
        Ok(outcome) => outcome,
        Err(err) => {
            report_leftovers(&docker, &project.name).await;
            return Err(miette::Report::new(err));
        }
    };
    let watch_args = args.watch.then(|| WatchArgs {
        project: args.project.clone(),
        services: args.services.clone(),
        no_initial_sync: false,
    });
    if args.no_start {
        return Ok(ExitCode::SUCCESS);
    }
    if args.detach || args.wait {
        return match &watch_args {
            Some(watch_args) => watch_project(&project, watch_args).await,
            None => Ok(ExitCode::SUCCESS),
        };
    }
    let sources: Vec<LogSource> = outcome
        .containers
        .iter()
        .map(|c| LogSource {
            service: c.service.clone(),
            name: c.name.clone(),
            id: c.id.clone(),
        })
        .collect();
    let attached = attach(&docker, &project, sources, started_at, !args.no_color);
    let Some(watch_args) = watch_args else {
        return attached.await;
    };
    // Logs and watch together. The attached logs own Ctrl-C (graceful stop, then kill), so the
    // command ends when they do; watch ending first (Ctrl-C, or an error) leaves them running.
    let watching = watch_project(&project, &watch_args);
    tokio::pin!(attached, watching);
    let mut watch_running = true;
    loop {
        tokio::select! {
            result = &mut attached => return result,
            result = &mut watching, if watch_running => {
                watch_running = false;
                if let Err(report) = result {
                    crate::errln!("watch stopped: {report:?}");
                }
            }
        }
    }
}

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(0))
        .unwrap_or(0)
}

/// After a failure: name what exists now, so the user knows what `devbox down` will remove.
async fn report_leftovers(docker: &bollard::Docker, project: &str) {
    let Ok(containers) = project_containers(docker, project).await else {
        return;
    };
    let networks = crate::engine::stack::resources::project_networks(docker, project)
        .await
        .unwrap_or_default();
    if containers.is_empty() && networks.is_empty() {
        return;
    }
    crate::errln!("Created before the failure (remove with `devbox down`):");
    for c in &containers {
        crate::errln!("  container {} ({})", c.name, c.state);
    }
    for (name, _) in &networks {
        crate::errln!("  network {name}");
    }
}

/// Follows the logs; Ctrl-C stops the containers (stop_signal, stop_grace_period), a second
/// Ctrl-C kills them.
async fn attach(
    docker: &bollard::Docker,
    project: &crate::domain::compose::Project,
    sources: Vec<LogSource>,
    since: i64,
    colour: bool,
) -> CliResult {
    let names: Vec<&str> = sources.iter().map(|s| s.name.as_str()).collect();
    crate::outln!("Attaching to {}", names.join(", "))?;
    let printer = LinePrinter::new(
        &sources,
        colour && std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    );
    let options = LogOptions {
        follow: true,
        tail: None,
        since: Some(since - 1),
        timestamps: false,
    };
    let mut logs = Box::pin(merged_logs(docker, &sources, &options));
    let mut open = sources.len();
    loop {
        tokio::select! {
            event = logs.next() => match event {
                Some(LogEvent::Line { name, text, .. }) => printer.line(&name, &text)?,
                Some(LogEvent::Ended { name, .. }) => {
                    if let Ok(inspect) = docker.inspect_container(&sources.iter().find(|s| s.name == name).map(|s| s.id.clone()).unwrap_or_default(), None::<bollard::query_parameters::InspectContainerOptions>).await {
                        let code = inspect.state.and_then(|s| s.exit_code).unwrap_or(0);
                        printer.line(&name, &format!("exited with code {code}"))?;
                    }
                    open = open.saturating_sub(1);
                    if open == 0 { break; }
                }
                None => break,
            },
            _ = tokio::signal::ctrl_c() => {
                crate::errln!("Gracefully stopping... (press Ctrl+C again to force)");
                return stop_stack(docker, project, &sources, logs, &printer).await;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn stop_stack(
    docker: &bollard::Docker,
    project: &crate::domain::compose::Project,
    sources: &[LogSource],
    mut logs: std::pin::Pin<Box<impl futures_util::Stream<Item = LogEvent>>>,
    printer: &LinePrinter,
) -> CliResult {
    let reporter = Arc::new(CliReporter::new());
    let stop_all = async {
        let graph_order = crate::domain::compose::graph::start_order(project).unwrap_or_default();
        for service in graph_order.iter().rev() {
            let batch = sources.iter().filter(|s| s.service == service.as_str());
            futures_util::future::join_all(batch.map(|s| {
                let reporter = reporter.clone();
                async move {
                    crate::engine::progress::container(
                        reporter.as_ref(),
                        &s.service,
                        &s.name,
                        Step::Stopping,
                    );
                    let target = crate::engine::stack::stop::Target {
                        id: &s.id,
                        name: &s.name,
                        service: &s.service,
                    };
                    // Reported per container by the steps around it; the next Ctrl-C kills.
                    let _ = crate::engine::stack::stop::stop(
                        docker,
                        target,
                        None,
                        None,
                        reporter.as_ref(),
                    )
                    .await;
                    crate::engine::progress::container(
                        reporter.as_ref(),
                        &s.service,
                        &s.name,
                        Step::Stopped,
                    );
                }
            }))
            .await;
        }
    };
    // Keep printing what the containers say while they shut down.
    tokio::pin!(stop_all);
    let outcome = loop {
        tokio::select! {
            () = &mut stop_all => break Ok(ExitCode::SUCCESS),
            Some(event) = logs.next() => {
                if let LogEvent::Line { name, text, .. } = event {
                    printer.line(&name, &text)?;
                }
            }
            _ = tokio::signal::ctrl_c() => {
                for s in sources {
                    crate::engine::progress::container(reporter.as_ref(), &s.service, &s.name, Step::Killing);
                    let _ = docker.kill_container(&s.id, None::<bollard::query_parameters::KillContainerOptions>).await;
                }
                break Ok(code(exit::INTERRUPTED));
            }
        }
    };
    reporter.finish();
    outcome
}

/// Prefixes each log line with the container name, padded, in its service's colour.
pub struct LinePrinter {
    width: usize,
    colours: HashMap<String, &'static str>,
}

const PALETTE: &[&str] = &["36", "33", "32", "35", "34", "96", "93", "92", "95", "94"];

impl LinePrinter {
    pub fn new(sources: &[LogSource], colour: bool) -> Self {
        let width = sources.iter().map(|s| s.name.len()).max().unwrap_or(0);
        let mut services: Vec<&str> = sources.iter().map(|s| s.service.as_str()).collect();
        services.dedup();
        let mut colours = HashMap::new();
        if colour {
            let mut by_service: HashMap<&str, &'static str> = HashMap::new();
            for s in sources {
                let next = PALETTE[by_service.len() % PALETTE.len()];
                let c = *by_service.entry(s.service.as_str()).or_insert(next);
                colours.insert(s.name.clone(), c);
            }
        }
        Self { width, colours }
    }

    pub fn line(&self, name: &str, text: &str) -> Result<(), OutputError> {
        let prefix = format!("{name:<width$} | ", width = self.width);
        match self.colours.get(name) {
            Some(c) => crate::outln!("\u{1b}[{c}m{prefix}\u{1b}[0m{text}"),
            None => crate::outln!("{prefix}{text}"),
        }
    }
}

/// Draws progress on stderr: one line per resource (spinner while working, ✔ when done),
/// byte bars for image layers; plain lines when stderr is not a terminal.
pub struct CliReporter {
    multi: MultiProgress,
    bars: Mutex<HashMap<String, ProgressBar>>,
    tty: bool,
}

impl Default for CliReporter {
    fn default() -> Self {
        Self::new()
    }
}

impl CliReporter {
    pub fn new() -> Self {
        let tty = std::io::stderr().is_terminal();
        let target = if tty {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        };
        Self {
            multi: MultiProgress::with_draw_target(target),
            bars: Mutex::new(HashMap::new()),
            tty,
        }
    }

    pub fn finish(&self) {
        if let Ok(bars) = self.bars.lock() {
            for bar in bars.values() {
                if !bar.is_finished() {
                    bar.abandon();
                }
            }
        }
    }

    fn bar(&self, key: &str, style: &ProgressStyle) -> Option<ProgressBar> {
        let mut bars = self.bars.lock().ok()?;
        Some(
            bars.entry(key.to_owned())
                .or_insert_with(|| {
                    let bar = self.multi.add(ProgressBar::new_spinner());
                    bar.set_style(style.clone());
                    bar.enable_steady_tick(Duration::from_millis(120));
                    bar
                })
                .clone(),
        )
    }
}

fn done_step(step: Step) -> bool {
    matches!(
        step,
        Step::Created
            | Step::Recreated
            | Step::Running
            | Step::Started
            | Step::Healthy
            | Step::Completed
            | Step::Exited
            | Step::Stopped
            | Step::Killed
            | Step::Restarted
            | Step::Removed
            | Step::Built
            | Step::Pulled
            | Step::Pushed
            | Step::Error
    )
}

impl Reporter for CliReporter {
    fn report(&self, progress: Progress) {
        let spinner = ProgressStyle::with_template(" {spinner} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner());
        match progress {
            Progress::Step {
                service: _,
                resource,
                name,
                step,
                detail,
            } => {
                let detail = if detail.is_empty() {
                    String::new()
                } else {
                    format!("  ({detail})")
                };
                let text = format!("{} {name}  {}{detail}", resource.word(), step.word());
                if !self.tty {
                    crate::errln!(" {text}");
                    return;
                }
                if let Some(bar) = self.bar(&format!("{}:{name}", resource.word()), &spinner) {
                    if done_step(step) {
                        let mark = if step == Step::Error { "✘" } else { "✔" };
                        bar.set_style(
                            ProgressStyle::with_template(" {msg}")
                                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
                        );
                        bar.finish_with_message(format!("{mark} {text}"));
                    } else {
                        bar.set_message(text);
                    }
                }
            }
            Progress::BuildLine { service, line } => {
                if !self.tty {
                    crate::errln!(" {service} build: {line}");
                } else if let Some(bar) = self.bar(&format!("build:{service}"), &spinner) {
                    bar.set_message(format!("Building {service}: {line}"));
                    let _ = self.multi.println(format!("   {service} | {line}"));
                }
            }
            Progress::StopPending {
                name, signal, left, ..
            } => {
                let text = format!(
                    " Container {name}  Waiting  (waiting for {name} to stop: {signal} sent, killed in {left} s)"
                );
                if self.tty {
                    let _ = self.multi.println(text);
                } else {
                    crate::errln!("{text}");
                }
            }
            // Compose prints a hook's output as `<container> -> <line>`.
            Progress::HookLine { name, line, .. } => {
                if self.tty {
                    let _ = self.multi.println(format!("{name} -> {line}"));
                } else {
                    crate::errln!("{name} -> {line}");
                }
            }
            Progress::PullLayer {
                service: _,
                image,
                layer,
                status,
                current,
                total,
            } => {
                let style = ProgressStyle::with_template(" {msg} {bar:30} {bytes}/{total_bytes}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar());
                let finished =
                    status.starts_with("Pull complete") || status.starts_with("Already exists");
                if !self.tty {
                    // A log gets one line per layer when it is done, with the bytes the
                    // download reported (kept on a hidden bar meanwhile).
                    let bar = self.bar(&format!("layer:{image}:{layer}"), &style);
                    if let (Some(bar), true) = (&bar, total > 0) {
                        bar.set_length(total);
                    }
                    if finished {
                        let size = bar
                            .and_then(|b| b.length())
                            .map(|n| format!(" ({})", crate::domain::format::human_bytes(n)))
                            .unwrap_or_default();
                        crate::errln!("{image} layer {layer} {status}{size}");
                    }
                    return;
                }
                if let Some(bar) = self.bar(&format!("layer:{image}:{layer}"), &style) {
                    if total > 0 {
                        bar.set_length(total);
                        bar.set_position(current);
                    }
                    bar.set_message(format!("{image} {layer} {status}"));
                    if finished {
                        bar.finish_and_clear();
                    }
                }
            }
            Progress::Warning(text) => {
                if self.tty {
                    let _ = self.multi.println(format!("WARN {text}"));
                } else {
                    crate::errln!("WARN {text}");
                }
            }
        }
    }
}
