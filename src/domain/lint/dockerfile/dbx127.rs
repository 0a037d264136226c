//! DBX127: several HEALTHCHECK instructions in one stage.

use super::DockerfileCtx;
use crate::domain::dockerfile::Body;
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Hit, Severity};

pub struct Rule127;

static META: RuleMeta = RuleMeta {
    id: "DBX127",
    name: "multiple-healthcheck",
    category: Category::Dockerfile,
    severity: Severity::Warning,
    summary: "a stage has more than one HEALTHCHECK; only the last one counts",
    help: "keep one HEALTHCHECK per stage",
    explain: "# DBX127 multiple-healthcheck\n\nOnly the last `HEALTHCHECK` of a stage applies. An earlier one is dead code that\n\
readers will believe in.\n\n## Example\n\n```dockerfile\nHEALTHCHECK --interval=30s CMD [\"wget\", \"-q\", \"--spider\", \"http://127.0.0.1:8080/\"]\n```\n",
    fixable: false,
    hadolint: &["DL3012"],
};

impl Rule for Rule127 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_dockerfile(&self, cx: &DockerfileCtx<'_>, out: &mut Vec<Hit>) {
        for stage in &cx.df.stages {
            let all: Vec<_> = cx
                .df
                .stage_instructions(stage)
                .iter()
                .filter(|i| matches!(i.body, Body::Healthcheck(_)))
                .collect();
            if let Some((_, earlier)) = all.split_last() {
                for ins in earlier {
                    out.push(Hit::new(
                        ins.keyword.clone(),
                        "this HEALTHCHECK is overridden by a later one",
                    ));
                }
            }
        }
    }
}
