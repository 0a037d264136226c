//! DBX149: a RUN replaces `/bin/sh` instead of using SHELL (hadolint DL4005).

use super::DockerfileCtx;
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Hit, Severity};

pub struct Rule149;

static META: RuleMeta = RuleMeta {
    id: "DBX149",
    name: "bin-sh-replaced",
    category: Category::Dockerfile,
    severity: Severity::Warning,
    summary: "a RUN links another shell over `/bin/sh`",
    help: "use `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` for the RUN lines that need bash",
    explain: "# DBX149 bin-sh-replaced\n\n`ln -sf /bin/bash /bin/sh` changes the shell of every later RUN and of everything\n\
in the running container that calls `/bin/sh` (init scripts, `system()`, health checks), which then depends on\n\
bash's behaviour in sh mode. The SHELL instruction changes the build's shell only, visibly, for the RUN lines\n\
after it. hadolint calls it DL4005.\n\n\
## Example\n\n```dockerfile\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\n```\n",
    fixable: false,
    hadolint: &["DL4005"],
};

impl Rule for Rule149 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_dockerfile(&self, cx: &DockerfileCtx<'_>, out: &mut Vec<Hit>) {
        for run in &cx.runs {
            for cmd in &run.commands {
                if cmd.program() != Some("ln") || !cmd.has_flag(&["-s", "--symbolic"]) {
                    continue;
                }
                let args = cmd.args();
                let Some(target) = args.iter().rposition(|a| !a.starts_with('-')) else {
                    continue;
                };
                if args[target] != "/bin/sh" {
                    continue;
                }
                let (Some(first), Some(last)) = (cmd.spans.first(), cmd.spans.last()) else {
                    continue;
                };
                out.push(Hit::new(
                    first.start..last.end,
                    "this RUN replaces `/bin/sh` for every later step and the running container",
                ));
            }
        }
    }
}
