//! `devbox lint`: wires discovery (files), the pure lint core and printing (human, JSON, SARIF),
//! `--explain`, `--fix` with a diff first and `--dry-run`, and the exit code for CI.

pub mod discover;
mod excerpt;
pub mod fixer;
pub mod human;

use crate::domain::input::ReadError;
use crate::domain::limits::{Limit, LimitEnvError, Limits};
use crate::domain::lint::config::ConfigError;
use crate::domain::lint::output::{ci, json, sarif};
use crate::domain::lint::{FixOptions, LintConfig, Report, Severity, all_rules, lint, meta};
use crate::error::{CliResult, code, exit};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    Sarif,
    /// GitHub Actions workflow commands: annotations on the pull request.
    Github,
    /// GitLab Code Quality report (JSON), for `artifacts:reports:codequality`.
    Gitlab,
}

#[derive(Debug, clap::Args)]
pub struct LintArgs {
    /// Files (Dockerfile, compose file, .dockerignore) or directories to lint. Default: the project
    /// here (compose files, the Dockerfiles they build, each context's .dockerignore).
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Print the page of one rule (e.g. DBX116) and exit.
    #[arg(long, value_name = "ID")]
    pub explain: Option<String>,
    /// List every rule with its severity and exit.
    #[arg(long)]
    pub list_rules: bool,
    /// Apply the mechanical fixes (a diff is shown first).
    #[arg(long)]
    pub fix: bool,
    /// With --fix: show the diff, change nothing.
    #[arg(long, requires = "fix")]
    pub dry_run: bool,
    /// With --fix: pin base image IMAGE to TAG (DBX101), e.g. `--pin node=22-alpine`.
    #[arg(long = "pin", value_name = "IMAGE=TAG")]
    pub pins: Vec<String>,
    /// Configuration file (default: .devbox-lint.toml in the current directory, if present).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Fail (exit 1) on findings at or above this severity: error, warning, info or never.
    #[arg(long, value_name = "SEVERITY")]
    pub fail_on: Option<String>,
    /// Also look into the images the engine has locally (DOCKER_HOST or the current context): a
    /// base image stored for another platform than the build's (DBX410), a health check's
    /// program missing from a service's image (DBX402).
    #[arg(long)]
    pub engine: bool,
}

/// What can stop `devbox lint` from linting.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum LintError {
    /// A file that is missing, too large for its limit, a link loop or not text.
    #[error("{message}")]
    #[diagnostic(code(devbox::lint::input), help("{help}"))]
    Input {
        path: PathBuf,
        error: ReadError,
        message: String,
        help: String,
    },
    #[error(transparent)]
    #[diagnostic(transparent)]
    Limits(#[from] LimitEnvError),
    #[error("nothing to lint in {}: no compose file and no Dockerfile", dir.display())]
    #[diagnostic(
        code(devbox::lint::empty),
        help(
            "run devbox lint in a project directory, or pass files: devbox lint path/to/Dockerfile"
        )
    )]
    NothingToLint { dir: PathBuf },
    #[error("{}: {source}", path.display())]
    #[diagnostic(
        code(devbox::lint::config),
        help(
            "see `devbox lint --list-rules` for rule IDs; keys are ignore, fail-on and [severity]"
        )
    )]
    Config { path: PathBuf, source: ConfigError },
    #[error("unknown rule `{id}`")]
    #[diagnostic(code(devbox::lint::unknown_rule), help("{suggestion}"))]
    UnknownRule { id: String, suggestion: String },
    #[error("invalid value `{value}` for {what}")]
    #[diagnostic(code(devbox::lint::usage), help("{help}"))]
    Usage {
        what: &'static str,
        value: String,
        help: &'static str,
    },
    #[error("cannot write {}: {message}", path.display())]
    #[diagnostic(
        code(devbox::lint::write),
        help("check that the file is writable; nothing else was changed after this file")
    )]
    Write { path: PathBuf, message: String },
    #[error("cannot write to stdout: {0}")]
    #[diagnostic(code(devbox::lint::stdout))]
    Stdout(#[from] std::io::Error),
}

impl LintError {
    /// Reading `path`, an input of `kind`, failed with `error`.
    pub fn input(path: &Path, error: ReadError, kind: Limit, limits: &Limits) -> Self {
        let shown = path.display().to_string();
        Self::Input {
            message: error.message(&shown, kind, limits),
            help: error
                .help(kind, limits)
                .unwrap_or_else(|| "check the path and its permissions".to_owned()),
            path: path.to_path_buf(),
            error,
        }
    }
}

pub async fn run(args: LintArgs) -> CliResult {
    let cwd = std::env::current_dir().map_err(LintError::Stdout)?;
    if !args.engine {
        return run_sync(&args, &cwd);
    }
    if let Some(done) = pages(&args)? {
        return Ok(done);
    }
    let mut prepared = prepare(&args, &cwd)?;
    let engine = crate::engine::connect::client::connect().await?;
    let project = &prepared.found.project;
    let (references, programs) = (project.base_images(), project.probe_programs());
    prepared.found.project.images =
        crate::engine::image::platforms::local_images(&engine.docker, &references, &programs)
            .await?;
    finish(&args, prepared)
}

/// The whole command without the engine, synchronous; `cwd` anchors discovery.
pub fn run_sync(args: &LintArgs, cwd: &Path) -> CliResult {
    if let Some(done) = pages(args)? {
        return Ok(done);
    }
    let prepared = prepare(args, cwd)?;
    finish(args, prepared)
}

/// `--explain` and `--list-rules`, which print a page instead of linting.
fn pages(args: &LintArgs) -> Result<Option<std::process::ExitCode>, LintError> {
    let mut stdout = std::io::stdout().lock();
    if let Some(id) = &args.explain {
        let m = meta(id).ok_or_else(|| unknown_rule(id))?;
        writeln!(stdout, "{}", human::explain_page(m))?;
        return Ok(Some(code(exit::OK)));
    }
    if args.list_rules {
        write!(stdout, "{}", human::rule_table())?;
        return Ok(Some(code(exit::OK)));
    }
    Ok(None)
}

/// The files found, the configuration and the fix options of one run.
struct Prepared {
    found: discover::Discovered,
    config: LintConfig,
    options: FixOptions,
}

fn prepare(args: &LintArgs, cwd: &Path) -> Result<Prepared, LintError> {
    let limits = Limits::from_lookup(|k| std::env::var(k).ok())?;
    let config = load_config(args, cwd, &limits)?;
    let options = FixOptions {
        pins: parse_pins(&args.pins)?,
    };
    let found = if args.paths.is_empty() {
        discover::project_within(cwd, cwd, &limits)?
    } else {
        let mut found = discover::Discovered::new(limits);
        for p in &args.paths {
            let path = if p.is_absolute() {
                p.clone()
            } else {
                cwd.join(p)
            };
            discover::add_path(&mut found, &path, cwd)?;
        }
        found
    };
    Ok(Prepared {
        found,
        config,
        options,
    })
}

/// Lints, fixes when asked, prints and picks the exit code.
fn finish(args: &LintArgs, prepared: Prepared) -> CliResult {
    let Prepared {
        mut found,
        config,
        options,
    } = prepared;
    let mut stdout = std::io::stdout().lock();
    let mut report = lint(&found.project, &config, &options);
    if args.fix {
        report = fixer::fix(
            &mut found,
            &config,
            &options,
            report,
            args.dry_run,
            &mut stdout,
        )?;
    }
    // Written as it is rendered: a long file's report held whole took several times its size.
    let mut out = std::io::BufWriter::new(&mut stdout);
    match args.format {
        Format::Human => human::write(&report, &found.project, human::colors_wanted(), &mut out)
            .map_err(LintError::Stdout)?,
        Format::Json => write_json(&mut out, &json::document(&report))?,
        Format::Sarif => write_json(&mut out, &sarif::document(&report))?,
        Format::Github => ci::write_github(&report, &mut out).map_err(LintError::Stdout)?,
        Format::Gitlab => write_json(&mut out, &ci::gitlab(&report))?,
    }
    out.flush().map_err(LintError::Stdout)?;
    drop(out);
    Ok(code(if report.fails(&config) {
        exit::FINDINGS
    } else {
        exit::OK
    }))
}

fn write_json(out: &mut impl Write, document: &impl serde::Serialize) -> Result<(), LintError> {
    serde_json::to_writer_pretty(&mut *out, document)
        .map_err(|e| LintError::Stdout(std::io::Error::other(e)))?;
    writeln!(out).map_err(LintError::Stdout)
}

fn unknown_rule(id: &str) -> LintError {
    let best = all_rules().iter().map(|r| r.meta()).min_by_key(|m| {
        strsim::levenshtein(&m.id.to_lowercase(), &id.to_lowercase())
            .min(strsim::levenshtein(m.name, id))
    });
    let suggestion = match best {
        Some(m) => format!(
            "did you mean {} ({})? `devbox lint --list-rules` lists every rule",
            m.id, m.name
        ),
        None => "`devbox lint --list-rules` lists every rule".into(),
    };
    LintError::UnknownRule {
        id: id.to_string(),
        suggestion,
    }
}

fn parse_pins(pins: &[String]) -> Result<Vec<(String, String)>, LintError> {
    pins.iter()
        .map(|p| match p.split_once('=') {
            Some((image, tag))
                if !image.is_empty() && !tag.is_empty() && !tag.contains(char::is_whitespace) =>
            {
                Ok((image.to_string(), tag.to_string()))
            }
            _ => Err(LintError::Usage {
                what: "--pin",
                value: p.clone(),
                help: "write IMAGE=TAG, e.g. --pin node=22-alpine",
            }),
        })
        .collect()
}

fn load_config(args: &LintArgs, cwd: &Path, limits: &Limits) -> Result<LintConfig, LintError> {
    let path = args
        .config
        .clone()
        .unwrap_or_else(|| cwd.join(".devbox-lint.toml"));
    let mut config = if args.config.is_some() || path.is_file() {
        let kind = Limit::IgnoreFileBytes;
        let text = crate::fsio::input::read_text(&path, limits.get(kind))
            .map_err(|error| LintError::input(&path, error, kind, limits))?;
        LintConfig::parse(&text).map_err(|source| LintError::Config {
            path: path.clone(),
            source,
        })?
    } else {
        LintConfig::default()
    };
    if let Some(level) = &args.fail_on {
        config.fail_on = match level.as_str() {
            "never" | "none" => None,
            other => Some(Severity::parse(other).ok_or_else(|| LintError::Usage {
                what: "--fail-on",
                value: other.to_string(),
                help: "use error, warning, info or never",
            })?),
        };
    }
    Ok(config)
}

/// Lints the given project (tests and the benchmark use this without the CLI).
pub fn lint_project(found: &discover::Discovered, config: &LintConfig) -> Report {
    lint(&found.project, config, &FixOptions::default())
}
