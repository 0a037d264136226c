//! DBX110: `sudo` inside a RUN.

use super::DockerfileCtx;
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Hit, Severity};

pub struct Rule110;

static META: RuleMeta = RuleMeta {
    id: "DBX110",
    name: "sudo-in-run",
    category: Category::Dockerfile,
    severity: Severity::Error,
    summary: "`sudo` in a RUN",
    help: "switch with `USER root` for the step that needs it and back to the unprivileged user after",
    explain: "# DBX110 sudo-in-run\n\n`sudo` needs a TTY and a sudoers entry, behaves differently per distribution and\n\
keeps a privilege-escalation path inside the image. Builds already run as the current `USER`: switch to\n\
`USER root` for the steps that need it, then back.\n\n## Example\n\n```dockerfile\nUSER root\nRUN apt-get update && apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/*\nUSER app\n```\n",
    fixable: false,
    hadolint: &["DL3004"],
};

impl Rule for Rule110 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_dockerfile(&self, cx: &DockerfileCtx<'_>, out: &mut Vec<Hit>) {
        for run in &cx.runs {
            for cmd in &run.commands {
                let prefix = cmd.program_index().unwrap_or(cmd.words.len());
                if let Some(i) = cmd.words[..prefix].iter().position(|w| w == "sudo") {
                    let span = if run.exact {
                        cmd.spans[i].clone()
                    } else {
                        cx.ins(run.instruction).keyword.clone()
                    };
                    out.push(Hit::new(
                        span,
                        "`sudo` in a RUN; use `USER root` for that step instead",
                    ));
                }
            }
        }
    }
}
