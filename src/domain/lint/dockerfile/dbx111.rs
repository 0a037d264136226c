//! DBX111: several `CMD` or `ENTRYPOINT` instructions in one stage.

use super::DockerfileCtx;
use crate::domain::dockerfile::Body;
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Hit, Severity};

pub struct Rule111;

static META: RuleMeta = RuleMeta {
    id: "DBX111",
    name: "multiple-cmd",
    category: Category::Dockerfile,
    severity: Severity::Warning,
    summary: "a stage has more than one CMD or ENTRYPOINT; only the last one counts",
    help: "keep a single CMD (and a single ENTRYPOINT) per stage",
    explain: "# DBX111 multiple-cmd\n\nOnly the last `CMD` and the last `ENTRYPOINT` of a stage take effect; earlier ones\n\
are silently dropped. Two `CMD`s usually mean a copy-paste mistake (e.g. a `HEALTHCHECK ... CMD` split over\n\
two lines without a continuation, which turns the probe into the container's command).\n\n\
## Example\n\n```dockerfile\n# flagged: the first line lost its continuation\nHEALTHCHECK --interval=30s\nCMD wget -qO- http://127.0.0.1:3000/health || exit 1\nCMD [\"node\", \"dist/index.js\"]\n```\n",
    fixable: false,
    hadolint: &["DL4003", "DL4004"],
};

impl Rule for Rule111 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_dockerfile(&self, cx: &DockerfileCtx<'_>, out: &mut Vec<Hit>) {
        for stage in &cx.df.stages {
            for (label, is) in [
                (
                    "CMD",
                    (|b: &Body| matches!(b, Body::Cmd(_))) as fn(&Body) -> bool,
                ),
                ("ENTRYPOINT", |b: &Body| matches!(b, Body::Entrypoint(_))),
            ] {
                let all: Vec<_> = cx
                    .df
                    .stage_instructions(stage)
                    .iter()
                    .filter(|i| is(&i.body))
                    .collect();
                if let Some((last, earlier)) = all.split_last() {
                    for ins in earlier {
                        out.push(Hit::new(
                            ins.keyword.clone(),
                            format!(
                                "this {label} is overridden by the {label} on line {}",
                                cx.text[..last.span.start].matches('\n').count() + 1
                            ),
                        ));
                    }
                }
            }
        }
    }
}
