//! Which files `devbox lint` reads: the project (compose files → the Dockerfiles they build →
//! each context's .dockerignore) or the paths given, each under the size limit of its kind.
//! All file-system access of lint lives here.

use super::LintError;
use crate::domain::compose::budget::Budget;
use crate::domain::compose::yaml::{Node, parse_documents_within};
use crate::domain::limits::{Limit, Limits};
use crate::domain::lint::project::{DockerfileInput, IgnoreInput};
use crate::domain::lint::{BuildLink, Project, SourceFile};
use crate::fsio::input::{Presence, presence, read_bytes};
use std::path::{Path, PathBuf};
use std::sync::Arc;

const COMPOSE_NAMES: &[&str] = &[
    "compose.yaml",
    "compose.yml",
    "docker-compose.yaml",
    "docker-compose.yml",
];
const OVERRIDE_NAMES: &[&str] = &[
    "compose.override.yaml",
    "compose.override.yml",
    "docker-compose.override.yaml",
    "docker-compose.override.yml",
];
/// Directories listed by name but never entered (they are huge and never hold manifests).
const OPAQUE: &[&str] = &[
    ".git",
    "node_modules",
    ".venv",
    "venv",
    "target",
    "__pycache__",
    "dist",
    "build",
    ".next",
];

/// The files of one run plus the real path of every display path (for `--fix`).
#[derive(Debug, Default)]
pub struct Discovered {
    pub project: Project,
    pub paths: Vec<(String, PathBuf)>,
    /// The size limits files are read under.
    pub limits: Limits,
}

impl Discovered {
    pub fn new(limits: Limits) -> Self {
        Self {
            project: Project {
                limits: limits.clone(),
                ..Project::default()
            },
            limits,
            ..Self::default()
        }
    }

    fn read(&mut self, path: &Path, base: &Path, kind: Limit) -> Result<SourceFile, LintError> {
        let bytes = read_bytes(path, self.limits.get(kind))
            .map_err(|error| LintError::input(path, error, kind, &self.limits))?;
        // A stray non-UTF-8 byte (a Latin-1 comment) must not stop the whole run: the
        // file is linted with the byte replaced, as Docker itself reads it as text.
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(err) => String::from_utf8_lossy(err.as_bytes()).into_owned(),
        };
        let display = display(path, base);
        self.paths.push((display.clone(), path.to_path_buf()));
        Ok(SourceFile {
            path: display,
            text,
        })
    }

    fn dockerfile(
        &mut self,
        path: &Path,
        base: &Path,
        ignore: Option<usize>,
        context: Option<&Path>,
    ) -> Result<usize, LintError> {
        let shown = display(path, base);
        if let Some(i) = self
            .project
            .dockerfiles
            .iter()
            .position(|d| d.file.path == shown)
        {
            return Ok(i);
        }
        let file = self.read(path, base, Limit::DockerfileBytes)?;
        let context_files = context.map(list_context);
        self.project.dockerfiles.push(DockerfileInput {
            file,
            ignore,
            context_files,
        });
        Ok(self.project.dockerfiles.len() - 1)
    }

    fn ignore(
        &mut self,
        path: &Path,
        base: &Path,
        context: Option<&Path>,
    ) -> Result<usize, LintError> {
        let shown = display(path, base);
        if let Some(i) = self
            .project
            .ignores
            .iter()
            .position(|d| d.file.path == shown)
        {
            return Ok(i);
        }
        let file = self.read(path, base, Limit::IgnoreFileBytes)?;
        self.project.ignores.push(IgnoreInput {
            file,
            context_files: context.map(list_context),
        });
        Ok(self.project.ignores.len() - 1)
    }
}

/// A path shown relative to `base` when it is inside it.
fn display(path: &Path, base: &Path) -> String {
    let rel = path.strip_prefix(base).unwrap_or(path);
    let s = rel.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

/// Relative paths in a build context, three levels deep; opaque dirs are listed, not entered.
pub fn list_context(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![(root.to_path_buf(), String::new(), 0)];
    while let Some((dir, prefix, depth)) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut names: Vec<(String, bool)> = entries
            .filter_map(Result::ok)
            .map(|e| {
                (
                    e.file_name().to_string_lossy().into_owned(),
                    e.file_type().is_ok_and(|t| t.is_dir()),
                )
            })
            .collect();
        names.sort();
        for (name, is_dir) in names {
            let rel = format!("{prefix}{name}");
            if is_dir && depth < 3 && !OPAQUE.contains(&name.as_str()) {
                stack.push((dir.join(&name), format!("{rel}/"), depth + 1));
            }
            out.push(rel);
        }
        if out.len() > 20_000 {
            break;
        }
    }
    out.sort();
    out
}

/// Whether a file is at `path`; something there that cannot be read (a link loop) is an
/// error naming it, not "no such file" (a looping Dockerfile read as "nothing to lint").
fn is_file(path: &Path, kind: Limit, limits: &Limits) -> Result<bool, LintError> {
    match presence(path) {
        Presence::File => Ok(true),
        Presence::Missing | Presence::Directory => Ok(false),
        Presence::Broken(error) => Err(LintError::input(path, error, kind, limits)),
    }
}

/// The first of `names` present in `dir`.
fn first_file(dir: &Path, names: &[&str], limits: &Limits) -> Result<Option<PathBuf>, LintError> {
    for name in names {
        let path = dir.join(name);
        if is_file(&path, Limit::ComposeFileBytes, limits)? {
            return Ok(Some(path));
        }
    }
    Ok(None)
}

/// The .dockerignore Docker uses for a Dockerfile: `<Dockerfile>.dockerignore` next to it wins.
fn ignore_for(
    dockerfile: &Path,
    context: &Path,
    limits: &Limits,
) -> Result<Option<PathBuf>, LintError> {
    let Some(name) = dockerfile.file_name() else {
        return Ok(None);
    };
    let name = name.to_string_lossy();
    let specific = dockerfile.with_file_name(format!("{name}.dockerignore"));
    if is_file(&specific, Limit::IgnoreFileBytes, limits)? {
        return Ok(Some(specific));
    }
    let general = context.join(".dockerignore");
    Ok(is_file(&general, Limit::IgnoreFileBytes, limits)?.then_some(general))
}

/// Discovers the project rooted at `dir` under the default limits.
pub fn project(dir: &Path, base: &Path) -> Result<Discovered, LintError> {
    project_within(dir, base, &Limits::default())
}

/// Discovers the project rooted at `dir`, reading files under `limits`.
pub fn project_within(dir: &Path, base: &Path, limits: &Limits) -> Result<Discovered, LintError> {
    let mut found = Discovered::new(limits.clone());
    let compose: Vec<PathBuf> = first_file(dir, COMPOSE_NAMES, limits)?
        .into_iter()
        .chain(first_file(dir, OVERRIDE_NAMES, limits)?)
        .collect();
    if compose.is_empty() {
        let dockerfile = dir.join("Dockerfile");
        if is_file(&dockerfile, Limit::DockerfileBytes, limits)? {
            let ignore = match ignore_for(&dockerfile, dir, limits)? {
                Some(p) => Some(found.ignore(&p, base, Some(dir))?),
                None => None,
            };
            found.dockerfile(&dockerfile, base, ignore, Some(dir))?;
        } else {
            return Err(LintError::NothingToLint {
                dir: dir.to_path_buf(),
            });
        }
        return Ok(found);
    }
    for file in compose {
        add_compose(&mut found, &file, base)?;
    }
    Ok(found)
}

/// Adds a compose file and everything its services build.
pub fn add_compose(found: &mut Discovered, file: &Path, base: &Path) -> Result<(), LintError> {
    let source = found.read(file, base, Limit::ComposeFileBytes)?;
    let dir = file
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let builds = builds_of(&source.path, &source.text, &found.limits);
    found.project.composes.push(source);
    let compose = found.project.composes.len() - 1;
    for b in builds {
        let context = dir.join(&b.context);
        let dockerfile_path = context.join(&b.dockerfile);
        let (mut dockerfile, mut ignore) = (None, None);
        if let Some(p) = ignore_for(&dockerfile_path, &context, &found.limits)? {
            ignore = Some(found.ignore(&p, base, Some(&context))?);
        }
        if is_file(&dockerfile_path, Limit::DockerfileBytes, &found.limits)? {
            dockerfile = Some(found.dockerfile(&dockerfile_path, base, ignore, Some(&context))?);
        }
        found.project.builds.push(BuildLink {
            compose,
            service: b.service,
            dockerfile,
            ignore,
            target: b.target,
            context: b.context,
        });
    }
    Ok(())
}

/// Adds one path given on the command line.
pub fn add_path(found: &mut Discovered, path: &Path, base: &Path) -> Result<(), LintError> {
    if presence(path) == Presence::Directory {
        let sub = project_within(path, base, &found.limits)?;
        found.project = merge(std::mem::take(&mut found.project), sub.project);
        found.paths.extend(sub.paths);
        return Ok(());
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if name.ends_with(".yml") || name.ends_with(".yaml") {
        add_compose(found, path, base)
    } else if name.ends_with(".dockerignore") {
        let context = path.parent().map(Path::to_path_buf);
        found.ignore(path, base, context.as_deref()).map(|_| ())
    } else {
        // Linted as `docker build` in its own directory reads it: with the .dockerignore
        // there (or `<name>.dockerignore`), so `devbox lint dir/Dockerfile` and
        // `devbox lint dir` agree.
        let context = path
            .parent()
            .map(|p| {
                if p.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    p
                }
            })
            .map(Path::to_path_buf);
        let ignore = match context.as_deref() {
            Some(c) => ignore_for(path, c, &found.limits)?,
            None => None,
        };
        let ignore = match ignore {
            Some(p) => Some(found.ignore(&p, base, context.as_deref())?),
            None => None,
        };
        found
            .dockerfile(path, base, ignore, context.as_deref())
            .map(|_| ())
    }
}

/// Appends `b` to `a`, shifting `b`'s indices.
fn merge(mut a: Project, b: Project) -> Project {
    let (d, c, i) = (a.dockerfiles.len(), a.composes.len(), a.ignores.len());
    a.dockerfiles.extend(b.dockerfiles.into_iter().map(|mut x| {
        x.ignore = x.ignore.map(|n| n + i);
        x
    }));
    a.composes.extend(b.composes);
    a.ignores.extend(b.ignores);
    a.builds.extend(b.builds.into_iter().map(|mut x| {
        x.compose += c;
        x.dockerfile = x.dockerfile.map(|n| n + d);
        x.ignore = x.ignore.map(|n| n + i);
        x
    }));
    a
}

struct BuildSpec {
    service: String,
    context: String,
    dockerfile: String,
    target: Option<String>,
}

/// The `build:` of every service, from the raw YAML (no interpolation: `${X:-d}` → `d`).
fn builds_of(path: &str, text: &str, limits: &Limits) -> Vec<BuildSpec> {
    let file: Arc<str> = Arc::from(path);
    let Ok(docs) = parse_documents_within(&file, text, &mut Budget::new(limits)) else {
        return vec![];
    };
    let Some(root) = docs.into_iter().rev().find(|d| d.as_map().is_some()) else {
        return vec![];
    };
    let scalar = |n: Option<&Node>| {
        n.and_then(Node::scalar_text)
            .map(|s| crate::domain::dockerfile::words::substitute(&s, &[]))
    };
    let Some(services) = root
        .as_map()
        .and_then(|m| m.get("services"))
        .and_then(Node::as_map)
    else {
        return vec![];
    };
    services
        .iter()
        .filter_map(|(name, svc)| {
            let build = svc.as_map()?.get("build")?;
            let (context, dockerfile, target) = match build.as_map() {
                Some(m) => {
                    if m.contains_key("dockerfile_inline") {
                        return None;
                    }
                    (
                        scalar(m.get("context")),
                        scalar(m.get("dockerfile")),
                        scalar(m.get("target")),
                    )
                }
                None => (scalar(Some(build)), None, None),
            };
            let context = context.unwrap_or_else(|| ".".into());
            if context.contains("://") || context.starts_with("git@") {
                return None;
            }
            Some(BuildSpec {
                service: name.clone(),
                context,
                dockerfile: dockerfile.unwrap_or_else(|| "Dockerfile".into()),
                target,
            })
        })
        .collect()
}
