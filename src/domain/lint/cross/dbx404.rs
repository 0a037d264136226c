//! DBX404: `build.target` names no stage of the Dockerfile.

use super::ProjectCtx;
use crate::domain::lint::compose::get;
use crate::domain::lint::registry::{FileRef, Rule, RuleMeta};
use crate::domain::lint::{Category, Hit, Severity};

pub struct Rule404;

static META: RuleMeta = RuleMeta {
    id: "DBX404",
    name: "build-target-missing",
    category: Category::Cross,
    severity: Severity::Error,
    summary: "`build.target` names a stage the Dockerfile does not have",
    help: "use one of the Dockerfile's `AS <name>` stages",
    explain: "# DBX404 build-target-missing\n\n`docker compose build` fails with `target stage \"x\" could not be found` when\n\
`build.target` names no `FROM ... AS x` stage, usually after a stage was renamed (`dev` → `development`).\n\
Stage names compare case-insensitively.\n\n## Example\n\n```yaml\nbuild:\n  context: .\n  target: development   # FROM node:22-alpine AS development\n```\n",
    fixable: false,
    hadolint: &[],
};

impl Rule for Rule404 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_project(&self, cx: &ProjectCtx<'_>, out: &mut Vec<(FileRef, Hit)>) {
        for b in cx.built() {
            let Some(target) = &b.link.target else {
                continue;
            };
            if b.stage.is_some() || target.contains('$') {
                continue;
            }
            let names: Vec<&str> = b
                .dockerfile
                .df
                .stages
                .iter()
                .filter_map(|s| s.alias.as_ref().map(|a| a.value.as_str()))
                .collect();
            let node = get(b.service, "build")
                .and_then(|n| get(n, "target"))
                .unwrap_or(b.service);
            let known = if names.is_empty() {
                "it has no named stages".to_string()
            } else {
                format!("stages: {}", names.join(", "))
            };
            out.push((
                FileRef::Compose(b.link.compose),
                Hit::new(
                    b.compose.span(node),
                    format!(
                        "service `{}` builds target `{target}`, which {} does not define ({known})",
                        b.link.service, b.dockerfile.path
                    ),
                ),
            ));
        }
    }
}
