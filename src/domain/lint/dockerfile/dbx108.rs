//! DBX108: a package install without its non-interactive flag (`apt-get`/`yum`/`dnf`/`microdnf`
//! `install` without `-y`, `zypper install` without `-n`/`-y`).

use super::{DockerfileCtx, pkg};
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Hit, Severity};

pub struct Rule108;

static META: RuleMeta = RuleMeta {
    id: "DBX108",
    name: "apt-install-without-yes",
    category: Category::Dockerfile,
    severity: Severity::Warning,
    summary: "a package install without `-y` waits for a confirmation that never comes",
    help: "add `-y` (autofix)",
    explain: "# DBX108 apt-install-without-yes\n\nA build has no terminal. Without `-y` (`--yes`, `--assume-yes`), `apt-get install`\n\
asks \"Do you want to continue? [Y/n]\", reads end-of-file and aborts as soon as it needs more than the named\n\
packages. The build fails or, worse, behaves differently depending on what the base image already has.\n\
`yum`, `dnf` and `microdnf install` need `-y` the same way; `zypper install` needs `-n` (before the\n\
command) or `-y`.\n\n\
## Example\n\n```dockerfile\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n```\n\n## Autofix\n\nInserts `-y` after `install` (`in` for zypper).\n",
    fixable: true,
    hadolint: &["DL3014", "DL3030", "DL3038", "DL3034"],
};

impl Rule for Rule108 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_dockerfile(&self, cx: &DockerfileCtx<'_>, out: &mut Vec<Hit>) {
        for run in &cx.runs {
            for cmd in &run.commands {
                let rpm = ["yum", "dnf", "microdnf"];
                if cmd.is(&rpm, "install") && !cmd.has_flag(&["-y", "--assumeyes"]) {
                    let tool = cmd.program().unwrap_or("yum").to_owned();
                    if let Some(hit) = pkg::missing_flag_hit(
                        cmd,
                        "install",
                        run.exact,
                        "-y",
                        &format!("`{tool} install` without `-y` aborts in a non-interactive build"),
                    ) {
                        out.push(hit);
                    }
                    continue;
                }
                let zypper = cmd.is(&["zypper"], "install") || cmd.is(&["zypper"], "in");
                if zypper && !cmd.has_flag(&["-n", "--non-interactive", "-y", "--no-confirm"]) {
                    let sub = if cmd.is(&["zypper"], "in") {
                        "in"
                    } else {
                        "install"
                    };
                    if let Some(hit) = pkg::missing_flag_hit(
                        cmd,
                        sub,
                        run.exact,
                        "-y",
                        "`zypper install` without `-n`/`-y` aborts in a non-interactive build",
                    ) {
                        out.push(hit);
                    }
                    continue;
                }
                if !pkg::is_apt_install(cmd) {
                    continue;
                }
                let yes = cmd.has_flag(&["-y", "--yes", "--assume-yes", "-qq"])
                    || cmd.args().iter().any(|a| a == "-q=2");
                if yes {
                    continue;
                }
                if let Some(hit) = pkg::missing_flag_hit(
                    cmd,
                    "install",
                    run.exact,
                    "-y",
                    "`apt-get install` without `-y` aborts in a non-interactive build",
                ) {
                    out.push(hit);
                }
            }
        }
    }
}
