//! DBX203: `network_mode: host`.

use super::{ComposeCtx, get, text};
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Hit, Severity};

pub struct Rule203;

static META: RuleMeta = RuleMeta {
    id: "DBX203",
    name: "host-network",
    category: Category::Compose,
    severity: Severity::Warning,
    summary: "the service shares the host's network stack",
    help: "use the project network and publish the ports you need (`127.0.0.1:8080:8080`)",
    explain: "# DBX203 host-network\n\nWith `network_mode: host` the container sees every host interface, binds its ports\n\
directly on them (a server listening on `0.0.0.0` is reachable from the LAN), cannot use service-name DNS to\n\
reach the other services, and `ports:` is ignored. On Docker Desktop it is the VM's network, not your machine's.\n\n\
## Example\n\n```yaml\nservices:\n  web:\n    ports: [\"127.0.0.1:8080:8080\"]\n```\n",
    fixable: false,
    hadolint: &[],
};

impl Rule for Rule203 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_compose(&self, cx: &ComposeCtx<'_>, out: &mut Vec<Hit>) {
        for (name, svc) in cx.services() {
            if let Some(node) =
                get(svc, "network_mode").filter(|n| text(n).as_deref() == Some("host"))
            {
                out.push(Hit::new(
                    cx.key_span(node),
                    format!("service `{name}` uses the host network"),
                ));
            }
        }
    }
}
