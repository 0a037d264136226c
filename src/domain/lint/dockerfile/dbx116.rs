//! DBX116: the whole source is copied before dependencies are installed.

use super::{DockerfileCtx, pkg};
use crate::domain::dockerfile::{Body, Source};
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Edit, Hit, Severity};

pub struct Rule116;

static META: RuleMeta = RuleMeta {
    id: "DBX116",
    name: "copy-before-install",
    category: Category::Dockerfile,
    severity: Severity::Warning,
    summary: "the source is copied before dependencies are installed: every code change reinstalls them",
    help: "copy the manifest and lockfile first, install, then `COPY . .` (autofix when the install follows directly)",
    explain: "# DBX116 copy-before-install\n\nDocker reuses a layer only if everything before it is unchanged. `COPY . .`\n\
changes with every edit, so an install after it (`npm ci`, `pip install -r`, `uv sync`, `go mod download`,\n\
`bundle install`...) reruns on every build. Copy only what the install reads first.\n\n\
## Example\n\n```dockerfile\n# flagged\nCOPY . .\nRUN npm ci\n\n# fine\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\n```\n\n\
## Autofix\n\nWhen the install `RUN` directly follows the `COPY` and only installs, `--fix` copies the\n\
manifest files first, moves the install up and keeps `COPY . .` after it. Lockfiles that may be missing\n\
are written as globs (`yarn.loc[k]`) so the COPY still succeeds without them.\n",
    fixable: true,
    hadolint: &[],
};

fn copies_everything(sources: &[Source]) -> bool {
    sources.iter().any(
        |s| matches!(s, Source::Path(p) if matches!(p.value.as_str(), "." | "./" | "*" | "./*")),
    )
}

/// `uv.lock` → `uv.loc[k]`: a glob that matches nothing is allowed next to a literal source.
fn optional(file: &str, known: Option<&[String]>) -> Option<String> {
    match known {
        Some(files) => files.iter().any(|f| f == file).then(|| file.to_string()),
        None => {
            let mut s = file.to_string();
            let last = s.pop()?;
            Some(format!("{s}[{last}]"))
        }
    }
}

impl Rule for Rule116 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_dockerfile(&self, cx: &DockerfileCtx<'_>, out: &mut Vec<Hit>) {
        for stage in &cx.df.stages {
            let Some(copy_index) = stage.range.clone().find(|&i| {
                let ins = cx.ins(i);
                matches!(&ins.body, Body::Copy { sources, .. } if copies_everything(sources))
                    && ins.flag("from").is_none()
            }) else {
                continue;
            };
            let Some((run, files)) = cx
                .stage_runs(stage)
                .filter(|r| r.instruction > copy_index)
                .find_map(|r| {
                    r.commands
                        .iter()
                        .find_map(pkg::dependency_install)
                        .map(|f| (r, f))
                })
            else {
                continue;
            };
            // Dependencies already installed before the copy (uv's `--no-install-project` then
            // `uv sync` for the project itself) are the pattern this rule asks for.
            let installed_before = cx
                .stage_runs(stage)
                .filter(|r| r.instruction < copy_index)
                .any(|r| {
                    r.commands.iter().any(|c| {
                        pkg::dependency_install(c).is_some()
                            || c.is(&["uv"], "sync")
                            || c.is(&["poetry"], "install")
                    })
                });
            if installed_before {
                continue;
            }
            let copy = cx.ins(copy_index);
            let Body::Copy { dest, .. } = &copy.body else {
                continue;
            };
            let mut hit = Hit::new(
                copy.span.clone(),
                format!(
                    "`{}` comes before the dependency install on line {}; any source change reinstalls everything",
                    cx.source(copy).lines().next().unwrap_or("COPY"),
                    cx.text[..cx.ins(run.instruction).span.start]
                        .matches('\n')
                        .count()
                        + 1
                ),
            );
            let only_installs = run
                .commands
                .iter()
                .all(|c| pkg::dependency_install(c).is_some());
            let chown = copy.flag("chown").and_then(|f| f.value.clone());
            if run.instruction == copy_index + 1 && only_installs && run.exact && !files.is_empty()
            {
                let mut list = Vec::new();
                for (n, f) in files.iter().enumerate() {
                    if n == 0 || f.contains('*') {
                        list.push(f.clone());
                    } else if let Some(o) = optional(f, cx.context_files) {
                        list.push(o);
                    }
                }
                let chown = chown.map(|c| format!("--chown={c} ")).unwrap_or_default();
                let run_ins = cx.ins(run.instruction);
                let copy_line = cx.line_start(copy.span.start);
                let run_line = cx.line_start(run_ins.span.start);
                let after_run = cx.text[run_ins.span.end..]
                    .find('\n')
                    .map_or(cx.text.len(), |i| run_ins.span.end + i + 1);
                let dest = if dest.value.ends_with('/') || dest.value == "." {
                    dest.value.clone()
                } else {
                    format!("{}/", dest.value)
                };
                // A manifest in a subdirectory keeps its place (`pip install -r
                // requirements/prod.txt`): its whole directory is copied there, since such files
                // often include their siblings (`-r base.txt`).
                let (root_files, dirs): (Vec<String>, Vec<String>) =
                    list.into_iter().partition(|f| !f.contains('/'));
                let mut copies = Vec::new();
                if !root_files.is_empty() {
                    copies.push(format!("COPY {chown}{} {dest}", root_files.join(" ")));
                }
                let under = if dest.ends_with('/') {
                    dest.clone()
                } else {
                    format!("{dest}/")
                };
                let mut seen = std::collections::BTreeSet::new();
                for file in &dirs {
                    let dir = file.rsplit_once('/').map_or("", |(d, _)| d);
                    if seen.insert(dir.to_string()) {
                        copies.push(format!("COPY {chown}{dir}/ {under}{dir}/"));
                    }
                }
                let moved = format!("{}\n{}\n", copies.join("\n"), cx.source(run_ins));
                hit = hit.with_fix(
                    "copy the manifests and install before copying the source",
                    vec![
                        Edit {
                            range: copy_line..copy_line,
                            replacement: moved,
                        },
                        Edit {
                            range: run_line..after_run,
                            replacement: String::new(),
                        },
                    ],
                );
            }
            out.push(hit);
        }
    }
}
