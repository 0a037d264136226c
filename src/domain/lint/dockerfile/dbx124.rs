//! DBX124: deprecated `MAINTAINER`.

use super::DockerfileCtx;
use crate::domain::dockerfile::Body;
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Edit, Hit, Severity};

pub struct Rule124;

static META: RuleMeta = RuleMeta {
    id: "DBX124",
    name: "maintainer-deprecated",
    category: Category::Dockerfile,
    severity: Severity::Info,
    summary: "`MAINTAINER` is deprecated",
    help: "use `LABEL org.opencontainers.image.authors=\"...\"` (autofix)",
    explain: "# DBX124 maintainer-deprecated\n\n`MAINTAINER` has been deprecated since Docker 1.13; the OCI annotation\n\
`org.opencontainers.image.authors` carries the same information and is read by registries and scanners.\n\n\
## Example\n\n```dockerfile\nLABEL org.opencontainers.image.authors=\"team@example.com\"\n```\n\n\
## Autofix\n\nRewrites the instruction as that LABEL.\n",
    fixable: true,
    hadolint: &["DL4000"],
};

impl Rule for Rule124 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_dockerfile(&self, cx: &DockerfileCtx<'_>, out: &mut Vec<Hit>) {
        for ins in &cx.df.instructions {
            let Body::Maintainer(name) = &ins.body else {
                continue;
            };
            let value = name.value.trim().trim_matches('"').replace('"', "\\\"");
            out.push(
                Hit::new(ins.keyword.clone(), "`MAINTAINER` is deprecated").with_fix(
                    "use the OCI authors label",
                    vec![Edit {
                        range: ins.span.clone(),
                        replacement: format!("LABEL org.opencontainers.image.authors=\"{value}\""),
                    }],
                ),
            );
        }
    }
}
