//! `devbox context [SERVICE|DIR]`: what a build would send, read with the build's own walk
//! and `.dockerignore` semantics, without sending anything: bytes and entries, the largest
//! parts, what each ignore line saves, what to add, and sources the builder will not get.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::commands::project::{ProjectArgs, load_project, print_warnings};
use crate::domain::build_context::MissingReason;
use crate::domain::format::{counted, human_bytes, thousands};
use crate::engine::image::context_report::{ContextSummary, build_target, report};
use crate::error::{CliResult, code, exit};

#[derive(Debug, clap::Args)]
pub struct ContextArgs {
    /// A service of the compose project (default: every service with a build), or, outside
    /// a compose project, the context directory (default: `.`).
    pub target: Option<String>,
    /// The Dockerfile, relative to the context, when no compose file says which.
    #[arg(long, value_name = "NAME", default_value = "Dockerfile")]
    pub dockerfile: String,
    /// How many of the largest entries and files to list.
    #[arg(long, default_value_t = 10)]
    pub top: usize,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub project: ProjectArgs,
}

/// One context to report on.
struct Target {
    service: Option<String>,
    context: PathBuf,
    dockerfile: String,
}

/// Exits 1 when a `COPY`/`ADD` source is kept from the builder (the build would fail or copy
/// less), so CI can run it; 2 when the context cannot be read.
pub async fn run(args: ContextArgs) -> CliResult {
    let targets = targets(&args)?;
    let top = args.top;
    let summaries = tokio::task::spawn_blocking(move || {
        targets
            .into_iter()
            .map(|t| report(&t.context, &t.dockerfile, top).map(|s| (t.service, s)))
            .collect::<Result<Vec<_>, _>>()
    })
    .await
    .map_err(|err| miette::miette!("the context walk stopped: {err}"))??;
    let findings = summaries.iter().any(|(_, s)| !s.report.missing.is_empty());
    if args.json {
        let value: Vec<serde_json::Value> = summaries
            .iter()
            .map(|(service, summary)| {
                let mut v = serde_json::to_value(summary).unwrap_or_default();
                if let (Some(map), Some(name)) = (v.as_object_mut(), service) {
                    map.insert("service".into(), name.clone().into());
                }
                v
            })
            .collect();
        let text = serde_json::to_string_pretty(&value)
            .map_err(|err| miette::miette!("could not write the report as JSON: {err}"))?;
        crate::outln!("{text}")?;
    } else {
        for (i, (service, summary)) in summaries.iter().enumerate() {
            if i > 0 {
                crate::outln!()?;
            }
            print_summary(service.as_deref(), summary)?;
        }
    }
    Ok(if findings {
        code(exit::FINDINGS)
    } else {
        ExitCode::SUCCESS
    })
}

fn targets(args: &ContextArgs) -> Result<Vec<Target>, miette::Report> {
    let cwd = std::env::current_dir()
        .map_err(|err| miette::miette!("cannot read the current directory: {err}"))?;
    let mut ignored = Vec::new();
    let in_project = !args.project.files.is_empty()
        || args.project.project_directory.is_some()
        || crate::fsio::compose::discover(&cwd, &mut ignored).is_some();
    let plain = |dir: &Path| {
        if !dir.is_dir() {
            return Err(miette::miette!(
                help = "name a service of the compose project, or a directory to use as the build context",
                "{} is not a directory",
                dir.display()
            ));
        }
        Ok(vec![Target {
            service: None,
            context: dir.to_path_buf(),
            dockerfile: args.dockerfile.clone(),
        }])
    };
    if !in_project {
        return match &args.target {
            Some(dir) => plain(&cwd.join(dir)),
            None => plain(&cwd),
        };
    }
    let loaded = load_project(&args.project)?;
    print_warnings(&loaded.warnings);
    let project = loaded.project;
    let with_build = |name: &str, service: &crate::domain::compose::Service| {
        service.build.as_ref().map(|build| {
            let (context, dockerfile) = build_target(build);
            Target {
                service: Some(name.to_owned()),
                context,
                dockerfile,
            }
        })
    };
    match &args.target {
        Some(name) => match project.services.get(name.as_str()) {
            Some(service) => with_build(name, service).map(|t| vec![t]).ok_or_else(|| {
                miette::miette!(
                    help = "add a `build:` section to it, or name a service that has one",
                    "service \"{name}\" has no build: it runs the image {}",
                    service.image_or_default(&project.name)
                )
            }),
            None if cwd.join(name).is_dir() => plain(&cwd.join(name)),
            None => Err(miette::miette!(
                help = format!(
                    "services: {}",
                    project
                        .services
                        .keys()
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                "no service \"{name}\" in the compose project, and no directory of that name"
            )),
        },
        None => {
            let all: Vec<Target> = project
                .services
                .iter()
                .filter_map(|(name, service)| with_build(&name.0, service))
                .collect();
            if all.is_empty() {
                return Err(miette::miette!(
                    help = "every service runs a prebuilt image; `devbox context DIR` reports on a directory",
                    "no service of the compose project has a build"
                ));
            }
            Ok(all)
        }
    }
}

fn files(n: u64) -> String {
    counted(n, "file", "files")
}

/// A path as the user would type it from here: relative to the current directory when inside it.
fn shown(path: &Path) -> String {
    let Ok(cwd) = std::env::current_dir() else {
        return path.display().to_string();
    };
    match path.strip_prefix(&cwd) {
        Ok(rel) if rel.as_os_str().is_empty() => ".".to_owned(),
        Ok(rel) => rel.display().to_string(),
        Err(_) => path.display().to_string(),
    }
}

fn print_summary(service: Option<&str>, s: &ContextSummary) -> Result<(), miette::Report> {
    let r = &s.report;
    let what = service.map_or_else(String::new, |name| format!("{name}: "));
    let ignore = s
        .ignore_file
        .as_ref()
        .map_or_else(|| "no .dockerignore".to_owned(), |p| shown(p));
    let dockerfile = if s.dockerfile.is_empty() {
        "inline Dockerfile".to_owned()
    } else {
        s.dockerfile.clone()
    };
    crate::outln!(
        "{what}build context {} ({dockerfile}, {ignore})",
        shown(&s.context)
    )?;
    crate::outln!(
        "  sends      {} in {}, {}, {} (a {} tar)",
        human_bytes(r.sent.bytes),
        files(r.sent.files),
        counted(r.sent.dirs, "directory", "directories"),
        counted(r.sent.links, "link", "links"),
        human_bytes(r.tar_bytes)
    )?;
    crate::outln!(
        "  keeps out  {} in {}",
        human_bytes(r.excluded.bytes),
        files(r.excluded.files)
    )?;
    for saving in &r.savings {
        crate::outln!(
            "    {:>10}  {:>12}  line {:<4} {}",
            human_bytes(saving.saves.bytes),
            files(saving.saves.files),
            saving.line,
            saving.pattern
        )?;
    }
    if !r.largest_entries.is_empty() {
        crate::outln!("  largest entries at the root:")?;
        for e in &r.largest_entries {
            let files = if e.tally.dirs > 0 {
                format!("  ({})", files(e.tally.files))
            } else {
                String::new()
            };
            crate::outln!("    {:>10}  {}{files}", human_bytes(e.tally.bytes), e.path)?;
        }
    }
    if !r.largest_files.is_empty() {
        crate::outln!("  largest files:")?;
        for f in &r.largest_files {
            crate::outln!("    {:>10}  {}", human_bytes(f.tally.bytes), f.path)?;
        }
    }
    if r.suggestions.is_empty() {
        crate::outln!("  nothing to add to .dockerignore")?;
    } else {
        crate::outln!("  add to .dockerignore:")?;
        for sug in &r.suggestions {
            crate::outln!(
                "    {:<24} {:<15} saves {} in {} (e.g. {})",
                sug.lines.join("  "),
                sug.why.label(),
                human_bytes(sug.saves.bytes),
                files(sug.saves.files),
                sug.examples.join(", ")
            )?;
        }
    }
    if let Some(problem) = &s.dockerfile_problem {
        crate::outln!("  COPY/ADD sources not checked: {problem}")?;
    }
    for m in &r.missing {
        let why = match &m.reason {
            MissingReason::Excluded {
                ignore_line: Some(line),
            } => format!("excluded by {ignore}:{line}"),
            MissingReason::Excluded { ignore_line: None } => format!("excluded by {ignore}"),
            MissingReason::OnlyExcludedMatch => {
                format!("matches only files {ignore} excludes")
            }
        };
        crate::outln!(
            "  error: {}:{}: `{}` is {why}; the build fails or copies nothing (add `!{}` after that line, or remove it)",
            shown(&s.context.join(&s.dockerfile)),
            m.line,
            m.source,
            m.source.trim_start_matches("./")
        )?;
    }
    if s.unmeasured > 0 {
        crate::outln!(
            "  note: {} excluded entries could not be read to measure them",
            thousands(s.unmeasured)
        )?;
    }
    Ok(())
}
