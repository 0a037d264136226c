//! `devbox init`: scan and detect the project, walk the decision tree (inquire prompts with
//! detected values preselected, or flags / `--answers FILE.toml` / `--yes`), render Dockerfile,
//! .dockerignore and compose.yaml, and write them safely (diff first, ask, `--force` keeps .bak).

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use miette::{IntoDiagnostic, miette};

use super::init_flow::settle;
use crate::domain::detect::{self, Language, PackageManager, ServiceKind};
use crate::domain::plan::diff::{Change, FilePlan, compare};
use crate::domain::plan::{self, TEMPLATES};
use crate::domain::wizard::summary::{answer_lines, detection_lines, follow_ups, refusal};
use crate::domain::wizard::{AddOn, Base, PartialAnswers, SecurityOpt, Walk};
use crate::error::{CliResult, code, exit};
use crate::fsio::scan::scan_project;
use crate::fsio::write::{Backup, PendingFile, backup_path, write_all};

/// Detect the project and write a Dockerfile, .dockerignore and compose.yaml.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct InitArgs {
    /// Project directory (default: the current directory).
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,
    /// Take the detected defaults for every question not set by a flag or the answers file.
    #[arg(short = 'y', long)]
    pub yes: bool,
    /// Language: node, python, go, rust, java, php, ruby, dotnet, deno, static.
    #[arg(long, visible_alias = "language", value_name = "LANG", value_parser = parse_lang)]
    pub lang: Option<Language>,
    /// Package manager: npm, yarn, pnpm, bun, pip, uv, poetry, maven, gradle.
    #[arg(long, value_name = "PM", value_parser = parse_pm)]
    pub package_manager: Option<PackageManager>,
    /// The project has a build step (TypeScript, bundler, static site generator).
    #[arg(long, overrides_with = "no_build_step")]
    pub build_step: bool,
    /// The project has no build step.
    #[arg(long, overrides_with = "build_step")]
    pub no_build_step: bool,
    /// Port the app listens on.
    #[arg(long, value_name = "PORT", value_parser = clap::value_parser!(u16).range(1..))]
    pub port: Option<u16>,
    /// Service kind: http or worker.
    #[arg(long, value_name = "KIND", value_parser = parse_kind)]
    pub kind: Option<ServiceKind>,
    /// Add-on services, comma separated: postgres, redis, mysql (or `none`).
    #[arg(long = "with", value_name = "LIST")]
    pub with: Option<String>,
    /// Final base: distroless or scratch (Go), debian-slim or distroless-cc (Rust), nginx or caddy (static).
    #[arg(long, value_name = "BASE", value_parser = parse_base)]
    pub base: Option<Base>,
    /// Security options, comma separated: no-new-privileges, cap-drop, read-only (or `none`).
    #[arg(long, value_name = "LIST")]
    pub security: Option<String>,
    /// Read answers from a TOML file (the format --print-answers prints); implies --yes for the rest.
    #[arg(long, value_name = "FILE")]
    pub answers: Option<PathBuf>,
    /// Print the final answers as TOML (reusable with --answers) and write nothing.
    #[arg(long)]
    pub print_answers: bool,
    /// Print the files (or a unified diff against existing ones) and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Overwrite changed files without asking; each replaced file is kept as FILE.bak.
    #[arg(long)]
    pub force: bool,
    /// Pin every base and service image to its digest (as `devbox pin` does) before writing.
    #[arg(long)]
    pub pin: bool,
    /// Print the directory where template overrides are read from, and exit.
    #[arg(long)]
    pub print_template_dir: bool,
}

fn parse_lang(s: &str) -> Result<Language, String> {
    Language::parse(s)
        .ok_or_else(|| format!("unknown language {s:?}: use node, python, go, rust or static"))
}
fn parse_pm(s: &str) -> Result<PackageManager, String> {
    PackageManager::parse(s).ok_or_else(|| {
        format!("unknown package manager {s:?}: use npm, yarn, pnpm, bun, pip, uv or poetry")
    })
}
fn parse_kind(s: &str) -> Result<ServiceKind, String> {
    ServiceKind::parse(s)
        .filter(|k| *k != ServiceKind::Static)
        .ok_or_else(|| format!("unknown kind {s:?}: use http or worker"))
}
fn parse_base(s: &str) -> Result<Base, String> {
    Base::parse(s).ok_or_else(|| format!("unknown base {s:?}: use distroless, scratch, debian-slim, distroless-cc, nginx or caddy"))
}

fn parse_list<T>(
    flag: &str,
    text: &str,
    parse: impl Fn(&str) -> Option<T>,
    choices: &str,
) -> Result<Vec<T>, miette::Report> {
    if text.trim().eq_ignore_ascii_case("none") || text.trim().is_empty() {
        return Ok(Vec::new());
    }
    text.split(',')
        .map(|item| {
            parse(item).ok_or_else(|| {
                miette!(
                    help = format!("use a comma-separated list of: {choices}"),
                    "--{flag}: unknown item {:?}",
                    item.trim()
                )
            })
        })
        .collect()
}

/// The directory template overrides are read from: `$DEVBOX_TEMPLATE_DIR`, else
/// `<config dir>/devbox/templates` (e.g. ~/.config/devbox/templates).
pub fn template_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("DEVBOX_TEMPLATE_DIR") {
        return Some(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("", "", "devbox").map(|dirs| dirs.config_dir().join("templates"))
}

/// Reads the user's template overrides (files named like the embedded templates) from `dir`.
pub(crate) fn read_overrides(
    dir: Option<&Path>,
) -> Result<BTreeMap<String, String>, miette::Report> {
    let mut overrides = BTreeMap::new();
    let Some(dir) = dir else { return Ok(overrides) };
    for (name, _) in TEMPLATES {
        let path = dir.join(name);
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                overrides.insert(name.to_string(), text);
            }
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
            Err(err) => {
                return Err(miette!(
                    help = "fix its permissions or remove it",
                    "cannot read template override {}: {err}",
                    path.display()
                ));
            }
        }
    }
    Ok(overrides)
}

fn flag_presets(args: &InitArgs) -> Result<PartialAnswers, miette::Report> {
    Ok(PartialAnswers {
        language: args.lang,
        package_manager: args.package_manager,
        build_step: match (args.build_step, args.no_build_step) {
            (true, _) => Some(true),
            (_, true) => Some(false),
            _ => None,
        },
        base: args.base,
        port: args.port,
        kind: args.kind,
        add_ons: args
            .with
            .as_deref()
            .map(|w| parse_list("with", w, AddOn::parse, "postgres, redis, mysql"))
            .transpose()?,
        security: args
            .security
            .as_deref()
            .map(|s| {
                parse_list(
                    "security",
                    s,
                    SecurityOpt::parse,
                    "no-new-privileges, cap-drop, read-only",
                )
            })
            .transpose()?,
        project: Default::default(),
    })
}

fn read_answers_file(path: &Path) -> Result<PartialAnswers, miette::Report> {
    let text = std::fs::read_to_string(path).map_err(|err| {
        miette!(
            help = "check the path given to --answers",
            "cannot read answers file {}: {err}",
            path.display()
        )
    })?;
    toml::from_str(&text).map_err(|err| {
        let (line, column) = err
            .span()
            .map_or((1, 1), |s| detect_line_col(&text, s.start));
        miette!(
            help = "the format is what `devbox init --print-answers` prints",
            "{}:{line}:{column}: {}",
            path.display(),
            err.message()
        )
    })
}

fn detect_line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset.min(text.len())).unwrap_or(text);
    (
        before.matches('\n').count() + 1,
        before.len() - before.rfind('\n').map_or(0, |n| n + 1) + 1,
    )
}

pub async fn run(args: InitArgs) -> CliResult {
    if args.print_template_dir {
        match template_dir() {
            Some(dir) => crate::outln!("{}", dir.display())?,
            None => {
                return Err(miette!(
                    help = "set DEVBOX_TEMPLATE_DIR to choose one",
                    "no config directory on this system (no home directory?)"
                ));
            }
        }
        return Ok(code(exit::OK));
    }
    let interactive = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    run_with(&args, interactive).await
}

/// The whole command; `interactive` says whether prompts may be shown (a terminal is attached).
pub async fn run_with(args: &InitArgs, interactive: bool) -> CliResult {
    let non_interactive = args.yes || args.answers.is_some();
    if !interactive && !non_interactive {
        return Err(miette!(
            help = "run `devbox init --yes` to accept the detected defaults (add flags such as --lang, --port, --with postgres,redis to change them), or `devbox init --answers answers.toml` (write one with --print-answers)",
            "devbox init needs a terminal to ask its questions, and none is attached"
        ));
    }
    let scan = scan_project(&args.dir)?;
    let detected = detect::detect(&scan);
    let quiet = args.print_answers;
    if !quiet {
        crate::errln!("Detected in {}:", args.dir.display());
        let lines = detection_lines(&detected);
        if lines.is_empty() {
            crate::errln!("  nothing (no manifest found): devbox will ask");
        }
        for line in lines {
            crate::errln!("{line}");
        }
    }
    let file_presets = args
        .answers
        .as_deref()
        .map(read_answers_file)
        .transpose()?
        .unwrap_or_default();
    let presets = file_presets.merged_with(flag_presets(args)?);
    // A monorepo root: every app gets its files, one compose.yaml runs them together.
    if detected.language.is_none()
        && presets.language.is_none()
        && detected.sub_projects.len() >= 2
        && (non_interactive || super::init_monorepo::confirm(&detected)?)
    {
        let overrides = read_overrides(template_dir().as_deref())?;
        let Some(mono) = super::init_monorepo::plan(
            &args.dir,
            non_interactive,
            &detected,
            &presets,
            plan::monorepo::root_lockfile(&scan).as_deref(),
            &overrides,
        )?
        else {
            return Ok(code(exit::INTERRUPTED));
        };
        let plans = pin_plans(args, mono.plans).await?;
        return emit_plans(args, &plans, interactive, &mono.to_do);
    }
    // No app the tree knows: say what is there instead of writing a Node Dockerfile for it.
    if detected.language.is_none() && presets.language.is_none() {
        let dir = args.dir.display().to_string();
        let templates = template_dir().map(|d| d.display().to_string());
        let refusal = refusal(&detected, &dir, templates.as_deref());
        let found = refusal.found.join("\n  ");
        let supported = "devbox supports Node.js (package.json), Python (pyproject.toml, requirements.txt), Go (go.mod), Rust (Cargo.toml), Java and Kotlin (pom.xml, build.gradle, build.gradle.kts), PHP (composer.json, index.php), Ruby (Gemfile), .NET (*.csproj, *.fsproj), Deno (deno.json) and static sites (index.html, or a site generator in package.json)";
        if non_interactive {
            return Err(miette!(
                help = format!("{supported}. To go on:\n- {}", refusal.actions.join("\n- ")),
                "no app devbox can containerise at the root of {dir}; nothing was written. Found:\n  {found}"
            ));
        }
        crate::errln!(
            "\nNo app devbox recognises at the root of {dir}. Found:\n  {found}\n{supported}. Options:\n- {}\nAnswer the questions only if you want to pick a language yourself.\n",
            refusal.actions.join("\n- ")
        );
    }
    let mut walk = Walk::with_presets(detected, &scan.name, presets);
    let Some(answers) = settle(&mut walk, non_interactive)? else {
        return Ok(code(exit::INTERRUPTED));
    };
    if args.print_answers {
        crate::out!("{}", answers.to_toml().into_diagnostic()?)?;
        return Ok(code(exit::OK));
    }
    crate::errln!("\nAnswers ({}):", answers.leaf.as_str());
    for line in answer_lines(&walk) {
        crate::errln!("{line}");
    }

    let overrides = read_overrides(template_dir().as_deref())?;
    // Everything is rendered before anything is written.
    let rendered = plan::render(&answers, &overrides)?;
    let plans: Vec<FilePlan> = rendered
        .into_iter()
        .map(|file| {
            let existing = std::fs::read_to_string(args.dir.join(&file.path)).ok();
            compare(file, existing.as_deref())
        })
        .collect();
    let to_do = follow_ups(walk.detected(), &answers);
    let plans = pin_plans(args, plans).await?;
    emit_plans(args, &plans, interactive, &to_do)
}

/// `--pin`: the rendered files with their images pinned, compared again with what exists.
async fn pin_plans(args: &InitArgs, plans: Vec<FilePlan>) -> Result<Vec<FilePlan>, miette::Report> {
    if !args.pin {
        return Ok(plans);
    }
    let engine = crate::engine::connect::client::connect().await?;
    crate::errln!("\nPinning images to digests:");
    let mut out = Vec::with_capacity(plans.len());
    let mut unpinned = 0;
    for plan in plans {
        let (text, left) =
            super::pin::pin_rendered(&engine.docker, &plan.file.path, &plan.file.text).await?;
        unpinned += left;
        let existing = std::fs::read_to_string(args.dir.join(&plan.file.path)).ok();
        let file = plan::RenderedFile {
            path: plan.file.path,
            text,
        };
        out.push(compare(file, existing.as_deref()));
    }
    if unpinned > 0 {
        crate::errln!(
            "  {unpinned} image(s) left unpinned (no digest known): run `devbox pin` once their registry answers or they are pulled"
        );
    }
    Ok(out)
}

/// Prints the plans (`--dry-run`) or writes them.
fn emit_plans(
    args: &InitArgs,
    plans: &[FilePlan],
    interactive: bool,
    to_do: &[String],
) -> CliResult {
    if args.dry_run {
        for plan in plans {
            match &plan.change {
                Change::New => crate::outln!("==> {} (new)\n{}", plan.file.path, plan.file.text)?,
                Change::Unchanged => crate::outln!("==> {} (unchanged)", plan.file.path)?,
                Change::Changed { diff } => {
                    crate::outln!("==> {} (changed)\n{diff}", plan.file.path)?
                }
            }
        }
        crate::errln!("dry run: nothing written");
        for line in to_do {
            crate::errln!("\nTo do: {line}");
        }
        return Ok(code(exit::OK));
    }
    write_plans(args, plans, interactive, to_do)
}

/// Writes the new and confirmed files, then says what comes next and what is left to do.
fn write_plans(
    args: &InitArgs,
    plans: &[FilePlan],
    interactive: bool,
    to_do: &[String],
) -> CliResult {
    let mut pending = Vec::new();
    for plan in plans {
        let path = args.dir.join(&plan.file.path);
        match &plan.change {
            Change::Unchanged => crate::errln!("  {} is up to date", plan.file.path),
            Change::New => pending.push(PendingFile {
                path,
                contents: plan.file.text.clone(),
            }),
            Change::Changed { diff } => {
                crate::errln!("\n{} exists and would change:\n{diff}", plan.file.path);
                let bak = backup_path(&path);
                let overwrite = if args.force {
                    true
                } else if interactive {
                    match inquire::Confirm::new(&format!(
                        "Overwrite {}? (the old one is kept as {})",
                        plan.file.path,
                        bak.display()
                    ))
                    .with_default(false)
                    .prompt()
                    {
                        Ok(yes) => yes,
                        Err(inquire::InquireError::OperationInterrupted) => {
                            return Ok(code(exit::INTERRUPTED));
                        }
                        Err(_) => false,
                    }
                } else {
                    return Err(miette!(
                        help = "review the diff above, then rerun with --force (keeps the old file as FILE.bak), or with --dry-run to only look",
                        "{} already exists with other contents; nothing was written",
                        path.display()
                    ));
                };
                if overwrite {
                    pending.push(PendingFile {
                        path,
                        contents: plan.file.text.clone(),
                    });
                } else {
                    crate::errln!("  kept {}", plan.file.path);
                }
            }
        }
    }
    let written = write_all(&pending, Backup::Keep)?;
    for path in &written {
        let bak = backup_path(path);
        if bak.exists()
            && plans.iter().any(|p| {
                matches!(p.change, Change::Changed { .. }) && args.dir.join(&p.file.path) == *path
            })
        {
            crate::errln!(
                "  wrote {} (previous version in {})",
                path.display(),
                bak.display()
            );
        } else {
            crate::errln!("  wrote {}", path.display());
        }
    }
    if !written.is_empty() {
        crate::errln!("\nNext: docker compose up --watch   (or: devbox up)");
        for line in to_do {
            crate::errln!("\nTo do: {line}");
        }
    }
    Ok(ExitCode::from(exit::OK))
}
