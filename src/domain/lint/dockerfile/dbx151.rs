//! DBX151: `ONBUILD FROM` or `ONBUILD MAINTAINER`, which the builder refuses (hadolint DL3043).

use super::DockerfileCtx;
use crate::domain::dockerfile::Body;
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Hit, Severity};

pub struct Rule151;

static META: RuleMeta = RuleMeta {
    id: "DBX151",
    name: "onbuild-forbidden-trigger",
    category: Category::Dockerfile,
    severity: Severity::Error,
    summary: "an ONBUILD trigger is FROM or MAINTAINER, which the builder refuses",
    help: "remove the trigger: a downstream Dockerfile chooses its own base and metadata",
    explain: "# DBX151 onbuild-forbidden-trigger\n\nONBUILD records an instruction to run in every image built FROM this one.\n\
`ONBUILD FROM` and `ONBUILD MAINTAINER` are refused (`FROM isn't allowed as an ONBUILD trigger`) — not when this\n\
image is built, but when someone builds on it, far from the cause. (`ONBUILD ONBUILD` does not even parse; DBX100\n\
reports it.) hadolint calls it DL3043.\n\n\
## Example\n\n```dockerfile\nONBUILD COPY . /app\nONBUILD RUN npm ci\n```\n",
    fixable: false,
    hadolint: &["DL3043"],
};

impl Rule for Rule151 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_dockerfile(&self, cx: &DockerfileCtx<'_>, out: &mut Vec<Hit>) {
        for ins in &cx.df.instructions {
            let Body::Onbuild(inner) = &ins.body else {
                continue;
            };
            if matches!(inner.body, Body::From { .. } | Body::Maintainer(_)) {
                out.push(Hit::new(
                    inner.keyword.clone(),
                    format!(
                        "`ONBUILD {}` is refused when an image is built on this one",
                        inner.name()
                    ),
                ));
            }
        }
    }
}
