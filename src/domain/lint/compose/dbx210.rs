//! DBX210: host-level privileges short of `privileged` (all capabilities, the host's PID or
//! IPC namespace, no seccomp/AppArmor confinement).

use super::{ComposeCtx, get, items, text};
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Hit, Severity};

pub struct Rule210;

static META: RuleMeta = RuleMeta {
    id: "DBX210",
    name: "host-privileges",
    category: Category::Compose,
    severity: Severity::Error,
    summary: "the service gets host-level privileges (all capabilities, host PID/IPC, no seccomp/AppArmor)",
    help: "add only the capabilities the service needs (`cap_add: [NET_BIND_SERVICE]`) and keep the default confinement",
    explain: "# DBX210 host-privileges\n\n`cap_add: [ALL]` or `SYS_ADMIN` gives the container most of root's power over the\n\
host kernel; `pid: host` lets it see and signal every host process; `ipc: host` shares the host's shared\n\
memory; `seccomp:unconfined` and `apparmor:unconfined` remove the filters that block container escapes. Any\n\
one of them turns a compromised service into a compromised host.\n\n\
## Example\n\n```yaml\nservices:\n  web:\n    cap_drop: [ALL]\n    cap_add: [NET_BIND_SERVICE]\n```\n",
    fixable: false,
    hadolint: &[],
};

impl Rule for Rule210 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_compose(&self, cx: &ComposeCtx<'_>, out: &mut Vec<Hit>) {
        for (name, svc) in cx.services() {
            if let Some(caps) = get(svc, "cap_add") {
                for cap in items(caps) {
                    let Some(value) = text(cap) else { continue };
                    let upper = value.to_ascii_uppercase();
                    let bare = upper.trim_start_matches("CAP_");
                    if bare == "ALL" || bare == "SYS_ADMIN" {
                        out.push(Hit::new(
                            cx.span(cap),
                            format!(
                                "service `{name}` adds `{value}`: nearly root on the host kernel"
                            ),
                        ));
                    }
                }
            }
            for key in ["pid", "ipc"] {
                if let Some(node) = get(svc, key).filter(|n| text(n).as_deref() == Some("host")) {
                    out.push(Hit::new(
                        cx.key_span(node),
                        format!(
                            "service `{name}` shares the host's {} namespace (`{key}: host`)",
                            key.to_uppercase()
                        ),
                    ));
                }
            }
            if let Some(opts) = get(svc, "security_opt") {
                for opt in items(opts) {
                    let Some(value) = text(opt) else { continue };
                    let compact = value.replace([' ', '='], ":");
                    if compact == "seccomp:unconfined" || compact == "apparmor:unconfined" {
                        out.push(Hit::new(
                            cx.span(opt),
                            format!("service `{name}` turns off its confinement (`{value}`)"),
                        ));
                    }
                }
            }
        }
    }
}
