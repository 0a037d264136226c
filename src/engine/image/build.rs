//! Image builds for services with `build:`: the context tar (Docker's exact `.dockerignore`
//! semantics, from `engine::context`) sent to the engine's BuildKit with a session (bollard's
//! `buildkit` feature), or to the legacy builder when the engine has no BuildKit. Build steps
//! are reported as progress; a failure names the failing step and the tail of its output.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::path::Path;

use bollard::Docker;
use bollard::models::{BuildInfo, BuildInfoAux};
use bollard::query_parameters::{BuildImageOptions, BuilderVersion, TagImageOptionsBuilder};
use futures_util::StreamExt;

use crate::domain::compose::{Project, Service};

use crate::engine::error::{StackError, engine_message};
use crate::engine::progress::{Progress, Reporter};
use crate::engine::stack::labels;

/// Which builder the engine offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Builder {
    BuildKit,
    /// No BuildKit (Windows daemons, API < 1.39, or `DOCKER_BUILDKIT=0`): the classic builder.
    Legacy,
}

/// BuildKit ships with every Linux engine since 18.09 (API 1.39); `DOCKER_BUILDKIT=0` asks for
/// the classic builder as the Docker CLI does.
pub async fn detect_builder(docker: &Docker) -> Builder {
    if std::env::var("DOCKER_BUILDKIT").is_ok_and(|v| v == "0" || v.eq_ignore_ascii_case("false")) {
        return Builder::Legacy;
    }
    match docker.version().await {
        Ok(v) => {
            let linux =
                v.os.as_deref()
                    .is_none_or(|os| os.eq_ignore_ascii_case("linux"));
            let api_ok = v
                .api_version
                .as_deref()
                .and_then(parse_api)
                .is_none_or(|(maj, min)| (maj, min) >= (1, 39));
            if linux && api_ok {
                Builder::BuildKit
            } else {
                Builder::Legacy
            }
        }
        Err(_) => Builder::BuildKit,
    }
}

fn parse_api(v: &str) -> Option<(u32, u32)> {
    let (a, b) = v.split_once('.')?;
    Some((a.parse().ok()?, b.parse().ok()?))
}

/// Options of one build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub no_cache: bool,
    pub pull: bool,
}

/// Builds `service`'s image, tags it `<image or project-service>` (+ `build.tags`) and returns
/// the image id.
pub async fn build_service(
    docker: &Docker,
    project: &Project,
    service: &Service,
    builder: Builder,
    options: &BuildOptions,
    reporter: &dyn Reporter,
) -> Result<String, StackError> {
    let Some(build) = service.build.as_ref() else {
        return Err(StackError::Invalid {
            service: service.name.to_string(),
            message: "has no build section".to_owned(),
            help: "add `build: .` or an `image:` that exists".to_owned(),
        });
    };
    let tag = service.image_or_default(&project.name);
    let context = Path::new(&build.context);
    let unpacker = match builder {
        Builder::BuildKit => super::build_context::Unpacker::BuildKit,
        Builder::Legacy => super::build_context::Unpacker::Legacy,
    };
    let (dockerfile, tar) = if build.dockerfile_inline.is_empty() {
        let dockerfile = if build.dockerfile.is_empty() {
            "Dockerfile".to_owned()
        } else {
            build.dockerfile.clone()
        };
        let tar = super::build_context::context_tar_for(context, &dockerfile, unpacker)?;
        (dockerfile, tar)
    } else {
        let name = ".devbox.dockerfile.inline".to_owned();
        let tar = super::build_context::context_tar_for(context, &name, unpacker)?;
        (
            name.clone(),
            append_file(tar, &name, build.dockerfile_inline.as_bytes()),
        )
    };
    let text = dockerfile_text(context, &dockerfile, &build.dockerfile_inline);
    let uses_syntax = text.as_deref().is_some_and(has_syntax_directive);

    let mut build_labels: HashMap<String, String> = build
        .labels
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    match builder {
        Builder::BuildKit => {
            build_labels.insert(labels::PROJECT.to_owned(), project.name.clone());
            build_labels.insert(labels::SERVICE.to_owned(), service.name.to_string());
            build_labels.insert(
                labels::VERSION.to_owned(),
                labels::COMPOSE_VERSION.to_owned(),
            );
        }
        Builder::Legacy => {
            build_labels.insert(
                "com.docker.compose.image.builder".to_owned(),
                "classic".to_owned(),
            );
            build_labels.insert(labels::PROJECT.to_owned(), project.name.clone());
        }
    }
    let args: HashMap<String, String> = build
        .args
        .iter()
        .filter_map(|(k, v)| v.clone().map(|v| (k.clone(), v)))
        .collect();
    let session = format!(
        "devbox-{}-{}-{}",
        project.name,
        service.name,
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0)
    );
    let attempt = |dockerfile: String, tar: Vec<u8>| {
        let opts = BuildImageOptions {
            dockerfile,
            t: Some(tag.clone()),
            rm: true,
            forcerm: true,
            nocache: options.no_cache || build.no_cache,
            pull: (options.pull || build.pull).then(|| "1".to_owned()),
            buildargs: Some(args.clone()),
            labels: Some(build_labels.clone()),
            target: build.target.clone(),
            networkmode: (!build.network.is_empty()).then(|| build.network.clone()),
            extrahosts: (!build.extra_hosts.is_empty()).then(|| {
                build
                    .extra_hosts
                    .iter()
                    .map(|h| h.replacen('=', ":", 1))
                    .collect::<Vec<_>>()
                    .join(",")
            }),
            shmsize: (!build.shm_size.is_zero())
                .then(|| i32::try_from(build.shm_size.0).unwrap_or(i32::MAX)),
            cachefrom: (!build.cache_from.is_empty()).then(|| build.cache_from.clone()),
            platform: build.platforms.first().cloned().unwrap_or_default(),
            version: match builder {
                Builder::BuildKit => BuilderVersion::BuilderBuildKit,
                Builder::Legacy => BuilderVersion::BuilderV1,
            },
            session: match builder {
                Builder::BuildKit => Some(session.clone()),
                Builder::Legacy => None,
            },
            ..BuildImageOptions::default()
        };
        run_build(docker, service, opts, tar, reporter)
    };
    match attempt(dockerfile.clone(), tar.clone()).await {
        Ok(()) => {}
        Err(err)
            if builder == Builder::BuildKit && uses_syntax && is_frontend_fetch_error(&err) =>
        {
            // `# syntax=` makes BuildKit fetch its frontend image from a registry; without one
            // the built-in frontend is the only one there is (expert-dockerfiles.md §0.1).
            // `BUILDKIT_SYNTAX=dockerfile.v0` is not understood by 20.10's BuildKit (it tries
            // to pull an image of that name), so the directive line itself is blanked in a
            // copy of the Dockerfile sent beside the context; line numbers stay the same.
            reporter.report(Progress::Warning(format!(
                "service \"{}\": the Dockerfile's `# syntax=` frontend could not be fetched (no registry reachable: {}); building with the engine's built-in Dockerfile frontend instead",
                service.name,
                first_line(&err.to_string())
            )));
            let copy = ".devbox.Dockerfile.builtin-frontend".to_owned();
            let body = without_syntax_directive(text.as_deref().unwrap_or_default());
            let tar = append_file(
                super::build_context::context_tar_for(context, &dockerfile, unpacker)?,
                &copy,
                body.as_bytes(),
            );
            attempt(copy, tar).await.map_err(|err| match err {
                StackError::Build { service, step, message, tail } => StackError::Build {
                    service,
                    step,
                    message: format!(
                        "{message}\n(built with the engine's built-in Dockerfile frontend because `# syntax=` needs a registry: heredocs and COPY --link need Dockerfile syntax 1.4, built into engines 23.0 and later; this engine's frontend is older)"
                    ),
                    tail,
                },
                other => other,
            })?;
        }
        Err(err) => return Err(err),
    }
    for extra in &build.tags {
        let (repo, tag_part) = super::digest::name_and_tag(extra);
        let opts = TagImageOptionsBuilder::new()
            .repo(&repo)
            .tag(&tag_part)
            .build();
        docker
            .tag_image(&tag, Some(opts))
            .await
            .map_err(|e| StackError::engine(format!("tagging {tag} as {extra}"), e))?;
    }
    let inspect = docker
        .inspect_image(&tag)
        .await
        .map_err(|e| StackError::engine(format!("inspecting the built image {tag}"), e))?;
    Ok(inspect.id.unwrap_or_default())
}

fn dockerfile_text(context: &Path, dockerfile: &str, inline: &str) -> Option<String> {
    if !inline.is_empty() {
        return Some(inline.to_owned());
    }
    std::fs::read_to_string(context.join(dockerfile)).ok()
}

/// A `# syntax=` parser directive: only at the top, before any instruction or other comment.
pub fn has_syntax_directive(text: &str) -> bool {
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        let Some(comment) = trimmed.strip_prefix('#') else {
            return false;
        };
        let Some((key, _)) = comment.split_once('=') else {
            return false;
        };
        let key = key.trim().to_ascii_lowercase();
        if key == "syntax" {
            return true;
        }
        if key != "escape" && key != "check" {
            return false;
        }
    }
    false
}

fn first_line(text: &str) -> String {
    let tail = text.rsplit(": ").next().unwrap_or(text);
    tail.lines().next().unwrap_or_default().to_owned()
}

/// The Dockerfile with its `# syntax=` directive line replaced by an empty comment.
pub fn without_syntax_directive(text: &str) -> String {
    let mut out = Vec::new();
    let mut in_directives = true;
    for line in text.split('\n') {
        let trimmed = line.trim();
        if in_directives {
            let is_syntax = trimmed
                .strip_prefix('#')
                .and_then(|c| c.split_once('='))
                .is_some_and(|(k, _)| k.trim().eq_ignore_ascii_case("syntax"));
            if is_syntax {
                out.push("#".to_owned());
                continue;
            }
            if !trimmed.is_empty() && !trimmed.starts_with('#') {
                in_directives = false;
            }
        }
        out.push(line.to_owned());
    }
    out.join("\n")
}

fn is_frontend_fetch_error(err: &StackError) -> bool {
    let text = err.to_string();
    text.contains("docker/dockerfile")
        || text.contains("failed to resolve source metadata")
        || text.contains("frontend")
}

/// Appends one file to a finished tar (Builder writes two zero blocks at the end).
fn append_file(mut tar: Vec<u8>, name: &str, data: &[u8]) -> Vec<u8> {
    if tar.len() >= 1024 && tar[tar.len() - 1024..].iter().all(|b| *b == 0) {
        tar.truncate(tar.len() - 1024);
    }
    let mut builder = tar::Builder::new(tar);
    let mut header = tar::Header::new_gnu();
    header.set_size(data.len() as u64);
    header.set_mode(0o644);
    header.set_cksum();
    if builder.append_data(&mut header, name, data).is_err() {
        return Vec::new();
    }
    builder.into_inner().unwrap_or_default()
}

/// Streams one build and turns its output into progress; on failure keeps the failing step and
/// the last lines of its output.
async fn run_build(
    docker: &Docker,
    service: &Service,
    options: BuildImageOptions,
    tar: Vec<u8>,
    reporter: &dyn Reporter,
) -> Result<(), StackError> {
    let name = service.name.to_string();
    let mut stream = docker.build_image(options, None, Some(bollard::body_full(tar.into())));
    let mut trace = Trace::default();
    while let Some(item) = stream.next().await {
        match item {
            Ok(info) => trace.absorb(&name, info, reporter),
            Err(err) => {
                let message = engine_message(&err);
                let (step, tail) = trace.failure();
                return Err(StackError::build_failed(name, step, message, tail));
            }
        }
    }
    if let Some((step, message)) = trace.vertex_error.take() {
        let (_, tail) = trace.failure();
        return Err(StackError::build_failed(name, step, message, tail));
    }
    Ok(())
}

/// What the build printed, enough to explain a failure.
#[derive(Default)]
struct Trace {
    last_step: String,
    legacy_tail: VecDeque<String>,
    vertex_names: BTreeMap<String, String>,
    vertex_logs: HashMap<String, VecDeque<String>>,
    vertex_error: Option<(String, String)>,
    reported: std::collections::HashSet<String>,
}

const TAIL: usize = 20;

impl Trace {
    fn absorb(&mut self, service: &str, info: BuildInfo, reporter: &dyn Reporter) {
        if let Some(line) = info.stream.as_deref() {
            for l in line.lines().filter(|l| !l.trim().is_empty()) {
                let clean = strip_ansi(l);
                // `Step 2/4 :` from the classic builder, `STEP 2/4:` from Buildah (Podman).
                if clean.starts_with("Step ") || clean.starts_with("STEP ") {
                    self.last_step = clean.clone();
                    self.legacy_tail.clear();
                    reporter.report(Progress::BuildLine {
                        service: service.to_owned(),
                        line: clean.clone(),
                    });
                }
                push_tail(&mut self.legacy_tail, clean);
            }
        }
        if let Some(BuildInfoAux::BuildKit(status)) = info.aux {
            for v in status.vertexes {
                self.vertex_names.insert(v.digest.clone(), v.name.clone());
                if v.started.is_some() && self.reported.insert(v.digest.clone()) {
                    reporter.report(Progress::BuildLine {
                        service: service.to_owned(),
                        line: if v.cached {
                            format!("{} (cached)", v.name)
                        } else {
                            v.name.clone()
                        },
                    });
                }
                if !v.error.is_empty() && self.vertex_error.is_none() {
                    self.vertex_error = Some((v.name.clone(), v.error.clone()));
                    self.last_step = v.name.clone();
                    self.legacy_tail = self.vertex_logs.get(&v.digest).cloned().unwrap_or_default();
                }
            }
            for log in status.logs {
                let text = String::from_utf8_lossy(&log.msg).to_string();
                let tail = self.vertex_logs.entry(log.vertex.clone()).or_default();
                for l in text.lines().filter(|l| !l.trim().is_empty()) {
                    push_tail(tail, strip_ansi(l));
                }
            }
        }
    }

    fn failure(&self) -> (String, String) {
        let step = if self.last_step.is_empty() {
            "the start of the build".to_owned()
        } else {
            self.last_step.clone()
        };
        let mut tail: Vec<String> = self.legacy_tail.iter().cloned().collect();
        if let Some((name, _)) = &self.vertex_error
            && let Some((digest, _)) = self.vertex_names.iter().find(|(_, n)| *n == name)
            && let Some(logs) = self.vertex_logs.get(digest)
        {
            tail = logs.iter().cloned().collect();
        }
        (
            step,
            tail.iter()
                .map(|l| format!("  | {l}"))
                .collect::<Vec<_>>()
                .join("\n"),
        )
    }
}

fn push_tail(tail: &mut VecDeque<String>, line: String) {
    tail.push_back(line);
    while tail.len() > TAIL {
        tail.pop_front();
    }
}

/// Drops ANSI colour sequences (the legacy builder wraps RUN stderr in `ESC[91m`).
pub fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            chars.next();
            for n in chars.by_ref() {
                if n.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_directive_only_counts_at_the_top() {
        assert!(has_syntax_directive(
            "# syntax=docker/dockerfile:1\nFROM x\n"
        ));
        assert!(has_syntax_directive(
            "# escape=`\n# syntax = docker/dockerfile:1.4\nFROM x"
        ));
        assert!(!has_syntax_directive(
            "FROM x\n# syntax=docker/dockerfile:1\n"
        ));
        assert!(!has_syntax_directive(
            "# a comment\n# syntax=docker/dockerfile:1\nFROM x"
        ));
    }

    #[test]
    fn the_syntax_line_is_blanked_and_lines_keep_their_numbers() {
        let text = "# syntax=docker/dockerfile:1\nFROM x\n# syntax=not-a-directive\n";
        assert_eq!(
            without_syntax_directive(text),
            "#\nFROM x\n# syntax=not-a-directive\n"
        );
    }

    #[test]
    fn ansi_colours_are_stripped() {
        assert_eq!(strip_ansi("\u{1b}[91moops\u{1b}[0m"), "oops");
    }
}
