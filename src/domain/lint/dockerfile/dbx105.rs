//! DBX105: `apk add` without `--no-cache`.

use super::{DockerfileCtx, pkg};
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Hit, Severity};

pub struct Rule105;

static META: RuleMeta = RuleMeta {
    id: "DBX105",
    name: "apk-without-no-cache",
    category: Category::Dockerfile,
    severity: Severity::Warning,
    summary: "`apk add` leaves the package index in the layer",
    help: "use `apk add --no-cache` (autofix), or mount a cache on `/var/cache/apk`",
    explain: "# DBX105 apk-without-no-cache\n\n`apk add` without `--no-cache` keeps the downloaded APKINDEX in `/var/cache/apk`\n\
inside the layer. `--no-cache` fetches the index into a temporary place and also makes a separate\n\
`apk update` unnecessary.\n\nSilent when the `RUN` mounts a cache on `/var/cache/apk` or `/etc/apk/cache`.\n\n\
## Example\n\n```dockerfile\nRUN apk add --no-cache curl ca-certificates\n```\n\n## Autofix\n\nInserts `--no-cache` after `add`.\n",
    fixable: true,
    hadolint: &["DL3019"],
};

impl Rule for Rule105 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_dockerfile(&self, cx: &DockerfileCtx<'_>, out: &mut Vec<Hit>) {
        // A builder stage's leftovers never reach the final image.
        for run in cx.shipped_runs() {
            if run.has_cache_for(&["/var/cache/apk", "/etc/apk/cache"])
                || pkg::removes(&run.commands, "/var/cache/apk")
            {
                continue;
            }
            for cmd in run.commands.iter().filter(|c| pkg::is_apk_add(c)) {
                if cmd.has_flag(&["--no-cache"]) {
                    continue;
                }
                if let Some(hit) = pkg::missing_flag_hit(
                    cmd,
                    "add",
                    run.exact,
                    "--no-cache",
                    "`apk add` without `--no-cache` keeps the package index in the layer",
                ) {
                    out.push(hit);
                }
            }
        }
    }
}
