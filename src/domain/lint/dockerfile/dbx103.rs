//! DBX103: `apt-get install` without `--no-install-recommends`.

use super::{DockerfileCtx, pkg};
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Hit, Severity};

pub struct Rule103;

static META: RuleMeta = RuleMeta {
    id: "DBX103",
    name: "apt-install-recommends",
    category: Category::Dockerfile,
    severity: Severity::Warning,
    summary: "`apt-get install` pulls recommended packages",
    help: "add `--no-install-recommends` (autofix), or cache apt with `--mount=type=cache,target=/var/cache/apt`",
    explain: "# DBX103 apt-install-recommends\n\nWithout `--no-install-recommends`, apt installs every *recommended* package too;\n\
for `curl` that is ~20 extra packages. They bloat the layer and widen the attack surface.\n\n\
The rule is silent for a `RUN` that mounts a BuildKit cache on `/var/cache/apt` or `/var/lib/apt`: that\n\
Dockerfile manages apt deliberately.\n\n\
## Example\n\n```dockerfile\nRUN apt-get update && apt-get install -y --no-install-recommends curl \\\n    && rm -rf /var/lib/apt/lists/*\n```\n\n\
## Autofix\n\nInserts `--no-install-recommends` after `install`.\n",
    fixable: true,
    hadolint: &["DL3015"],
};

impl Rule for Rule103 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_dockerfile(&self, cx: &DockerfileCtx<'_>, out: &mut Vec<Hit>) {
        for run in &cx.runs {
            if run.has_cache_for(&["/var/cache/apt", "/var/lib/apt"]) {
                continue;
            }
            for cmd in run.commands.iter().filter(|c| pkg::is_apt_install(c)) {
                if cmd.has_flag(&["--no-install-recommends"])
                    || cmd.args().iter().any(|a| a.contains("Install-Recommends"))
                {
                    continue;
                }
                if let Some(hit) = pkg::missing_flag_hit(
                    cmd,
                    "install",
                    run.exact,
                    "--no-install-recommends",
                    "`apt-get install` without `--no-install-recommends` installs recommended packages too",
                ) {
                    out.push(hit);
                }
            }
        }
    }
}
