//! DBX126: a pipe in RUN without `pipefail`.

use super::DockerfileCtx;
use crate::domain::dockerfile::Body;
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Hit, Severity};

pub struct Rule126;

static META: RuleMeta = RuleMeta {
    id: "DBX126",
    name: "pipe-without-pipefail",
    category: Category::Dockerfile,
    severity: Severity::Info,
    summary: "a RUN pipes commands without `pipefail`: a failing first command is ignored",
    help: "set `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` or start the RUN with `set -o pipefail &&`",
    explain: "# DBX126 pipe-without-pipefail\n\nA pipeline's status is the status of its last command. In\n\
`RUN curl -fsSL https://x/install.sh | sh`, a failed download pipes nothing into `sh`, which succeeds, and the\n\
build goes on without the tool. `pipefail` makes the pipeline fail. BusyBox `ash` and `dash` ≥ 0.5.11 (Debian 12)\n\
support `set -o pipefail`.\n\n## Example\n\n```dockerfile\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN curl -fsSL https://example.com/install.sh | bash\n```\n",
    fixable: false,
    hadolint: &["DL4006"],
};

/// Whether the SHELL in effect at each instruction sets pipefail (`None`: no SHELL, so
/// `/bin/sh -c`): the last SHELL before it in its stage, else the one its `FROM <stage>` base
/// ended with (SHELL is inherited like USER). One forward pass: walking back from every RUN
/// was quadratic in long files.
fn pipefail_states(cx: &DockerfileCtx<'_>) -> Vec<Option<bool>> {
    let df = cx.df;
    let mut at = vec![None; df.instructions.len()];
    let mut stage_end: Vec<Option<bool>> = Vec::with_capacity(df.stages.len());
    for stage in &df.stages {
        let mut current = df
            .resolved_base(stage)
            .1
            .and_then(|i| stage_end.get(i).copied().flatten());
        for i in stage.range.clone() {
            at[i] = current;
            if let Body::Shell(words) = &df.instructions[i].body {
                current = Some(words.iter().any(|w| w.value.contains("pipefail")));
            }
        }
        stage_end.push(current);
    }
    at
}

impl Rule for Rule126 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_dockerfile(&self, cx: &DockerfileCtx<'_>, out: &mut Vec<Hit>) {
        let mut states: Option<Vec<Option<bool>>> = None;
        for run in &cx.runs {
            let ins = cx.ins(run.instruction);
            let Body::Run { command, heredocs } = &ins.body else {
                continue;
            };
            if !command.is_shell() || !heredocs.is_empty() {
                continue;
            }
            let Some(piped) = run.commands.iter().find(|c| c.piped) else {
                continue;
            };
            let states = states.get_or_insert_with(|| pipefail_states(cx));
            let shell_sets = states.get(run.instruction).copied().flatten();
            let script_sets = run.commands.iter().any(|c| {
                c.program() == Some("set")
                    && c.args().iter().any(|a| {
                        a.contains("pipefail")
                            || a.contains('o')
                                && a.starts_with('-')
                                && c.args().iter().any(|b| b == "pipefail")
                    })
            });
            if shell_sets == Some(true) || script_sets {
                continue;
            }
            let span = if run.exact {
                piped.spans[0].clone()
            } else {
                ins.keyword.clone()
            };
            out.push(Hit::new(
                span,
                "pipe without `pipefail`: if this command fails, the RUN still succeeds",
            ));
        }
    }
}
