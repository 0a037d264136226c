//! DBX147: `apt` in a RUN instead of `apt-get` (hadolint DL3027).

use super::DockerfileCtx;
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Edit, Hit, Severity};

pub struct Rule147;

static META: RuleMeta = RuleMeta {
    id: "DBX147",
    name: "apt-in-script",
    category: Category::Dockerfile,
    severity: Severity::Warning,
    summary: "`apt` is used in a build script; it is meant for people, `apt-get` for scripts",
    help: "use `apt-get` (autofix for install, update, upgrade, remove, purge, autoremove)",
    explain: "# DBX147 apt-in-script\n\n`apt` is the interactive front end: its output and options are not a stable\n\
interface and it warns `apt does not have a stable CLI interface. Use with caution in scripts.` in every build\n\
log. `apt-get` (and `apt-cache` for queries) behave the same from one release to the next. hadolint calls it\n\
DL3027.\n\n\
## Example\n\n```dockerfile\nRUN apt-get update && apt-get install -y --no-install-recommends curl \\\n    && rm -rf /var/lib/apt/lists/*\n```\n\n\
## Autofix\n\nReplaces `apt` with `apt-get` for the sub-commands both have.\n",
    fixable: true,
    hadolint: &["DL3027"],
};

const SHARED: &[&str] = &[
    "install",
    "update",
    "upgrade",
    "remove",
    "purge",
    "autoremove",
    "dist-upgrade",
    "clean",
];

impl Rule for Rule147 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_dockerfile(&self, cx: &DockerfileCtx<'_>, out: &mut Vec<Hit>) {
        for run in &cx.runs {
            for cmd in &run.commands {
                let Some(at) = cmd.program_index() else {
                    continue;
                };
                if cmd.words[at] != "apt" {
                    continue;
                }
                let Some(span) = cmd.spans.get(at).cloned() else {
                    continue;
                };
                let sub = cmd.args().iter().find(|a| !a.starts_with('-'));
                let hit = Hit::new(
                    span.clone(),
                    "`apt` is the interactive front end, not meant for scripts",
                );
                out.push(
                    if run.exact && sub.is_some_and(|s| SHARED.contains(&s.as_str())) {
                        hit.with_fix(
                            "use `apt-get`",
                            vec![Edit {
                                range: span,
                                replacement: "apt-get".into(),
                            }],
                        )
                    } else {
                        hit
                    },
                );
            }
        }
    }
}
