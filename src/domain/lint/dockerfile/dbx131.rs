//! DBX131: COPY/ADD of several sources into a destination that is not a directory.

use super::DockerfileCtx;
use crate::domain::dockerfile::Body;
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Edit, Hit, Severity};

pub struct Rule131;

static META: RuleMeta = RuleMeta {
    id: "DBX131",
    name: "multiple-sources-need-dir-dest",
    category: Category::Dockerfile,
    severity: Severity::Error,
    summary: "several sources are copied to a destination without a trailing `/`",
    help: "end the destination with `/` (autofix)",
    explain: "# DBX131 multiple-sources-need-dir-dest\n\nWith more than one source, Docker requires the destination to be a directory\n\
written with a trailing slash; the build stops with `When using COPY with more than one source file, the\n\
destination must be a directory and end with a /`.\n\n\
## Example\n\n```dockerfile\nCOPY package.json package-lock.json /app/\n```\n",
    fixable: true,
    hadolint: &["DL3021"],
};

impl Rule for Rule131 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_dockerfile(&self, cx: &DockerfileCtx<'_>, out: &mut Vec<Hit>) {
        for ins in &cx.df.instructions {
            let (Body::Copy { sources, dest } | Body::Add { sources, dest }) = &ins.body else {
                continue;
            };
            let d = dest.value.as_str();
            if sources.len() < 2
                || d.ends_with('/')
                || matches!(d, "." | "..")
                || d.ends_with("/.")
                || d.contains('$')
            {
                continue;
            }
            out.push(
                Hit::new(
                    dest.span.clone(),
                    format!(
                        "{} copies {} sources to `{d}`, which must then end with `/`",
                        ins.name(),
                        sources.len()
                    ),
                )
                .with_fix(
                    format!("write `{d}/`"),
                    vec![Edit {
                        range: dest.span.end..dest.span.end,
                        replacement: "/".into(),
                    }],
                ),
            );
        }
    }
}
