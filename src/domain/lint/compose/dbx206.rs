//! DBX206: `read_only: true` without a writable `/tmp`.

use super::{ComposeCtx, get, is_true, items, parts, text};
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Hit, Severity};

pub struct Rule206;

static META: RuleMeta = RuleMeta {
    id: "DBX206",
    name: "read-only-without-tmp",
    category: Category::Compose,
    severity: Severity::Warning,
    summary: "`read_only: true` without a tmpfs for /tmp",
    help: "add `tmpfs: [/tmp]` (and any other path the app writes: pid files, caches)",
    explain: "# DBX206 read-only-without-tmp\n\nA read-only root filesystem is good hardening, but almost every runtime writes\n\
to `/tmp`: Python's `tempfile`, Node's `os.tmpdir()`, nginx-unprivileged's pid and temp paths, upload buffers.\n\
Without a tmpfs those writes fail at run time with `EROFS: read-only file system`.\n\n\
## Example\n\n```yaml\nread_only: true\ntmpfs:\n  - /tmp\n```\n",
    fixable: false,
    hadolint: &[],
};

impl Rule for Rule206 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_compose(&self, cx: &ComposeCtx<'_>, out: &mut Vec<Hit>) {
        for (name, svc) in cx.services() {
            let Some(ro) = get(svc, "read_only").filter(|n| is_true(Some(n))) else {
                continue;
            };
            let tmpfs = get(svc, "tmpfs").is_some_and(|t| {
                let list: Vec<String> = match text(t) {
                    Some(one) => vec![one],
                    None => items(t).iter().filter_map(text).collect(),
                };
                list.iter().any(|p| {
                    p.split(':')
                        .next()
                        .is_some_and(|p| p.trim_end_matches('/') == "/tmp")
                })
            });
            let mounted = parts::volumes(svc)
                .iter()
                .any(|m| m.target.trim_end_matches('/') == "/tmp");
            if !tmpfs && !mounted {
                out.push(Hit::new(
                    cx.key_span(ro),
                    format!("service `{name}` is read-only but has no writable /tmp"),
                ));
            }
        }
    }
}
