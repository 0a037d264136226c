//! DBX304: a manifest or lockfile the build needs is excluded.

use super::{IgnoreCtx, common};
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Hit, Severity};

pub struct Rule304;

static META: RuleMeta = RuleMeta {
    id: "DBX304",
    name: "manifest-ignored",
    category: Category::Dockerignore,
    severity: Severity::Error,
    summary: "a dependency manifest or lockfile is excluded from the build context",
    help: "remove the pattern, or add an exception such as `!package-lock.json` after it",
    explain: "# DBX304 manifest-ignored\n\nInstalls read the manifest and lockfile: `npm ci` fails without `package-lock.json`,\n\
`uv sync --locked` without `uv.lock`, and a missing lockfile silently turns a reproducible install into\n\
\"whatever is newest today\". Broad patterns (`*.json`, `*.lock`, `*.txt`, `*.toml`) catch them by accident.\n\n\
Checked: package.json, package-lock.json, npm-shrinkwrap.json, yarn.lock, pnpm-lock.yaml, pnpm-workspace.yaml,\n\
bun.lock, bun.lockb, pyproject.toml, uv.lock, poetry.lock, requirements*.txt, go.mod, go.sum, Cargo.toml,\n\
Cargo.lock, Gemfile, Gemfile.lock, composer.json, composer.lock, tsconfig.json, .cargo/config.toml.\n\
An allowlist (`*` followed by `!` exceptions) is deliberate and not checked here: DBX401 reports a COPY of\n\
a file it leaves out.\n\n\
## Example\n\n```\n*.lock\n!uv.lock\n```\n",
    fixable: false,
    hadolint: &[],
};

const MANIFESTS: &[&str] = &[
    "package.json",
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "pnpm-workspace.yaml",
    "bun.lock",
    "bun.lockb",
    "pyproject.toml",
    "uv.lock",
    "poetry.lock",
    "requirements.txt",
    "go.mod",
    "go.sum",
    "Cargo.toml",
    "Cargo.lock",
    "Gemfile",
    "Gemfile.lock",
    "composer.json",
    "composer.lock",
    "tsconfig.json",
    ".cargo/config.toml",
];

impl Rule for Rule304 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_dockerignore(&self, cx: &IgnoreCtx<'_>, out: &mut Vec<Hit>) {
        if cx.matcher.is_err() {
            return;
        }
        // An allowlist (`*`, then `!what/the/build/needs`) excludes on purpose: a missing
        // manifest there is DBX401's business, which knows what the Dockerfile copies.
        if cx
            .lines
            .iter()
            .any(|l| !l.exclusion && matches!(l.pattern.as_str(), "*" | "**" | "/*" | "**/*"))
        {
            return;
        }
        let mut candidates: Vec<String> = MANIFESTS.iter().map(|s| s.to_string()).collect();
        if let Some(files) = cx.context_files {
            candidates.retain(|c| files.contains(c));
            candidates.extend(
                files
                    .iter()
                    .filter(|f| {
                        !f.contains('/') && f.starts_with("requirements") && f.ends_with(".txt")
                    })
                    .cloned(),
            );
            candidates.dedup();
        }
        for name in candidates {
            if !cx.excludes(&name) {
                continue;
            }
            let line = common::excluding_line(cx, &name);
            let span = line.map_or(0..0, |l| cx.line_span(l));
            out.push(Hit::new(
                span,
                format!("`{name}` is excluded from the build context, but installs need it"),
            ));
        }
    }
}
