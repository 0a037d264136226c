//! The doctor's project checks, pure: variables, `.env` against `.env.example`, published host
//! ports, images to build or pull, and watch directories against the inotify limit.

use std::collections::{BTreeMap, BTreeSet};

use super::Check;

/// A variable the compose files use, as the loader reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VariableFact {
    pub name: String,
    pub has_default: bool,
}

/// Variables used without a default and set neither in the shell nor in the env files: Compose
/// replaces them with an empty string, which is rarely what the author meant.
pub fn judge_variables(vars: &[VariableFact], env: &BTreeMap<String, String>) -> Check {
    let title = "compose variables are set";
    let missing: BTreeSet<&str> = vars
        .iter()
        .filter(|v| !v.has_default && !env.contains_key(&v.name))
        .map(|v| v.name.as_str())
        .collect();
    if missing.is_empty() {
        return Check::pass(
            "variables",
            title,
            format!("{} variables, all set or defaulted", vars.len()),
        );
    }
    let names: Vec<&str> = missing.into_iter().collect();
    Check::warn(
        "variables",
        title,
        format!(
            "unset and without a default (they become empty): {}",
            names.join(", ")
        ),
        format!(
            "add them to .env ({}), or give defaults in the compose file (${{NAME:-value}})",
            names
                .iter()
                .map(|n| format!("{n}=..."))
                .collect::<Vec<_>>()
                .join(" ")
        ),
    )
}

/// `.env.example` keys (with their example values) against the keys of `.env`, if it exists.
pub fn judge_env_file(example: &[(String, String)], env: Option<&BTreeSet<String>>) -> Check {
    let title = ".env has every key of .env.example";
    match env {
        None => Check::warn(
            "dotenv",
            title,
            format!(".env is missing; .env.example lists {} keys", example.len()),
            "run `devbox doctor --fix` to create .env from .env.example (it asks for values that have none)",
        ),
        Some(keys) => {
            let missing: Vec<&str> = example
                .iter()
                .map(|(k, _)| k.as_str())
                .filter(|k| !keys.contains(*k))
                .collect();
            if missing.is_empty() {
                Check::pass("dotenv", title, format!("{} keys", example.len()))
            } else {
                Check::warn(
                    "dotenv",
                    title,
                    format!("missing in .env: {}", missing.join(", ")),
                    "run `devbox doctor --fix` to append them from .env.example, or add them by hand",
                )
            }
        }
    }
}

/// The text of a new `.env`: the example's lines, with `answers` filled in for keys whose example
/// value is empty. Comments and order are kept so the file stays readable.
pub fn env_from_example(example_text: &str, answers: &BTreeMap<String, String>) -> String {
    let mut out = String::with_capacity(example_text.len());
    for line in example_text.lines() {
        let trimmed = line.trim_start();
        let key = trimmed
            .strip_prefix("export ")
            .unwrap_or(trimmed)
            .split_once('=')
            .map(|(k, v)| (k.trim(), v.trim()));
        match key {
            Some((k, v)) if !trimmed.starts_with('#') && v.is_empty() => match answers.get(k) {
                Some(answer) => out.push_str(&format!("{k}={}\n", quote_env(answer))),
                None => {
                    out.push_str(line);
                    out.push('\n');
                }
            },
            _ => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

/// Lines to append to an existing `.env` for the example keys it lacks.
pub fn env_additions(example: &[(String, String)], present: &BTreeSet<String>) -> String {
    example
        .iter()
        .filter(|(k, _)| !present.contains(k))
        .map(|(k, v)| format!("{k}={}\n", quote_env(v)))
        .collect()
}

fn quote_env(value: &str) -> String {
    if value.is_empty()
        || value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:@".contains(c))
    {
        value.to_string()
    } else {
        format!("'{}'", value.replace('\'', "'\\''"))
    }
}

/// A host port a service publishes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedPort {
    pub service: String,
    pub host_ip: String,
    pub port: u16,
    pub protocol: String,
}

/// Who holds a host port now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PortHolder {
    Free,
    /// A running container of this very project publishes it: nothing to fix.
    ThisStack,
    /// Something else; the process when the OS tells.
    Other(Option<String>),
}

pub fn judge_ports(ports: &[(PublishedPort, PortHolder)]) -> Check {
    let title = "published host ports are free";
    if ports.is_empty() {
        return Check::pass("ports", title, "the stack publishes no fixed host port");
    }
    let taken: Vec<String> = ports
        .iter()
        .filter_map(|(p, holder)| match holder {
            PortHolder::Other(process) => Some(format!(
                "{}:{}/{} (service {}) is in use{}",
                if p.host_ip.is_empty() {
                    "0.0.0.0"
                } else {
                    &p.host_ip
                },
                p.port,
                p.protocol,
                p.service,
                process
                    .as_ref()
                    .map(|w| format!(" by {w}"))
                    .unwrap_or_default()
            )),
            _ => None,
        })
        .collect();
    if taken.is_empty() {
        let ours = ports
            .iter()
            .filter(|(_, h)| *h == PortHolder::ThisStack)
            .count();
        let detail = if ours > 0 {
            format!(
                "{} ports, {ours} already published by this stack",
                ports.len()
            )
        } else {
            format!("{} ports", ports.len())
        };
        return Check::pass("ports", title, detail);
    }
    Check::fail(
        "ports",
        title,
        taken.join("; "),
        "stop what holds the port, or publish another one (set the variable the compose file uses, e.g. PORT=3001 in .env)",
    )
}

/// What a service's image needs before `up`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageFact {
    pub service: String,
    pub image: String,
    pub builds: bool,
    /// Bytes when the image is present locally.
    pub local_size: Option<u64>,
    /// `pull_policy: never`: the image must be made on this machine, `up` will not pull it.
    pub never_pull: bool,
}

pub fn judge_images(images: &[ImageFact]) -> Check {
    let title = "images are available";
    let unobtainable: Vec<String> = images
        .iter()
        .filter(|i| !i.builds && i.never_pull && i.local_size.is_none())
        .map(|i| format!("{} ({})", i.image, i.service))
        .collect();
    if !unobtainable.is_empty() {
        return Check::fail(
            "images",
            title,
            format!(
                "missing with pull_policy: never, so `up` cannot get them: {}",
                unobtainable.join(", ")
            ),
            "make them on this machine first (`docker load`, `docker import` or the project's own setup script; see its README)",
        );
    }
    let to_build: Vec<&str> = images
        .iter()
        .filter(|i| i.builds && i.local_size.is_none())
        .map(|i| i.service.as_str())
        .collect();
    let to_pull: Vec<String> = images
        .iter()
        .filter(|i| !i.builds && i.local_size.is_none())
        .map(|i| format!("{} ({})", i.image, i.service))
        .collect();
    let mut parts = Vec::new();
    if !to_build.is_empty() {
        parts.push(format!("to build: {}", to_build.join(", ")));
    }
    if !to_pull.is_empty() {
        parts.push(format!("to pull: {}", to_pull.join(", ")));
    }
    if parts.is_empty() {
        let total: u64 = images.iter().filter_map(|i| i.local_size).sum();
        return Check::pass(
            "images",
            title,
            format!(
                "all {} present ({})",
                images.len(),
                super::human_bytes(total)
            ),
        );
    }
    let fix = if to_pull.is_empty() {
        "`devbox up` builds them (the first build downloads the base images)"
    } else {
        "`devbox up` pulls them; this needs access to their registry (check `docker login` for private ones)"
    };
    Check::warn("images", title, parts.join("; "), fix)
}

/// Directories the watch rules would register against `max_user_watches`.
pub fn judge_watch_dirs(dirs: usize, max_user_watches: Option<u64>) -> Check {
    let title = "watch fits the inotify limit";
    match max_user_watches {
        Some(limit) if dirs as u64 * 2 > limit => Check::warn(
            "watch-dirs",
            title,
            format!("the watch rules cover {dirs} directories; max_user_watches is {limit}"),
            format!(
                "raise it: `sudo sysctl fs.inotify.max_user_watches={}`, or ignore more (node_modules, build output) in the watch rules",
                (dirs as u64 * 4).max(super::MIN_INOTIFY_WATCHES)
            ),
        ),
        Some(limit) => Check::pass(
            "watch-dirs",
            title,
            format!("{dirs} directories to watch, limit {limit}"),
        ),
        None => Check::pass("watch-dirs", title, format!("{dirs} directories to watch")),
    }
}

/// One built service's context as `devbox context` reads it, or why it could not be read.
#[derive(Debug, Clone)]
pub struct BuildContextFact {
    pub service: String,
    pub report: Result<crate::domain::build_context::ContextReport, String>,
}

/// The build contexts: a `COPY` source kept from the builder fails the build (blocking);
/// secrets sent, or dependencies and output worth more than `HEAVY_SUGGESTION` bytes, warn.
pub fn judge_build_contexts(facts: &[BuildContextFact]) -> Check {
    use crate::domain::build_context::Why;
    const HEAVY_SUGGESTION: u64 = 10 * 1024 * 1024;
    let title = "build contexts are tight";
    let mut sizes = Vec::new();
    let mut broken = Vec::new();
    let mut unreadable = Vec::new();
    let mut advice = Vec::new();
    for fact in facts {
        let report = match &fact.report {
            Ok(report) => report,
            Err(err) => {
                unreadable.push(format!("{}: {err}", fact.service));
                continue;
            }
        };
        sizes.push(format!(
            "{} {} in {}",
            fact.service,
            super::human_bytes(report.sent.bytes),
            crate::domain::format::counted(report.sent.files, "file", "files")
        ));
        for missing in &report.missing {
            broken.push(format!(
                "{}: `{}` (Dockerfile line {})",
                fact.service, missing.source, missing.line
            ));
        }
        for suggestion in &report.suggestions {
            if suggestion.why == Why::Secret || suggestion.saves.bytes >= HEAVY_SUGGESTION {
                advice.push(format!(
                    "{}: {} ({}, {})",
                    fact.service,
                    suggestion.lines.join(" "),
                    suggestion.why.label(),
                    super::human_bytes(suggestion.saves.bytes)
                ));
            }
        }
    }
    if !broken.is_empty() {
        return Check::fail(
            "build-context",
            title,
            format!(
                "COPY/ADD sources the .dockerignore keeps from the builder: {}",
                broken.join("; ")
            ),
            "`devbox context SERVICE` names the ignore line; remove it or add a `!path` exception after it",
        );
    }
    if !unreadable.is_empty() {
        return Check::warn(
            "build-context",
            title,
            unreadable.join("; "),
            "make the context readable, or fix the .dockerignore line named above",
        );
    }
    if !advice.is_empty() {
        return Check::warn(
            "build-context",
            title,
            format!(
                "sent to the builder but should not be: {}",
                advice.join("; ")
            ),
            "add those lines to the service's .dockerignore (`devbox context SERVICE` shows every saving)",
        );
    }
    Check::pass("build-context", title, sizes.join("; "))
}

#[cfg(test)]
mod tests;
