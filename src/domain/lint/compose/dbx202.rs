//! DBX202: the Docker socket is mounted into a service.

use super::{ComposeCtx, parts};
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Hit, Severity};

pub struct Rule202;

static META: RuleMeta = RuleMeta {
    id: "DBX202",
    name: "docker-socket-mounted",
    category: Category::Compose,
    severity: Severity::Error,
    summary: "the Docker socket is mounted: the service controls the host's Docker",
    help: "remove the mount; if a tool needs the API, put a filtering proxy (read-only, limited endpoints) in front",
    explain: "# DBX202 docker-socket-mounted\n\nWhoever can talk to `/var/run/docker.sock` can start a privileged container\n\
that mounts `/`: the socket is root on the host, even mounted `:ro` (read-only applies to the file, not to the\n\
API). A bug in the service becomes a host takeover.\n\n\
If a tool really needs the API (Traefik, Watchtower), use a socket proxy that allows only the endpoints it needs.\n\n\
## Example\n\n```yaml\n# flagged\nvolumes:\n  - /var/run/docker.sock:/var/run/docker.sock\n```\n",
    fixable: false,
    hadolint: &[],
};

impl Rule for Rule202 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_compose(&self, cx: &ComposeCtx<'_>, out: &mut Vec<Hit>) {
        for (name, svc) in cx.services() {
            for m in parts::volumes(svc) {
                if m.source
                    .as_deref()
                    .is_some_and(|s| s.ends_with("docker.sock"))
                {
                    out.push(Hit::new(
                        cx.span(m.node),
                        format!("service `{name}` mounts the Docker socket"),
                    ));
                }
            }
        }
    }
}
