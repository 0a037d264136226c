//! DBX136: two stages with the same name (BuildKit's DuplicateStageName, hadolint DL3024).

use super::DockerfileCtx;
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Hit, Severity};

pub struct Rule136;

static META: RuleMeta = RuleMeta {
    id: "DBX136",
    name: "duplicate-stage-name",
    category: Category::Dockerfile,
    severity: Severity::Error,
    summary: "two stages have the same name",
    help: "give each stage its own name; `COPY --from` and `--target` can only reach one of them",
    explain: "# DBX136 duplicate-stage-name\n\nStage names are compared case-insensitively and must be unique: with two stages\n\
called `build`, `COPY --from=build`, `FROM build` and `--target build` silently pick one of them, and\n\
the other stage's work is either wasted or shipped by mistake. `docker build --check` reports it\n\
(DuplicateStageName); hadolint calls it DL3024.\n\n\
## Example\n\n```dockerfile\nFROM node:22-alpine AS deps\nFROM node:22-alpine AS build\n```\n",
    fixable: false,
    hadolint: &["DL3024"],
};

impl Rule for Rule136 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_dockerfile(&self, cx: &DockerfileCtx<'_>, out: &mut Vec<Hit>) {
        let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        for stage in &cx.df.stages {
            let Some(alias) = &stage.alias else { continue };
            let key = alias.value.to_ascii_lowercase();
            if let Some(first) = seen.get(&key) {
                let line = cx.text[..cx.ins(*first).span.start].matches('\n').count() + 1;
                out.push(Hit::new(
                    alias.span.clone(),
                    format!("stage name `{key}` is already used by the stage on line {line}"),
                ));
            } else {
                seen.insert(key, stage.from);
            }
        }
    }
}
