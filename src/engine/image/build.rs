//! Image builds for services with `build:`: BuildKit reads the context through a session devbox
//! serves (as with the Docker CLI), or, where no session can be opened (Podman, TLS endpoints),
//! from a tar with Docker's exact `.dockerignore` semantics; the legacy builder when the engine
//! has no BuildKit. Steps are reported as progress; a failure names the failing step.

use std::collections::HashMap;
use std::path::Path;

use bollard::Docker;
use bollard::query_parameters::{BuildImageOptions, BuilderVersion, TagImageOptionsBuilder};

use super::build_stream::run_build;
use super::build_syntax::{
    append_file, first_line, has_syntax_directive, is_frontend_fetch_error,
    without_syntax_directive,
};
use super::session::{self, Dial, Dirs, Source};

use crate::domain::compose::{Project, Service};

use crate::engine::error::StackError;
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
    let dockerfile = if !build.dockerfile_inline.is_empty() {
        ".devbox.dockerfile.inline".to_owned()
    } else if build.dockerfile.is_empty() {
        "Dockerfile".to_owned()
    } else {
        build.dockerfile.clone()
    };
    let text = dockerfile_text(context, &dockerfile, &build.dockerfile_inline);
    let uses_syntax = text.as_deref().is_some_and(has_syntax_directive);
    let dial = match builder {
        Builder::BuildKit => Dial::for_builds(docker).await,
        Builder::Legacy => None,
    };
    let inline = (!build.dockerfile_inline.is_empty()).then(|| build.dockerfile_inline.clone());
    let sent = Sent {
        context,
        dockerfile: &dockerfile,
        builder,
        dial,
        service: service.name.as_str(),
        reporter,
    };

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
    let base = BuildImageOptions {
        t: Some(tag.clone()),
        rm: true,
        forcerm: true,
        nocache: options.no_cache || build.no_cache,
        pull: (options.pull || build.pull).then(|| "1".to_owned()),
        buildargs: Some(args),
        labels: Some(build_labels),
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
        ..BuildImageOptions::default()
    };
    match sent.send(docker, base.clone(), inline.clone()).await {
        Ok(()) => {}
        Err(err)
            if builder == Builder::BuildKit && uses_syntax && is_frontend_fetch_error(&err) =>
        {
            // `# syntax=` makes BuildKit fetch its frontend image from a registry; without one
            // the built-in frontend is the only one there is (expert-dockerfiles.md §0.1).
            // `BUILDKIT_SYNTAX=dockerfile.v0` is not understood by 20.10's BuildKit (it tries
            // to pull an image of that name), so the directive line itself is blanked in a
            // copy of the Dockerfile; line numbers stay the same.
            reporter.report(Progress::Warning(format!(
                "service \"{}\": the Dockerfile's `# syntax=` frontend could not be fetched (no registry reachable: {}); building with the engine's built-in Dockerfile frontend instead",
                service.name,
                first_line(&err.to_string())
            )));
            let body = without_syntax_directive(text.as_deref().unwrap_or_default());
            sent.send(docker, base, Some(body)).await.map_err(|err| match err {
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

/// How one service's build is sent: the directories a BuildKit session serves, or a tar.
struct Sent<'a> {
    context: &'a Path,
    /// The Dockerfile's path relative to the context (or absolute), or the inline one's name.
    dockerfile: &'a str,
    builder: Builder,
    /// Set when the engine can serve a session (a Docker engine devbox can dial).
    dial: Option<Dial>,
    service: &'a str,
    reporter: &'a dyn Reporter,
}

impl Sent<'_> {
    /// Runs the build with the Dockerfile on disk, or with `text` as its content (inline, or
    /// without its `# syntax=` line). A session that cannot be opened falls back to a tar.
    async fn send(
        &self,
        docker: &Docker,
        mut options: BuildImageOptions,
        text: Option<String>,
    ) -> Result<(), StackError> {
        if let Some(dial) = &self.dial {
            let (dirs, name) = self.session_dirs(text.as_deref())?;
            match session::start(dial, dirs, &session::shared_key(self.context)).await {
                Ok(session) => {
                    options.dockerfile = name;
                    options.remote = Some("client-session".to_owned());
                    options.session = Some(session.id.clone());
                    let result = run_build(docker, self.service, options, Vec::new(), self.reporter).await;
                    drop(session);
                    return result;
                }
                Err(err) => self.reporter.report(Progress::Warning(format!(
                    "service \"{}\": {err}; sending the build context as a tar instead (the Dockerfile then reaches the context even when .dockerignore excludes it; set {}=tar to skip the session)",
                    self.service,
                    session::CONTEXT_ENV
                ))),
            }
        }
        let unpacker = match self.builder {
            Builder::BuildKit => super::build_context::Unpacker::BuildKit,
            Builder::Legacy => super::build_context::Unpacker::Legacy,
        };
        let tar = super::build_context::context_tar_for(self.context, self.dockerfile, unpacker)?;
        let (name, tar) = match text {
            Some(body) => {
                let name = if self.dockerfile.starts_with(".devbox.dockerfile.inline") {
                    self.dockerfile.to_owned()
                } else {
                    ".devbox.Dockerfile.builtin-frontend".to_owned()
                };
                let tar = append_file(tar, &name, body.as_bytes());
                (name, tar)
            }
            None => (self.dockerfile.to_owned(), tar),
        };
        options.dockerfile = name;
        run_build(docker, self.service, options, tar, self.reporter).await
    }

    /// `context` is the context directory with devbox's own `.dockerignore` applied on top of
    /// what BuildKit asks for; `dockerfile` is the Dockerfile's directory, or the text alone.
    fn session_dirs(&self, text: Option<&str>) -> Result<(Dirs, String), StackError> {
        let ignore = super::build_context::load_matcher(self.context, self.dockerfile)?;
        let path = self.context.join(self.dockerfile);
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("Dockerfile")
            .to_owned();
        let mut dirs = Dirs::default();
        dirs.0.insert(
            "context".to_owned(),
            Source::Disk {
                root: self.context.to_path_buf(),
                excludes: Some(ignore),
            },
        );
        let dockerfile = match text {
            Some(body) => Source::Memory(vec![(name.clone(), body.as_bytes().into())]),
            None => Source::Disk {
                root: path.parent().unwrap_or(self.context).to_path_buf(),
                excludes: None,
            },
        };
        dirs.0.insert("dockerfile".to_owned(), dockerfile);
        Ok((dirs, name))
    }
}
