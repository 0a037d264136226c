//! DBX133: a stage name with upper-case letters (BuildKit's StageNameCasing).

use super::DockerfileCtx;
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Edit, Hit, Severity};

pub struct Rule133;

static META: RuleMeta = RuleMeta {
    id: "DBX133",
    name: "stage-name-casing",
    category: Category::Dockerfile,
    severity: Severity::Info,
    summary: "a stage name has upper-case letters",
    help: "write stage names in lower case (autofix)",
    explain: "# DBX133 stage-name-casing\n\nBuildKit lower-cases stage names before it compares them, so `AS Builder` and\n\
`COPY --from=builder` name the same stage, and `docker build --target Builder` works only by accident of that\n\
rule. `docker build --check` reports it (StageNameCasing). Lower-case names read the same everywhere: in the\n\
Dockerfile, in compose's `build.target` and on the command line.\n\n\
## Example\n\n```dockerfile\nFROM node:22-alpine AS build\n```\n\n## Autofix\n\nLower-cases the name after `AS`.\n",
    fixable: true,
    hadolint: &[],
};

impl Rule for Rule133 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_dockerfile(&self, cx: &DockerfileCtx<'_>, out: &mut Vec<Hit>) {
        for stage in &cx.df.stages {
            let Some(alias) = &stage.alias else { continue };
            let lower = alias.value.to_ascii_lowercase();
            if lower == alias.value {
                continue;
            }
            out.push(
                Hit::new(
                    alias.span.clone(),
                    format!("stage name `{}` should be lower case", alias.value),
                )
                .with_fix(
                    format!("rename it `{lower}`"),
                    vec![Edit {
                        range: alias.span.clone(),
                        replacement: lower,
                    }],
                ),
            );
        }
    }
}
