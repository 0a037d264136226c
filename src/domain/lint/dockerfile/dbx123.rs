//! DBX123: `cd` inside a RUN instead of WORKDIR.

use super::DockerfileCtx;
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Hit, Severity};

pub struct Rule123;

static META: RuleMeta = RuleMeta {
    id: "DBX123",
    name: "cd-in-run",
    category: Category::Dockerfile,
    severity: Severity::Info,
    summary: "`cd` in a RUN; the directory change is lost after the step",
    help: "use `WORKDIR /path` for the directory later steps run in",
    explain: "# DBX123 cd-in-run\n\nEach `RUN` starts in the `WORKDIR`; a `cd` lasts only for that step. Readers (and\n\
later edits that split the `RUN`) easily assume otherwise. `WORKDIR` makes the directory explicit and creates it.\n\
`cd` into a temporary build directory inside one `RUN` (download, build, delete) is a legitimate pattern; silence\n\
it with `# devbox-lint ignore=DBX123 reason` when that is what you do.\n\n\
## Example\n\n```dockerfile\nWORKDIR /app/frontend\nRUN npm ci\n```\n",
    fixable: false,
    hadolint: &["DL3003"],
};

impl Rule for Rule123 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_dockerfile(&self, cx: &DockerfileCtx<'_>, out: &mut Vec<Hit>) {
        for run in &cx.runs {
            if let Some(cmd) = run.commands.iter().find(|c| c.program() == Some("cd")) {
                let span = if run.exact {
                    cmd.spans[0].start..cmd.spans[cmd.spans.len() - 1].end
                } else {
                    cx.ins(run.instruction).keyword.clone()
                };
                out.push(Hit::new(
                    span,
                    "`cd` in a RUN only lasts for this step; use WORKDIR",
                ));
            }
        }
    }
}
