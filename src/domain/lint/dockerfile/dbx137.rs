//! DBX137: a stage named `scratch` or `context` (BuildKit's ReservedStageName, hadolint DL3063).

use super::DockerfileCtx;
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Hit, Severity};

pub struct Rule137;

static META: RuleMeta = RuleMeta {
    id: "DBX137",
    name: "reserved-stage-name",
    category: Category::Dockerfile,
    severity: Severity::Warning,
    summary: "a stage is named `scratch` or `context`, which the builder reserves",
    help: "rename the stage; `FROM scratch` and the named context `context` mean something else",
    explain: "# DBX137 reserved-stage-name\n\n`scratch` is the empty image and `context` is how a build refers to its named\n\
build context. A stage called either shadows that meaning: `FROM scratch` later in the file, or\n\
`COPY --from=context`, no longer does what it says. `docker build --check` reports it (ReservedStageName);\n\
hadolint calls it DL3063.\n\n\
## Example\n\n```dockerfile\nFROM alpine:3.20 AS base\n```\n",
    fixable: false,
    hadolint: &["DL3063"],
};

impl Rule for Rule137 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_dockerfile(&self, cx: &DockerfileCtx<'_>, out: &mut Vec<Hit>) {
        for stage in &cx.df.stages {
            let Some(alias) = &stage.alias else { continue };
            let name = alias.value.to_ascii_lowercase();
            if name == "scratch" || name == "context" {
                out.push(Hit::new(
                    alias.span.clone(),
                    format!("stage name `{}` is reserved", alias.value),
                ));
            }
        }
    }
}
