//! DBX122: a development stage copies files the non-root user cannot write.

use super::{DockerfileCtx, is_root_user};
use crate::domain::dockerfile::Body;
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Edit, Hit, Severity};

pub struct Rule122;

static META: RuleMeta = RuleMeta {
    id: "DBX122",
    name: "dev-copy-without-chown",
    category: Category::Dockerfile,
    severity: Severity::Warning,
    summary: "a development stage copies files as root while the container user is not root",
    help: "add `--chown=UID:GID` matching the stage's USER (autofix), so watch syncs and tools can write",
    explain: "# DBX122 dev-copy-without-chown\n\n`COPY` writes files owned by `0:0` unless `--chown` is given. In a development\n\
stage (named `dev*`) the app, hot-reload tools and `docker compose watch` (which copies changed files in as the\n\
container user and deletes with `rm -rf`) must write there, so a non-root `USER` gets `EACCES`.\n\
Production stages are not flagged: root-owned, read-only code is a good thing there.\n\n\
Use numeric ids (`--chown=1000:1000`): names only resolve through the image's `/etc/passwd` and fail with\n\
`COPY --link`.\n\n## Example\n\n```dockerfile\nFROM node:22-alpine AS development\nUSER 1000:1000\nWORKDIR /app\nCOPY --chown=1000:1000 . .\n```\n\n\
## Autofix\n\nAdds `--chown=<the stage's USER>` to the COPY.\n",
    fixable: true,
    hadolint: &[],
};

impl Rule for Rule122 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_dockerfile(&self, cx: &DockerfileCtx<'_>, out: &mut Vec<Hit>) {
        for stage in &cx.df.stages {
            let dev = stage
                .alias
                .as_ref()
                .is_some_and(|a| a.value.to_ascii_lowercase().starts_with("dev"));
            if !dev {
                continue;
            }
            let Some(user) = cx.stage_user(stage) else {
                continue;
            };
            if is_root_user(&user.value) {
                continue;
            }
            for ins in cx.df.stage_instructions(stage) {
                let Body::Copy { .. } = &ins.body else {
                    continue;
                };
                if ins.flag("chown").is_some() || ins.flag("from").is_some() {
                    continue;
                }
                let at = ins.keyword.end;
                out.push(
                    Hit::new(
                        ins.span.clone(),
                        format!("COPY without `--chown` in development stage: files are root-owned but the user is `{}`", user.value),
                    )
                    .with_fix(
                        format!("add `--chown={}`", user.value),
                        vec![Edit { range: at..at, replacement: format!(" --chown={}", user.value) }],
                    ),
                );
            }
        }
    }
}
