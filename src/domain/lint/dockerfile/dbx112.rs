//! DBX112: relative `WORKDIR`.

use super::DockerfileCtx;
use crate::domain::dockerfile::Body;
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Hit, Severity};

pub struct Rule112;

static META: RuleMeta = RuleMeta {
    id: "DBX112",
    name: "relative-workdir",
    category: Category::Dockerfile,
    severity: Severity::Warning,
    summary: "`WORKDIR` is a relative path",
    help: "use an absolute path such as `WORKDIR /app`",
    explain: "# DBX112 relative-workdir\n\nA relative `WORKDIR` is resolved against the previous `WORKDIR`, which may come\n\
from the base image and change with it (`node` images use `/`, `oven/bun` uses `/home/bun/app`). Two relative\n\
`WORKDIR`s stack up. An absolute path is unambiguous.\n\n## Example\n\n```dockerfile\nWORKDIR /app\n```\n",
    fixable: false,
    hadolint: &["DL3000"],
};

impl Rule for Rule112 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_dockerfile(&self, cx: &DockerfileCtx<'_>, out: &mut Vec<Hit>) {
        for ins in &cx.df.instructions {
            let Body::Workdir(dir) = &ins.body else {
                continue;
            };
            let v = dir.value.trim_matches('"');
            let windows = v.len() > 1 && v.as_bytes()[1] == b':';
            if v.starts_with('/') || v.starts_with('$') || windows || v.starts_with('\\') {
                continue;
            }
            out.push(Hit::new(
                dir.span.clone(),
                format!("`WORKDIR {v}` is relative; it depends on the previous WORKDIR"),
            ));
        }
    }
}
