//! DBX405: a watch sync target the container user cannot write, or an image that cannot sync.

use super::ProjectCtx;
use crate::domain::dockerfile::Body;
use crate::domain::lint::compose::parts;
use crate::domain::lint::dockerfile::is_root_user;
use crate::domain::lint::registry::{FileRef, Rule, RuleMeta};
use crate::domain::lint::{Category, Hit, Severity};

pub struct Rule405;

static META: RuleMeta = RuleMeta {
    id: "DBX405",
    name: "watch-target-unwritable",
    category: Category::Cross,
    severity: Severity::Warning,
    summary: "a `develop.watch` sync target cannot be written by the image's user, or the image lacks rm/mkdir",
    help: "sync into a dev stage with a shell, and `COPY --chown=UID:GID` the target dir for the stage's USER",
    explain: "# DBX405 watch-target-unwritable\n\nCompose Watch copies changed files into the running container *as the container's\n\
user* and deletes with `rm -rf`; it needs `stat`, `mkdir`, `rmdir` and `rm` in the image. So:\n\n\
* a distroless or scratch stage cannot be a watch target at all (no tools): use a `development` stage on a\n  shell-ful base;\n\
* a non-root `USER` cannot write files that `COPY` created as root: every sync fails with permission denied.\n\n\
devbox finds the `COPY` that created the target path in the built stage and checks its `--chown`.\n\n\
## Example\n\n```dockerfile\nFROM node:22-alpine AS development\nUSER 1000:1000\nWORKDIR /app\nCOPY --chown=1000:1000 . .\n```\n",
    fixable: false,
    hadolint: &[],
};

/// `/app/src` is inside `/app`.
fn covers(dir: &str, path: &str) -> bool {
    let dir = dir.trim_end_matches('/');
    path == dir || path.starts_with(&format!("{dir}/")) || dir.is_empty()
}

impl Rule for Rule405 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_project(&self, cx: &ProjectCtx<'_>, out: &mut Vec<(FileRef, Hit)>) {
        for b in cx.built() {
            let Some(stage) = b.stage else { continue };
            let syncs: Vec<_> = parts::watches(b.service)
                .into_iter()
                .filter(|w| w.action.starts_with("sync"))
                .collect();
            if syncs.is_empty() {
                continue;
            }
            let image = b.dockerfile.base_image(stage);
            let span = |n| b.compose.span(n);
            if image.tools().rm == Some(false) {
                out.push((
                    FileRef::Compose(b.link.compose),
                    Hit::new(span(syncs[0].node), format!("service `{}` syncs into `{}`, which has no rm/mkdir/stat for Compose Watch", b.link.service, stage.image.value)),
                ));
                continue;
            }
            let Some(user) = b.dockerfile.stage_user(stage).map(|u| u.value.clone()) else {
                continue;
            };
            if is_root_user(&user) {
                continue;
            }
            let df = b.dockerfile.df;
            for w in &syncs {
                let Some(target) = &w.target else { continue };
                // The last COPY in the stage whose destination contains the target decides ownership.
                let mut workdir = String::from("/");
                let mut owner: Option<(bool, usize)> = None;
                for ins in df.stage_instructions(stage) {
                    match &ins.body {
                        Body::Workdir(d) if d.value.starts_with('/') => workdir = d.value.clone(),
                        Body::Copy { dest, .. } if ins.flag("from").is_none() => {
                            let abs = if dest.value.starts_with('/') {
                                dest.value.clone()
                            } else {
                                format!(
                                    "{}/{}",
                                    workdir.trim_end_matches('/'),
                                    dest.value.trim_start_matches("./")
                                )
                            };
                            let abs = abs.trim_end_matches(['/', '.']).to_string();
                            if covers(&abs, target) || covers(target, &abs) {
                                owner = Some((ins.flag("chown").is_some(), ins.span.start));
                            }
                        }
                        _ => {}
                    }
                }
                if let Some((false, at)) = owner {
                    let line = b.dockerfile.text[..at].matches('\n').count() + 1;
                    out.push((
                        FileRef::Compose(b.link.compose),
                        Hit::new(
                            span(w.node),
                            format!("watch syncs into `{target}` as user `{user}`, but the COPY on {}:{line} has no --chown (files are root-owned)", b.dockerfile.path),
                        ),
                    ));
                }
            }
        }
    }
}
