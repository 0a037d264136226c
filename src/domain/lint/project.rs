//! The files of one lint run (given by the caller, already read) and the engine that runs every
//! rule on them, applies pragmas and configuration and turns hits into positioned findings.

use super::compose::ComposeCtx;
pub use super::cross::BuildLink;
use super::cross::ProjectCtx;
use super::dockerfile::DockerfileCtx;
use super::dockerignore::IgnoreCtx;
use super::pragma::Pragmas;
use super::registry::{FileRef, Rule, all_rules};
use super::text::LineIndex;
use super::{Category, Finding, FixOptions, Hit, LintConfig, Report};
use crate::domain::compose::budget::Budget;
use crate::domain::compose::yaml::{Node, parse_documents_within};
use crate::domain::dockerfile::{Dockerfile, ParseError};
use crate::domain::limits::Limits;
use crate::domain::platform::LocalImages;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// A file's display path and text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    pub path: String,
    pub text: String,
}

/// A Dockerfile to lint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DockerfileInput {
    pub file: SourceFile,
    /// Index into `Project::ignores` of its build context's .dockerignore.
    pub ignore: Option<usize>,
    /// Relative paths in the build context, when listed.
    pub context_files: Option<Vec<String>>,
}

/// A .dockerignore to lint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IgnoreInput {
    pub file: SourceFile,
    pub context_files: Option<Vec<String>>,
}

/// Everything one lint run looks at.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Project {
    pub dockerfiles: Vec<DockerfileInput>,
    pub composes: Vec<SourceFile>,
    pub ignores: Vec<IgnoreInput>,
    pub builds: Vec<BuildLink>,
    /// Stage count and expanded size the files are parsed under.
    pub limits: Limits,
    /// What the engine has of the base images (empty unless the caller asked it).
    pub images: LocalImages,
}

impl Project {
    /// A project of one Dockerfile (tests, `devbox lint path/Dockerfile`).
    pub fn single_dockerfile(path: &str, text: &str) -> Project {
        Project {
            dockerfiles: vec![DockerfileInput {
                file: SourceFile {
                    path: path.into(),
                    text: text.into(),
                },
                ignore: None,
                context_files: None,
            }],
            ..Project::default()
        }
    }
}

impl Project {
    /// The images the Dockerfiles' stages start from (global ARG defaults applied), each once:
    /// what a caller looks up in the engine for `images`. `scratch`, earlier stages and
    /// references still holding a variable are left out.
    pub fn base_images(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for d in &self.dockerfiles {
            let Ok(df) = Dockerfile::parse_within(&d.file.text, &self.limits) else {
                continue;
            };
            for stage in &df.stages {
                let (image, earlier) = df.resolved_base(stage);
                let image = image.trim();
                if earlier.is_none()
                    && !image.is_empty()
                    && !image.contains('$')
                    && !image.eq_ignore_ascii_case("scratch")
                    && !out.iter().any(|o| o == image)
                {
                    out.push(image.to_owned());
                }
            }
        }
        out
    }

    /// The programs the health checks of services that run a named image (no `build:`) call,
    /// per image: what a caller looks for in the engine's copy of each image for `images`.
    pub fn probe_programs(&self) -> BTreeMap<String, BTreeSet<String>> {
        use super::compose::{get, parts};
        let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for c in &self.composes {
            let Ok(Some(root)) = compose_root(&c.path, &c.text, &self.limits) else {
                continue;
            };
            let Some(services) = get(&root, "services").and_then(|s| s.as_map()) else {
                continue;
            };
            for (_, service) in services.iter() {
                if get(service, "build").is_some() {
                    continue;
                }
                let Some(image) = parts::image(service).filter(|i| !i.contains('$')) else {
                    continue;
                };
                let programs = super::cross::dbx402::probe_programs(service);
                if !programs.is_empty() {
                    out.entry(image).or_default().extend(programs);
                }
            }
        }
        out
    }
}

struct Collector<'c> {
    config: &'c LintConfig,
    findings: Vec<Finding>,
}

impl Collector<'_> {
    fn add(
        &mut self,
        rule: &dyn Rule,
        file: &str,
        text: &str,
        index: &LineIndex,
        pragmas: &Pragmas,
        hit: Hit,
    ) {
        let meta = rule.meta();
        if self.config.is_ignored(meta.id) || pragmas.silences(meta.id, hit.span.start) {
            return;
        }
        let (line, column) = index.position(text, hit.span.start);
        let (end_line, end_column) = index.position(text, hit.span.end);
        let line_hash =
            super::text::line_hash(text.get(index.line_range(text, line)).unwrap_or(""));
        self.findings.push(Finding {
            rule_id: meta.id,
            severity: self.config.severity_of(meta.id, meta.severity),
            file: file.to_string(),
            span: hit.span,
            line,
            column,
            end_line,
            end_column,
            message: hit.message,
            help: hit.help.unwrap_or_else(|| meta.help.to_owned()),
            fix: hit.fix,
            line_hash,
        });
    }
}

struct Indexed<'a> {
    path: &'a str,
    text: &'a str,
    index: LineIndex,
    pragmas: Pragmas,
}

impl<'a> Indexed<'a> {
    fn new(file: &'a SourceFile, escape: Option<char>) -> Self {
        Indexed {
            path: &file.path,
            text: &file.text,
            index: LineIndex::new(&file.text),
            pragmas: Pragmas::parse(&file.text, escape),
        }
    }
}

pub(super) fn run(project: &Project, config: &LintConfig, options: &FixOptions) -> Report {
    let rules = all_rules();
    let mut out = Collector {
        config,
        findings: Vec::new(),
    };
    let parsed: Vec<Result<Dockerfile, ParseError>> = project
        .dockerfiles
        .iter()
        .map(|d| Dockerfile::parse_within(&d.file.text, &project.limits))
        .collect();
    let df_files: Vec<Indexed> = project
        .dockerfiles
        .iter()
        .zip(&parsed)
        .map(|(d, p)| Indexed::new(&d.file, Some(p.as_ref().map_or('\\', |df| df.escape))))
        .collect();
    let compose_files: Vec<Indexed> = project
        .composes
        .iter()
        .map(|c| Indexed::new(c, None))
        .collect();
    let ignore_files: Vec<Indexed> = project
        .ignores
        .iter()
        .map(|i| Indexed::new(&i.file, None))
        .collect();

    let mut hits = Vec::new();
    let mut df_ctxs = Vec::with_capacity(parsed.len());
    for ((input, result), file) in project.dockerfiles.iter().zip(&parsed).zip(&df_files) {
        match result {
            Ok(df) => {
                let cx = DockerfileCtx::new(
                    file.path,
                    file.text,
                    df,
                    options,
                    input.context_files.as_deref(),
                );
                for rule in rules
                    .iter()
                    .filter(|r| r.meta().category == Category::Dockerfile)
                {
                    rule.check_dockerfile(&cx, &mut hits);
                    for hit in hits.drain(..) {
                        out.add(*rule, file.path, file.text, &file.index, &file.pragmas, hit);
                    }
                }
                df_ctxs.push(Some(cx));
            }
            Err(err) => {
                for rule in rules {
                    rule.check_parse_error(err, &mut hits);
                    for hit in hits.drain(..) {
                        out.add(*rule, file.path, file.text, &file.index, &file.pragmas, hit);
                    }
                }
                df_ctxs.push(None);
            }
        }
    }

    let roots: Vec<Result<Option<Node>, (usize, String)>> = project
        .composes
        .iter()
        .map(|c| compose_root(&c.path, &c.text, &project.limits))
        .collect();
    let mut compose_ctxs = Vec::new();
    for (root, file) in roots.iter().zip(&compose_files) {
        let cx = ComposeCtx {
            path: file.path,
            text: file.text,
            root: root.as_ref().ok().and_then(Option::as_ref),
            index: &file.index,
        };
        for rule in rules {
            match root {
                Ok(_) => rule.check_compose(&cx, &mut hits),
                Err((offset, message)) => rule.check_compose_error(*offset, message, &mut hits),
            }
            for hit in hits.drain(..) {
                out.add(*rule, file.path, file.text, &file.index, &file.pragmas, hit);
            }
        }
        compose_ctxs.push(cx);
    }

    let mut ignore_ctxs = Vec::new();
    for (input, file) in project.ignores.iter().zip(&ignore_files) {
        let cx = IgnoreCtx::new(file.path, file.text, input.context_files.as_deref());
        for rule in rules
            .iter()
            .filter(|r| r.meta().category == Category::Dockerignore)
        {
            rule.check_dockerignore(&cx, &mut hits);
            for hit in hits.drain(..) {
                out.add(*rule, file.path, file.text, &file.index, &file.pragmas, hit);
            }
        }
        ignore_ctxs.push(cx);
    }

    let pcx = ProjectCtx {
        dockerfiles: df_ctxs,
        composes: compose_ctxs,
        ignores: ignore_ctxs,
        builds: &project.builds,
        dockerfile_ignore: project.dockerfiles.iter().map(|d| d.ignore).collect(),
        images: &project.images,
    };
    let mut file_hits = Vec::new();
    for rule in rules {
        rule.check_project(&pcx, &mut file_hits);
        for (target, hit) in file_hits.drain(..) {
            let file = match target {
                FileRef::Dockerfile(i) => df_files.get(i),
                FileRef::Compose(i) => compose_files.get(i),
                FileRef::Dockerignore(i) => ignore_files.get(i),
            };
            if let Some(f) = file {
                out.add(*rule, f.path, f.text, &f.index, &f.pragmas, hit);
            }
        }
    }

    let mut findings = out.findings;
    let order: Vec<&str> = df_files
        .iter()
        .chain(&compose_files)
        .chain(&ignore_files)
        .map(|f| f.path)
        .collect();
    findings.sort_by(|a, b| {
        let pos = |f: &Finding| {
            order
                .iter()
                .position(|p| *p == f.file)
                .unwrap_or(usize::MAX)
        };
        (pos(a), a.span.start, a.rule_id).cmp(&(pos(b), b.span.start, b.rule_id))
    });
    findings.dedup_by(|a, b| {
        a.rule_id == b.rule_id && a.file == b.file && a.span == b.span && a.message == b.message
    });
    Report {
        findings,
        files: order.into_iter().map(str::to_string).collect(),
    }
}

/// The merged root mapping of a compose file, or the byte offset and text of its YAML error.
fn compose_root(path: &str, text: &str, limits: &Limits) -> Result<Option<Node>, (usize, String)> {
    let file: Arc<str> = Arc::from(path);
    match parse_documents_within(&file, text, &mut Budget::new(limits)) {
        Ok(docs) => Ok(docs.into_iter().rev().find(|d| d.as_map().is_some())),
        Err(e) => {
            let offset = e.pos.as_ref().map_or(0, |p| {
                let index = LineIndex::new(text);
                index.line_start(p.line as usize) + (p.col as usize).saturating_sub(1)
            });
            Err((offset.min(text.len()), e.message.clone()))
        }
    }
}
