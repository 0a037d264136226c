//! DBX201: a privileged service.

use super::{ComposeCtx, get, is_true};
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Hit, Severity};

pub struct Rule201;

static META: RuleMeta = RuleMeta {
    id: "DBX201",
    name: "privileged-service",
    category: Category::Compose,
    severity: Severity::Error,
    summary: "the service runs privileged: root on the host in all but name",
    help: "remove `privileged: true`; grant only the capability or device needed (`cap_add`, `devices`)",
    explain: "# DBX201 privileged-service\n\n`privileged: true` gives the container every capability, all host devices and\n\
disables seccomp and AppArmor. Any process in it can load kernel modules or mount the host disk: a compromise\n\
is a host compromise. Almost every use needs one capability (`cap_add: [NET_ADMIN]`) or one device.\n\n\
## Example\n\n```yaml\nservices:\n  vpn:\n    image: wireguard:1\n    cap_add: [NET_ADMIN]\n    devices: [\"/dev/net/tun\"]\n```\n",
    fixable: false,
    hadolint: &[],
};

impl Rule for Rule201 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_compose(&self, cx: &ComposeCtx<'_>, out: &mut Vec<Hit>) {
        for (name, svc) in cx.services() {
            if let Some(node) = get(svc, "privileged").filter(|n| is_true(Some(n))) {
                out.push(Hit::new(
                    cx.key_span(node),
                    format!("service `{name}` runs privileged"),
                ));
            }
        }
    }
}
