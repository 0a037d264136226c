//! DBX144: COPY/ADD to a relative destination in a stage that never set WORKDIR (hadolint DL3045).

use super::DockerfileCtx;
use crate::domain::dockerfile::Body;
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Hit, Severity};

pub struct Rule144;

static META: RuleMeta = RuleMeta {
    id: "DBX144",
    name: "copy-relative-without-workdir",
    category: Category::Dockerfile,
    severity: Severity::Warning,
    summary: "COPY/ADD to a relative path in a stage that has not set WORKDIR",
    help: "set `WORKDIR /app` before the COPY, or copy to an absolute path",
    explain: "# DBX144 copy-relative-without-workdir\n\nA relative COPY destination is resolved against the working directory, which,\n\
until the stage sets WORKDIR, is whatever the base image chose: `/` for most images, something else for others,\n\
and it can change when the base image does. `COPY . .` then scatters the project over the root file system or\n\
lands somewhere the CMD does not look. Set WORKDIR first (a stage built `FROM` another stage of the file\n\
inherits its WORKDIR). hadolint calls it DL3045.\n\n\
## Example\n\n```dockerfile\nFROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n```\n",
    fixable: false,
    hadolint: &["DL3045"],
};

impl Rule for Rule144 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_dockerfile(&self, cx: &DockerfileCtx<'_>, out: &mut Vec<Hit>) {
        let mut set_at_end: Vec<bool> = Vec::with_capacity(cx.df.stages.len());
        for stage in &cx.df.stages {
            // A stage on scratch starts in `/`, known and fixed (BuildKit's export stages).
            let scratch = cx.df.root_image(stage).trim() == "scratch";
            let mut workdir = scratch
                || cx
                    .df
                    .resolved_base(stage)
                    .1
                    .and_then(|i| set_at_end.get(i).copied())
                    .unwrap_or(false);
            for ins in &cx.df.instructions[stage.range.clone()] {
                match &ins.body {
                    Body::Workdir(_) => workdir = true,
                    Body::Copy { dest, .. } | Body::Add { dest, .. } if !workdir => {
                        let d = dest.value.trim_matches('"');
                        let windows = d.len() > 1 && d.as_bytes()[1] == b':';
                        if d.starts_with('/')
                            || d.starts_with('$')
                            || d.starts_with('\\')
                            || windows
                        {
                            continue;
                        }
                        out.push(Hit::new(
                            dest.span.clone(),
                            format!(
                                "`{d}` is relative and this stage has no WORKDIR: it lands wherever the base image's working directory is"
                            ),
                        ));
                    }
                    _ => {}
                }
            }
            set_at_end.push(workdir);
        }
    }
}
