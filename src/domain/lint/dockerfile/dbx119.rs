//! DBX119: a health check that probes `localhost`.

use super::DockerfileCtx;
use crate::domain::dockerfile::Body;
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Edit, Hit, Severity};

pub struct Rule119;

static META: RuleMeta = RuleMeta {
    id: "DBX119",
    name: "healthcheck-localhost",
    category: Category::Dockerfile,
    severity: Severity::Info,
    summary: "the health check probes `localhost`, which may resolve to IPv6 `::1` first",
    help: "probe `127.0.0.1` (autofix)",
    explain: "# DBX119 healthcheck-localhost\n\nmusl (Alpine) resolves `localhost` to `::1` first and BusyBox `wget` does not fall\n\
back to IPv4, so a server listening on `0.0.0.0` only looks dead and the container is reported unhealthy.\n\
`127.0.0.1` always means the IPv4 loopback the server listens on.\n\n\
## Example\n\n```dockerfile\nHEALTHCHECK CMD [\"wget\", \"-q\", \"--spider\", \"http://127.0.0.1:3000/health\"]\n```\n\n\
## Autofix\n\nReplaces `localhost` with `127.0.0.1` in the health check.\n",
    fixable: true,
    hadolint: &[],
};

impl Rule for Rule119 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_dockerfile(&self, cx: &DockerfileCtx<'_>, out: &mut Vec<Hit>) {
        for ins in &cx.df.instructions {
            let Body::Healthcheck(Some(cmd)) = &ins.body else {
                continue;
            };
            let span = cmd.span();
            let text = &cx.text[span.clone()];
            let edits: Vec<Edit> = text
                .match_indices("localhost")
                .map(|(i, m)| Edit {
                    range: span.start + i..span.start + i + m.len(),
                    replacement: "127.0.0.1".into(),
                })
                .collect();
            if let Some(first) = edits.first() {
                let range = first.range.clone();
                // Say what actually goes wrong with the program the probe runs.
                let message = if text.contains("wget") {
                    "health check probes `localhost`; BusyBox wget on musl tries `::1` only, and the server may listen on IPv4 alone"
                } else {
                    "health check probes `localhost`, which may resolve to IPv6 `::1` first while the server listens on IPv4 alone"
                };
                out.push(Hit::new(range, message).with_fix("probe `127.0.0.1`", edits));
            }
        }
    }
}
