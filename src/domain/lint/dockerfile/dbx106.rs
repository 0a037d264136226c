//! DBX106: `pip install` without `--no-cache-dir`.

use super::{DockerfileCtx, pkg};
use crate::domain::dockerfile::Body;
use crate::domain::dockerfile::words::key_values;
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Hit, Severity};

pub struct Rule106;

static META: RuleMeta = RuleMeta {
    id: "DBX106",
    name: "pip-cache-in-layer",
    category: Category::Dockerfile,
    severity: Severity::Warning,
    summary: "`pip install` keeps its download cache in the layer",
    help: "add `--no-cache-dir` (autofix), set `PIP_NO_CACHE_DIR=1`, or mount a cache on `/root/.cache/pip`",
    explain: "# DBX106 pip-cache-in-layer\n\npip caches every wheel it downloads under `~/.cache/pip`. In an image that cache is\n\
dead weight (often hundreds of MB for scientific stacks).\n\n\
Silent when the `RUN` mounts a cache on `/root/.cache/pip` (or any `.cache/pip`), or when the stage sets\n\
`PIP_NO_CACHE_DIR`.\n\n## Example\n\n```dockerfile\nRUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt\n\
# or\nRUN pip install --no-cache-dir -r requirements.txt\n```\n\n## Autofix\n\nInserts `--no-cache-dir` after `install`.\n",
    fixable: true,
    hadolint: &["DL3042"],
};

impl Rule for Rule106 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_dockerfile(&self, cx: &DockerfileCtx<'_>, out: &mut Vec<Hit>) {
        // Where PIP_NO_CACHE_DIR is first set, found once: asking per RUN made the rule
        // quadratic in the number of instructions.
        let env_from = cx.df.instructions.iter().position(|i| match &i.body {
            Body::Env(e) => key_values(&e.value)
                .iter()
                .any(|(k, _)| k == "PIP_NO_CACHE_DIR"),
            _ => false,
        });
        // A builder stage's leftovers never reach the final image.
        for run in cx.shipped_runs() {
            if run
                .cache_targets
                .iter()
                .any(|t| t.contains(".cache/pip") || t.trim_end_matches('/').ends_with(".cache"))
            {
                continue;
            }
            let env_off = env_from.is_some_and(|at| at < run.instruction);
            let cleaned = [
                "/root/.cache/pip",
                "/root/.cache",
                "~/.cache/pip",
                "$HOME/.cache/pip",
            ]
            .iter()
            .any(|d| pkg::removes(&run.commands, d));
            if env_off || cleaned {
                continue;
            }
            for cmd in run.commands.iter().filter(|c| pkg::is_pip_install(c)) {
                if cmd.has_flag(&["--no-cache-dir"]) {
                    continue;
                }
                if let Some(hit) = pkg::missing_flag_hit(
                    cmd,
                    "install",
                    run.exact,
                    "--no-cache-dir",
                    "`pip install` without `--no-cache-dir` keeps the pip cache in the layer",
                ) {
                    out.push(hit);
                }
            }
        }
    }
}
