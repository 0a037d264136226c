//! `devbox pin`: every `FROM` and every compose `image:` of the project pinned to the digest its
//! tag has now (`name:tag@sha256:…`), shown as a diff and written atomically with the old file
//! kept as FILE.bak; `--check` verifies the pins for CI instead.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::commands::lint::discover::{self, Discovered};
use crate::domain::dockerfile::Dockerfile;
use crate::domain::limits::Limits;
use crate::domain::pin::{Site, Sites, Skipped, compose_sites, dockerfile_sites, rewrite};
use crate::domain::plan::diff::unified;
use crate::engine::image::digest::{DigestSource, Resolved, resolve};
use crate::error::{CliResult, code, exit};
use crate::fsio::write::{Backup, PendingFile, backup_path, write_all};

#[derive(Debug, clap::Args)]
pub struct PinArgs {
    /// Dockerfiles, compose files or directories (default: the project here: its compose
    /// files and the Dockerfiles they build, or ./Dockerfile).
    pub paths: Vec<PathBuf>,
    /// Write nothing: exit 1 when a reference is unpinned or its digest is no longer the one
    /// its tag points to.
    #[arg(long, conflicts_with = "dry_run")]
    pub check: bool,
    /// Print the diff and write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// One file's sites.
struct FileSites {
    display: String,
    real: PathBuf,
    text: String,
    sites: Sites,
}

pub async fn run(args: PinArgs) -> CliResult {
    let cwd = std::env::current_dir()
        .map_err(|e| miette::miette!("cannot read the current directory: {e}"))?;
    let files = discover_sites(&args.paths, &cwd)?;
    let engine = crate::engine::connect::client::connect().await?;
    let digests = resolve_all(&engine.docker, files.iter().flat_map(|f| &f.sites.sites)).await;
    if args.check {
        return check(&files, &digests);
    }
    pin(&args, &files, &digests)
}

/// The sites of the project or of the paths given.
fn discover_sites(paths: &[PathBuf], cwd: &Path) -> Result<Vec<FileSites>, miette::Report> {
    let limits = Limits::default();
    let found = if paths.is_empty() {
        discover::project_within(cwd, cwd, &limits)?
    } else {
        let mut found = Discovered::new(limits);
        for p in paths {
            discover::add_path(&mut found, &cwd.join(p), cwd)?;
        }
        found
    };
    let real = |display: &str| {
        found
            .paths
            .iter()
            .find(|(d, _)| d == display)
            .map_or_else(|| cwd.join(display), |(_, real)| real.clone())
    };
    let mut out = Vec::new();
    for input in &found.project.dockerfiles {
        let file = &input.file;
        let df = Dockerfile::parse(&file.text).map_err(|e| {
            miette::miette!(
                help = "fix the Dockerfile (`devbox lint` explains), then pin",
                "{}:{}:{}: {}",
                file.path,
                e.line,
                e.column,
                e.message
            )
        })?;
        out.push(FileSites {
            display: file.path.clone(),
            real: real(&file.path),
            sites: dockerfile_sites(&file.text, &df),
            text: file.text.clone(),
        });
    }
    for file in &found.project.composes {
        let sites = compose_sites(&file.path, &file.text).map_err(|e| {
            miette::miette!(
                help = "fix the compose file (`devbox config` explains), then pin",
                "{e}"
            )
        })?;
        out.push(FileSites {
            display: file.path.clone(),
            real: real(&file.path),
            sites,
            text: file.text.clone(),
        });
    }
    Ok(out)
}

/// Each distinct reference's digest, or why there is none.
async fn resolve_all<'a>(
    docker: &bollard::Docker,
    sites: impl Iterator<Item = &'a Site>,
) -> Digests {
    let mut digests = Digests::new();
    for site in sites {
        if !digests.contains_key(&site.reference) {
            let answer = resolve(docker, &site.reference)
                .await
                .map_err(|e| e.to_string());
            digests.insert(site.reference.clone(), answer);
        }
    }
    digests
}

type Digests = BTreeMap<String, Result<Resolved, String>>;

/// A freshly rendered file (`init --pin`) with its references pinned where a digest is
/// known; each reference is reported, and the count of those left unpinned returned.
pub async fn pin_rendered(
    docker: &bollard::Docker,
    path: &str,
    text: &str,
) -> Result<(String, usize), miette::Report> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let sites = if name.starts_with("Dockerfile") {
        let df = Dockerfile::parse(text)
            .map_err(|e| miette::miette!("{path}:{}: {}", e.line, e.message))?;
        dockerfile_sites(text, &df)
    } else if name.ends_with(".yaml") || name.ends_with(".yml") {
        compose_sites(path, text).map_err(|e| miette::miette!("{e}"))?
    } else {
        return Ok((text.to_owned(), 0));
    };
    let digests = resolve_all(docker, sites.sites.iter()).await;
    let mut pins: Vec<(&Site, &str)> = Vec::new();
    let mut unpinned = 0;
    for site in &sites.sites {
        match digests.get(&site.reference) {
            Some(Ok(resolved)) => {
                crate::errln!(
                    "  {path}:{}: {} pinned to {} ({})",
                    site.line,
                    site.reference,
                    resolved.digest,
                    source_note(resolved)
                );
                pins.push((site, resolved.digest.as_str()));
            }
            Some(Err(why)) => {
                unpinned += 1;
                crate::errln!(
                    "  {path}:{}: {} left unpinned: {why}",
                    site.line,
                    site.reference
                );
            }
            None => {}
        }
    }
    Ok((rewrite(text, &pins), unpinned))
}

fn source_note(resolved: &Resolved) -> String {
    match &resolved.source {
        DigestSource::Registry => "from the registry".to_owned(),
        DigestSource::Local { registry_error } => format!(
            "from the local image's repo digest: the registry did not answer ({registry_error})"
        ),
    }
}

fn print_skipped(display: &str, skipped: &[Skipped]) {
    for s in skipped {
        crate::errln!("{display}:{}: {} not pinned: {}", s.line, s.written, s.why);
    }
}

/// Rewrites every file that has a resolvable unpinned or stale reference.
fn pin(args: &PinArgs, files: &[FileSites], digests: &Digests) -> CliResult {
    let mut pending = Vec::new();
    let mut unresolved = 0usize;
    let mut total = 0usize;
    for file in files {
        print_skipped(&file.display, &file.sites.skipped);
        let mut pins: Vec<(&Site, &str)> = Vec::new();
        for site in &file.sites.sites {
            match digests.get(&site.reference) {
                Some(Ok(resolved)) => {
                    let state = if site.pinned.as_deref() == Some(resolved.digest.as_str()) {
                        "already pinned"
                    } else {
                        pins.push((site, resolved.digest.as_str()));
                        "pinned"
                    };
                    crate::errln!(
                        "{}:{}: {} {state} to {} ({})",
                        file.display,
                        site.line,
                        site.reference,
                        resolved.digest,
                        source_note(resolved)
                    );
                }
                Some(Err(why)) => {
                    unresolved += 1;
                    crate::errln!(
                        "{}:{}: {}: no digest: {why}",
                        file.display,
                        site.line,
                        site.reference
                    );
                }
                None => {}
            }
        }
        if pins.is_empty() {
            continue;
        }
        total += pins.len();
        let new = rewrite(&file.text, &pins);
        crate::outln!("{}", unified(&file.display, &file.text, &new))?;
        pending.push(PendingFile {
            path: file.real.clone(),
            contents: new,
        });
    }
    if args.dry_run {
        crate::errln!("dry run: nothing written");
    } else if !pending.is_empty() {
        let written = write_all(&pending, Backup::Keep)?;
        for path in &written {
            crate::errln!(
                "wrote {} (the old one is kept as {})",
                path.display(),
                backup_path(path).display()
            );
        }
    }
    crate::errln!(
        "{total} reference(s) pinned{}",
        if unresolved > 0 {
            format!(", {unresolved} without a digest")
        } else {
            String::new()
        }
    );
    if unresolved > 0 {
        return Err(miette::miette!(
            help = "pull the image (or push it to its registry) so it has a repo digest, or make its registry reachable from the engine, then run `devbox pin` again",
            "{unresolved} reference(s) could not be pinned"
        ));
    }
    Ok(code(exit::OK))
}

/// `--check`: exit 1 when something is unpinned or pinned to a digest its tag no longer has.
fn check(files: &[FileSites], digests: &Digests) -> CliResult {
    let mut problems = 0usize;
    for file in files {
        print_skipped(&file.display, &file.sites.skipped);
        for site in &file.sites.sites {
            let at = format!("{}:{}", file.display, site.line);
            let current = digests.get(&site.reference);
            match (&site.pinned, current) {
                (None, _) => {
                    problems += 1;
                    crate::outln!("{at}: {} is not pinned to a digest", site.reference)?;
                }
                (Some(pinned), Some(Ok(now))) if *pinned != now.digest => {
                    problems += 1;
                    crate::outln!(
                        "{at}: {} is pinned to {pinned}, but the tag now points to {} ({})",
                        site.reference,
                        now.digest,
                        source_note(now)
                    )?;
                }
                (Some(_), Some(Ok(_))) => {}
                (Some(pinned), Some(Err(why))) => crate::errln!(
                    "{at}: {}@{pinned} could not be checked: {why}",
                    site.reference
                ),
                (Some(_), None) => {}
            }
        }
    }
    if problems > 0 {
        crate::errln!(
            "{problems} reference(s) unpinned or stale: run `devbox pin` to pin them to today's digests"
        );
        return Ok(code(exit::FINDINGS));
    }
    let count: usize = files.iter().map(|f| f.sites.sites.len()).sum();
    crate::errln!("{count} reference(s) pinned and current");
    Ok(code(exit::OK))
}
