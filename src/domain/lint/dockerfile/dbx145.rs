//! DBX145: `yarn install` whose cache stays in a shipped layer (hadolint DL3060).

use super::{DockerfileCtx, pkg};
use crate::domain::dockerfile::shell::SimpleCommand;
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Edit, Hit, Severity};

pub struct Rule145;

static META: RuleMeta = RuleMeta {
    id: "DBX145",
    name: "yarn-cache-in-layer",
    category: Category::Dockerfile,
    severity: Severity::Info,
    summary: "`yarn install` keeps yarn's cache in the image layer",
    help: "use `RUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install --frozen-lockfile`, or add `&& yarn cache clean` (autofix)",
    explain: "# DBX145 yarn-cache-in-layer\n\nYarn keeps a copy of every package tarball it installed in its cache\n\
(`/usr/local/share/.cache/yarn` for root in the node images): tens to hundreds of megabytes that ship in the\n\
layer next to `node_modules`. A BuildKit cache mount keeps the cache between builds without putting it in the\n\
image; `yarn cache clean` in the same RUN at least drops it. Builder stages whose files only leave through\n\
`COPY --from` are not reported. hadolint calls it DL3060.\n\n\
## Example\n\n```dockerfile\nRUN --mount=type=cache,target=/usr/local/share/.cache/yarn \\\n    yarn install --frozen-lockfile --production\n```\n\n\
## Autofix\n\nAppends `&& yarn cache clean` to the install.\n",
    fixable: true,
    hadolint: &["DL3060"],
};

/// `yarn`, `yarn install`, `yarn --frozen-lockfile`; not `yarn --version` or `yarn build`.
fn is_yarn_install(cmd: &SimpleCommand) -> bool {
    if cmd.program() != Some("yarn") {
        return false;
    }
    let args = cmd.args();
    match args.iter().find(|a| !a.starts_with('-')) {
        Some(sub) => sub == "install",
        None => !args
            .iter()
            .any(|a| matches!(a.as_str(), "-v" | "--version" | "-h" | "--help")),
    }
}

/// The `--cache-folder` an install was given, if any.
fn cache_folder(cmd: &SimpleCommand) -> Option<&str> {
    let args = cmd.args();
    args.iter().enumerate().find_map(|(i, a)| {
        if a == "--cache-folder" {
            args.get(i + 1).map(String::as_str)
        } else {
            a.strip_prefix("--cache-folder=")
        }
    })
}

impl Rule for Rule145 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_dockerfile(&self, cx: &DockerfileCtx<'_>, out: &mut Vec<Hit>) {
        for run in cx.shipped_runs() {
            if run
                .cache_targets
                .iter()
                .any(|t| t.contains("yarn") || t.trim_end_matches('/').ends_with(".cache"))
            {
                continue;
            }
            let cleaned = run.commands.iter().any(|c| c.is(&["yarn"], "cache"))
                || [
                    "/usr/local/share/.cache/yarn",
                    "/root/.cache/yarn",
                    "~/.cache/yarn",
                ]
                .iter()
                .any(|d| pkg::removes(&run.commands, d));
            if cleaned {
                continue;
            }
            for cmd in run.commands.iter().filter(|c| is_yarn_install(c)) {
                if cache_folder(cmd).is_some_and(|dir| pkg::removes(&run.commands, dir)) {
                    continue;
                }
                let (Some(first), Some(last)) = (cmd.spans.first(), cmd.spans.last()) else {
                    continue;
                };
                let hit = Hit::new(
                    first.start..last.end,
                    "`yarn install` leaves yarn's cache in the layer",
                );
                out.push(if run.exact && !cmd.piped {
                    hit.with_fix(
                        "append `&& yarn cache clean`",
                        vec![Edit {
                            range: last.end..last.end,
                            replacement: " && yarn cache clean".into(),
                        }],
                    )
                } else {
                    hit
                });
            }
        }
    }
}
