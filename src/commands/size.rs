//! `devbox size [IMAGE|SERVICE]`: per-layer sizes with the instruction behind each, wasted
//! bytes traced to the layer that wrote them and the one that removed them, an efficiency
//! score, suggestions, and CI thresholds.

use std::process::ExitCode;

use crate::commands::project::{ProjectArgs, load_project};
use crate::domain::compose::{Project, Service};
use crate::domain::dockerfile::Dockerfile;
use crate::domain::doctor::human_bytes;
use crate::domain::size::{self, SizeReport, WasteKind};
use crate::engine::{connect::client, image::size::analyse_image};
use crate::error::{CliResult, code, exit};

#[derive(Debug, clap::Args)]
pub struct SizeArgs {
    /// A service of the compose project, or an image (a name, `name:tag` or an ID).
    /// Without it, every service's image that exists locally is analysed.
    pub target: Option<String>,
    /// Print the analysis as JSON.
    #[arg(long)]
    pub json: bool,
    /// Fail (exit 1) when the image is larger than this (e.g. `200MB`, `1.5GiB`).
    #[arg(long, value_name = "SIZE")]
    pub max_size: Option<String>,
    /// Fail (exit 1) when the efficiency is below this (0.0–1.0, or a percentage like `90%`).
    #[arg(long, value_name = "RATIO")]
    pub min_efficiency: Option<String>,
    /// How many layers and wasted files to list.
    #[arg(long, default_value_t = 10)]
    pub top: usize,
    #[command(flatten)]
    pub project: ProjectArgs,
}

/// An image to analyse, and the base-image advice its service's Dockerfile earns.
struct Target {
    image: String,
    advice: Option<String>,
}

pub async fn run(args: SizeArgs) -> CliResult {
    let max_size = match &args.max_size {
        Some(text) => Some(size::parse_size(text).ok_or_else(|| {
            miette::miette!(
                help = "write a number with an optional unit: 200MB, 1.5GiB, 512m",
                "--max-size {text:?} is not a size"
            )
        })?),
        None => None,
    };
    let min_efficiency = match &args.min_efficiency {
        Some(text) => Some(parse_ratio(text)?),
        None => None,
    };
    let engine = client::connect().await?;
    let mut reports = Vec::new();
    for target in targets(&args)? {
        let all_services = args.target.is_none();
        let mut report = match analyse_image(&engine.docker, &target.image).await {
            Ok(report) => report,
            // Without a named target, an image not built yet is skipped, not an error.
            Err(crate::engine::image::size::SizeError::NotFound { image, .. }) if all_services => {
                crate::errln!("skipped {image}: not built or pulled yet (`devbox up --build`)");
                continue;
            }
            Err(err) => return Err(err.into()),
        };
        report.suggestions.extend(target.advice);
        reports.push(report);
    }
    if args.json {
        let value = if args.target.is_some() && reports.len() == 1 {
            serde_json::to_value(&reports[0])
        } else {
            serde_json::to_value(&reports)
        };
        let text = value
            .and_then(|v| serde_json::to_string_pretty(&v))
            .map_err(|err| miette::miette!("could not encode the report as JSON: {err}"))?;
        crate::outln!("{text}")?;
    } else {
        for report in &reports {
            crate::out!("{}", render(report, args.top))?;
        }
    }
    let broken: Vec<String> = reports
        .iter()
        .flat_map(|r| size::threshold_failures(r, max_size, min_efficiency))
        .collect();
    for message in &broken {
        crate::errln!("✗ {message}");
    }
    Ok(if broken.is_empty() {
        ExitCode::SUCCESS
    } else {
        code(exit::FINDINGS)
    })
}

/// What to analyse: a named service's image, a named image, or every service's image.
fn targets(args: &SizeArgs) -> Result<Vec<Target>, miette::Report> {
    let project = match &args.target {
        // A named target only needs the project to tell a service from an image.
        Some(_) => load_project(&args.project).ok().map(|l| l.project),
        None => Some(load_project(&args.project)?.project),
    };
    let service_target = |project: &Project, service: &Service| Target {
        image: service.image_or_default(&project.name),
        advice: base_advice(service),
    };
    Ok(match (&args.target, project) {
        (Some(name), Some(project)) => match project.services.get(name.as_str()) {
            Some(service) => vec![service_target(&project, service)],
            None => vec![Target {
                image: name.clone(),
                advice: None,
            }],
        },
        (Some(name), None) => vec![Target {
            image: name.clone(),
            advice: None,
        }],
        (None, Some(project)) => {
            let mut seen = std::collections::BTreeSet::new();
            project
                .services
                .values()
                .map(|service| service_target(&project, service))
                .filter(|t| seen.insert(t.image.clone()))
                .collect()
        }
        (None, None) => Vec::new(),
    })
}

/// The source document's base-image advice for the final stage of the service's Dockerfile.
fn base_advice(service: &Service) -> Option<String> {
    let build = service.build.as_ref()?;
    let text = if build.dockerfile_inline.is_empty() {
        let name = if build.dockerfile.is_empty() {
            "Dockerfile"
        } else {
            &build.dockerfile
        };
        std::fs::read_to_string(std::path::Path::new(&build.context).join(name)).ok()?
    } else {
        build.dockerfile_inline.clone()
    };
    let dockerfile = Dockerfile::parse(&text).ok()?;
    let stage = match build.target.as_str() {
        "" => dockerfile.stages.last()?,
        target => dockerfile.stage_by_name(target)?,
    };
    size::base_image_advice(&dockerfile.root_image(stage))
}

fn parse_ratio(text: &str) -> Result<f64, miette::Report> {
    let trimmed = text.trim();
    let value = match trimmed.strip_suffix('%') {
        Some(pct) => pct.trim().parse::<f64>().map(|v| v / 100.0),
        None => trimmed.parse::<f64>(),
    };
    match value {
        Ok(v) if (0.0..=1.0).contains(&v) => Ok(v),
        _ => Err(miette::miette!(
            help = "write a ratio from 0 to 1 (0.9) or a percentage (90%)",
            "--min-efficiency {text:?} is not a ratio"
        )),
    }
}

/// The report for a person.
pub fn render(report: &SizeReport, top: usize) -> String {
    let mut out = format!(
        "{}: {} in {} layers, {} wasted, efficiency {:.1}%\n",
        report.image,
        human_bytes(report.total),
        report.layers.len(),
        human_bytes(report.wasted),
        report.efficiency * 100.0
    );
    let mut biggest: Vec<_> = report.layers.iter().collect();
    biggest.sort_by_key(|l| std::cmp::Reverse(l.size));
    out.push_str("\nBiggest layers:\n");
    for layer in biggest.iter().take(top) {
        let wasted = if layer.wasted > 0 {
            format!("  ({} wasted)", human_bytes(layer.wasted))
        } else {
            String::new()
        };
        out.push_str(&format!(
            "  #{:<3} {:>10}  {}{wasted}\n",
            layer.index,
            human_bytes(layer.size),
            one_line(&layer.instruction, 90)
        ));
    }
    if !report.wasted_files.is_empty() {
        out.push_str("\nWasted files:\n");
        for file in report.wasted_files.iter().take(top) {
            let how = match file.how {
                WasteKind::Deleted => "deleted",
                WasteKind::Overwritten => "overwritten",
            };
            let by = report
                .layers
                .get(file.removed_in)
                .map(|l| one_line(&l.instruction, 50))
                .unwrap_or_default();
            out.push_str(&format!(
                "  {:>10}  /{}  added in #{}, {how} in #{} ({by})\n",
                human_bytes(file.size),
                file.path,
                file.added_in,
                file.removed_in
            ));
        }
    }
    if !report.suggestions.is_empty() {
        out.push_str("\nSuggestions:\n");
        for s in &report.suggestions {
            out.push_str(&format!("  - {s}\n"));
        }
    }
    out
}

fn one_line(text: &str, max: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        flat
    } else {
        format!("{}…", flat.chars().take(max - 1).collect::<String>())
    }
}
