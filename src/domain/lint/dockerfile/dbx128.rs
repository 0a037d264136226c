//! DBX128: `COPY --from` names the stage it is in.

use super::DockerfileCtx;
use crate::domain::dockerfile::Body;
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Hit, Severity};

pub struct Rule128;

static META: RuleMeta = RuleMeta {
    id: "DBX128",
    name: "copy-from-own-stage",
    category: Category::Dockerfile,
    severity: Severity::Error,
    summary: "`COPY --from` refers to the stage it is in",
    help: "copy from an earlier stage",
    explain: "# DBX128 copy-from-own-stage\n\nA stage cannot copy from itself: BuildKit reports a circular dependency and the\n\
legacy builder tries to pull an image of that name. Usually the wrong stage name was typed.\n\n\
## Example\n\n```dockerfile\nFROM golang:1.22 AS build\nRUN go build -o /server .\nFROM alpine:3.20\nCOPY --from=build /server /server\n```\n",
    fixable: false,
    hadolint: &["DL3023"],
};

impl Rule for Rule128 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_dockerfile(&self, cx: &DockerfileCtx<'_>, out: &mut Vec<Hit>) {
        for stage in &cx.df.stages {
            for ins in cx.df.stage_instructions(stage) {
                if !matches!(ins.body, Body::Copy { .. }) {
                    continue;
                }
                let Some(from) = ins.flag("from") else {
                    continue;
                };
                let Some(v) = from.value.as_deref() else {
                    continue;
                };
                let own = stage
                    .alias
                    .as_ref()
                    .is_some_and(|a| a.value.eq_ignore_ascii_case(v))
                    || v == stage.index.to_string();
                if own {
                    out.push(Hit::new(
                        from.span.clone(),
                        format!("`COPY --from={v}` copies from the stage it is in"),
                    ));
                }
            }
        }
    }
}
