//! DBX129: an `EXPOSE` port outside 1-65535 or with an unknown protocol.

use super::DockerfileCtx;
use crate::domain::dockerfile::Body;
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Hit, Severity};

pub struct Rule129;

static META: RuleMeta = RuleMeta {
    id: "DBX129",
    name: "invalid-expose",
    category: Category::Dockerfile,
    severity: Severity::Error,
    summary: "an EXPOSE entry is not a valid port",
    help: "use `EXPOSE <port>[/tcp|/udp]` with a port between 1 and 65535",
    explain: "# DBX129 invalid-expose\n\nPorts are 1-65535 and the protocol is `tcp`, `udp` or `sctp`. Anything else is\n\
rejected when the container is created (`invalid containerPort`), long after the build succeeded.\n\
Host mappings (`8080:80`) do not belong in a Dockerfile either; they are a run-time (compose) decision.\n\n\
## Example\n\n```dockerfile\nEXPOSE 8080 53/udp\n```\n",
    fixable: false,
    hadolint: &["DL3011"],
};

pub fn valid_port_spec(spec: &str) -> bool {
    let (ports, proto) = spec.split_once('/').unwrap_or((spec, "tcp"));
    if !matches!(proto.to_ascii_lowercase().as_str(), "tcp" | "udp" | "sctp") {
        return false;
    }
    let (a, b) = ports.split_once('-').unwrap_or((ports, ports));
    let ok = |p: &str| p.parse::<u32>().is_ok_and(|n| (1..=65535).contains(&n));
    ok(a) && ok(b)
}

impl Rule for Rule129 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_dockerfile(&self, cx: &DockerfileCtx<'_>, out: &mut Vec<Hit>) {
        for ins in &cx.df.instructions {
            let Body::Expose(ports) = &ins.body else {
                continue;
            };
            for p in ports {
                if p.value.contains('$') || valid_port_spec(&p.value) {
                    continue;
                }
                out.push(Hit::new(
                    p.span.clone(),
                    format!("`EXPOSE {}` is not a valid port", p.value),
                ));
            }
        }
    }
}
