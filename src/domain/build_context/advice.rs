//! What a `.dockerignore` should add: dependency trees, version-control data, caches, build
//! output and secrets found among the entries a build sends, with the bytes each would save.

use serde::Serialize;

use super::{Class, Tally};

/// Why a path should stay out of the build context.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Why {
    /// A secret: it would be readable in any layer that copies it.
    Secret,
    /// Installed by the image itself; a host copy is for the host's OS and CPU.
    Dependencies,
    VersionControl,
    BuildOutput,
    Cache,
}

impl Why {
    pub fn label(self) -> &'static str {
        match self {
            Why::Secret => "secret",
            Why::Dependencies => "dependencies",
            Why::VersionControl => "version control",
            Why::BuildOutput => "build output",
            Why::Cache => "cache",
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Name {
    Exact(&'static str),
    Prefix(&'static str),
    Suffix(&'static str),
}

impl Name {
    fn matches(self, name: &str) -> bool {
        match self {
            Name::Exact(n) => name == n,
            Name::Prefix(p) => name.starts_with(p),
            Name::Suffix(s) => name.len() > s.len() && name.ends_with(s),
        }
    }

    /// The `.dockerignore` line for it: at the root only, or at any depth.
    fn pattern(self, anywhere: bool) -> String {
        let body = match self {
            Name::Exact(n) => n.to_owned(),
            Name::Prefix(p) => format!("{p}*"),
            Name::Suffix(s) => format!("*{s}"),
        };
        if anywhere { format!("**/{body}") } else { body }
    }
}

struct Candidate {
    name: Name,
    dir: bool,
    why: Why,
    /// A file at the context root one of which must exist for the name to mean this
    /// (`target` is Cargo's or Maven's output, elsewhere it may be sources).
    when_root_has: &'static [&'static str],
}

const fn dir(name: &'static str, why: Why) -> Candidate {
    Candidate {
        name: Name::Exact(name),
        dir: true,
        why,
        when_root_has: &[],
    }
}

const fn file(name: Name) -> Candidate {
    Candidate {
        name,
        dir: false,
        why: Why::Secret,
        when_root_has: &[],
    }
}

const JS_PY_MANIFESTS: &[&str] = &[
    "package.json",
    "pyproject.toml",
    "setup.py",
    "build.gradle",
    "build.gradle.kts",
];

const CANDIDATES: &[Candidate] = &[
    dir("node_modules", Why::Dependencies),
    dir(".venv", Why::Dependencies),
    dir("venv", Why::Dependencies),
    dir(".terraform", Why::Dependencies),
    dir(".git", Why::VersionControl),
    dir(".hg", Why::VersionControl),
    dir(".svn", Why::VersionControl),
    dir("__pycache__", Why::Cache),
    dir(".pytest_cache", Why::Cache),
    dir(".mypy_cache", Why::Cache),
    dir(".ruff_cache", Why::Cache),
    dir(".tox", Why::Cache),
    dir(".gradle", Why::Cache),
    dir(".next", Why::BuildOutput),
    dir(".nuxt", Why::BuildOutput),
    dir(".turbo", Why::Cache),
    dir(".parcel-cache", Why::Cache),
    dir("coverage", Why::BuildOutput),
    Candidate {
        name: Name::Exact("target"),
        dir: true,
        why: Why::BuildOutput,
        when_root_has: &["Cargo.toml", "pom.xml"],
    },
    Candidate {
        name: Name::Exact("dist"),
        dir: true,
        why: Why::BuildOutput,
        when_root_has: JS_PY_MANIFESTS,
    },
    Candidate {
        name: Name::Exact("build"),
        dir: true,
        why: Why::BuildOutput,
        when_root_has: JS_PY_MANIFESTS,
    },
    dir("secrets", Why::Secret),
    dir(".aws", Why::Secret),
    dir(".ssh", Why::Secret),
    file(Name::Exact(".env")),
    file(Name::Prefix(".env.")),
    file(Name::Suffix(".pem")),
    file(Name::Suffix(".key")),
    file(Name::Suffix(".p12")),
    file(Name::Suffix(".pfx")),
    file(Name::Prefix("id_rsa")),
    file(Name::Prefix("id_ed25519")),
    file(Name::Prefix("id_ecdsa")),
];

/// Templates committed beside `.env` files: they hold no secret and are often copied.
fn is_env_template(name: &str) -> bool {
    [".example", ".sample", ".template", ".dist", ".defaults"]
        .iter()
        .any(|s| name.ends_with(s))
}

/// One line (or a few) to add to `.dockerignore`, and what it would save.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    pub lines: Vec<String>,
    pub why: Why,
    pub saves: Tally,
    /// Up to three of the paths it would leave out.
    pub examples: Vec<String>,
}

const EXAMPLES: usize = 3;

#[derive(Debug, Default, Clone)]
struct Found {
    tally: Tally,
    anywhere: bool,
    examples: Vec<String>,
}

/// Collects, entry by entry, the sent paths that a candidate names.
#[derive(Debug, Clone)]
pub struct Advisor {
    found: Vec<Found>,
    root_files: Vec<String>,
    /// `.env.example` and the like, kept by an exception when `.env.*` is suggested.
    templates: std::collections::BTreeSet<String>,
}

impl Default for Advisor {
    fn default() -> Self {
        Advisor {
            found: vec![Found::default(); CANDIDATES.len()],
            root_files: Vec::new(),
            templates: Default::default(),
        }
    }
}

impl Advisor {
    /// Notes one sent entry (`size`: a file's bytes).
    pub fn sent(&mut self, rel: &str, class: Class, size: u64) {
        let dir = class == Class::Dir;
        let parts: Vec<&str> = rel.split('/').collect();
        if parts.len() == 1 && !dir {
            self.root_files.push(rel.to_owned());
        }
        for (depth, part) in parts.iter().enumerate() {
            let last = depth + 1 == parts.len();
            let is_dir = !last || dir;
            let hit = CANDIDATES.iter().position(|c| {
                c.dir == is_dir
                    && c.name.matches(part)
                    && !(matches!(c.name, Name::Prefix(".env.")) && is_env_template(part))
            });
            if let Some(index) = hit {
                let found = &mut self.found[index];
                found.tally.add(class, size);
                found.anywhere |= depth > 0;
                let at = parts[..=depth].join("/");
                if found.examples.len() < EXAMPLES && !found.examples.contains(&at) {
                    found.examples.push(at);
                }
                return;
            }
            if last && !is_dir && part.starts_with(".env.") && is_env_template(part) {
                self.templates.insert((*part).to_owned());
            }
        }
    }

    /// The suggestions, largest saving first (secrets before all others), leaving out paths
    /// a `COPY`/`ADD` source names (`needed`: cleaned context paths, `.` excluded).
    pub fn finish(self, needed: &[String]) -> Vec<Suggestion> {
        let mut out = Vec::new();
        for (candidate, found) in CANDIDATES.iter().zip(self.found) {
            if found.tally.entries() == 0 {
                continue;
            }
            if !candidate.when_root_has.is_empty()
                && !candidate
                    .when_root_has
                    .iter()
                    .any(|f| self.root_files.iter().any(|r| r == f))
            {
                continue;
            }
            let copied = found.examples.iter().any(|path| {
                needed.iter().any(|n| {
                    n == path
                        || n.starts_with(&format!("{path}/"))
                        || path.starts_with(&format!("{n}/"))
                })
            });
            if copied {
                continue;
            }
            let mut lines = vec![candidate.name.pattern(found.anywhere)];
            if matches!(candidate.name, Name::Prefix(".env.")) {
                lines.extend(self.templates.iter().map(|t| format!("!**/{t}")));
            }
            out.push(Suggestion {
                lines,
                why: candidate.why,
                saves: found.tally,
                examples: found.examples,
            });
        }
        out.sort_by(|a, b| {
            (a.why != Why::Secret)
                .cmp(&(b.why != Why::Secret))
                .then(b.saves.bytes.cmp(&a.saves.bytes))
        });
        out
    }
}
