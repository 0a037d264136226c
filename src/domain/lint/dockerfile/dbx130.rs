//! DBX130: `COPY --from=<name>` that names no earlier stage but looks like one.

use super::DockerfileCtx;
use crate::domain::compose::error::nearest;
use crate::domain::dockerfile::Body;
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Hit, Severity};

pub struct Rule130;

static META: RuleMeta = RuleMeta {
    id: "DBX130",
    name: "copy-from-unknown-stage",
    category: Category::Dockerfile,
    severity: Severity::Error,
    summary: "`COPY --from` names a stage that is not defined before it",
    help: "use the name of an earlier `FROM ... AS <name>` stage",
    explain: "# DBX130 copy-from-unknown-stage\n\n`--from` takes an earlier stage's name, its index, or an image. A name that is no\n\
stage is taken as an image: BuildKit tries to pull `docker.io/library/buidl` and the build fails with an\n\
authorization or not-found error far from the typo. A stage defined later cannot be copied from either.\n\
Flagged: a `--from` that is a later stage, or close to an earlier stage's name without being an image\n\
reference (no tag, registry or digest).\n\n\
## Example\n\n```dockerfile\nFROM golang:1.22 AS build\nRUN go build -o /server .\nFROM gcr.io/distroless/static-debian12\nCOPY --from=build /server /server\n```\n",
    fixable: false,
    hadolint: &["DL3022"],
};

impl Rule for Rule130 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_dockerfile(&self, cx: &DockerfileCtx<'_>, out: &mut Vec<Hit>) {
        // Grown stage by stage: collecting every earlier alias anew per stage was quadratic.
        let mut earlier: Vec<String> = Vec::new();
        for stage in &cx.df.stages {
            if let Some(previous) = stage.index.checked_sub(1).and_then(|i| cx.df.stages.get(i))
                && let Some(alias) = &previous.alias
            {
                earlier.push(alias.value.to_ascii_lowercase());
            }
            for i in stage.range.clone() {
                let ins = cx.ins(i);
                if !matches!(ins.body, Body::Copy { .. }) {
                    continue;
                }
                let Some(flag) = ins.flag("from") else {
                    continue;
                };
                let Some(from) = flag.value.as_deref() else {
                    continue;
                };
                let name = from.to_ascii_lowercase();
                if name.contains(['$', ':', '/', '@', '.'])
                    || name.chars().all(|c| c.is_ascii_digit())
                    || earlier.contains(&name)
                {
                    continue;
                }
                let later = cx
                    .df
                    .stage_by_name(&name)
                    .is_some_and(|s| s.index >= stage.index && s.alias.is_some());
                let message = if later {
                    format!(
                        "`--from={from}` names a stage defined later; only earlier stages can be copied from"
                    )
                } else if let Some(near) = nearest(&name, earlier.iter().map(String::as_str)) {
                    format!(
                        "`--from={from}` is no stage (did you mean `{near}`?); BuildKit would pull an image named `{from}`"
                    )
                } else {
                    continue;
                };
                out.push(Hit::new(flag.span.clone(), message));
            }
        }
    }
}
