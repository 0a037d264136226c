//! DBX406: a bind mount overlaps a watch sync target.

use super::ProjectCtx;
use crate::domain::lint::compose::parts;
use crate::domain::lint::registry::{FileRef, Rule, RuleMeta};
use crate::domain::lint::{Category, Hit, Severity};

pub struct Rule406;

static META: RuleMeta = RuleMeta {
    id: "DBX406",
    name: "bind-mount-overlaps-watch",
    category: Category::Cross,
    severity: Severity::Warning,
    summary: "a bind mount covers a `develop.watch` sync target: two mechanisms fight over the same files",
    help: "use either the bind mount or watch sync for that path, not both (prefer watch)",
    explain: "# DBX406 bind-mount-overlaps-watch\n\nA bind mount already mirrors the host directory; Compose Watch then copies the\n\
same changes again through the engine API into the mount (or, if the mount is below the target, its files hide\n\
what watch syncs). Result: double work, races with the dev server's own reload, and on Docker Desktop the slow\n\
bind-mount I/O watch was meant to avoid.\n\n## Example\n\n```yaml\n# pick one\ndevelop:\n  watch:\n    - action: sync\n      path: ./src\n      target: /app/src\n```\n",
    fixable: false,
    hadolint: &[],
};

fn overlaps(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim_end_matches('/'), b.trim_end_matches('/'));
    a == b || a.starts_with(&format!("{b}/")) || b.starts_with(&format!("{a}/"))
}

impl Rule for Rule406 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_project(&self, cx: &ProjectCtx<'_>, out: &mut Vec<(FileRef, Hit)>) {
        for (ci, compose) in cx.composes.iter().enumerate() {
            for (name, svc) in compose.services() {
                let watches = parts::watches(svc);
                for m in parts::volumes(svc).into_iter().filter(|m| m.bind) {
                    let hit = watches.iter().find(|w| {
                        w.action.starts_with("sync")
                            && w.target.as_deref().is_some_and(|t| overlaps(t, &m.target))
                    });
                    if let Some(w) = hit {
                        out.push((
                            FileRef::Compose(ci),
                            Hit::new(
                                compose.span(m.node),
                                format!("service `{name}` bind-mounts `{}` over the watch sync target `{}`", m.target, w.target.as_deref().unwrap_or("")),
                            ),
                        ));
                    }
                }
            }
        }
    }
}
