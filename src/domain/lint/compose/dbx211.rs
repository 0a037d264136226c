//! DBX211: one host port published twice — by two services, or by a service that runs more
//! than one container — so the second container cannot start.

use super::{ComposeCtx, get, items, parts, text};
use crate::domain::compose::yaml::Node;
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Hit, Severity};

pub struct Rule211;

static META: RuleMeta = RuleMeta {
    id: "DBX211",
    name: "host-port-published-twice",
    category: Category::Compose,
    severity: Severity::Error,
    summary: "a host port is published twice, so `up` fails with `port is already allocated`",
    help: "give each service its own host port, or publish only the container port (`\"80\"`) and let the engine pick",
    explain: "# DBX211 host-port-published-twice\n\nA host port can be bound once per address and protocol. When two services publish\n\
the same one (`8080:80` and `8080:3000`), or a service with `scale:`/`deploy.replicas:` above 1 publishes a fixed\n\
host port, the first container starts and the next fails with `Bind for 0.0.0.0:8080 failed: port is already\n\
allocated` — after the images were built, in the middle of `up`. Bindings on different addresses\n\
(`127.0.0.1:8080` and `127.0.0.2:8080`), different protocols (`53/tcp`, `53/udp`) and services in profiles that\n\
never run together do not clash.\n\n\
## Example\n\n```yaml\nservices:\n  web:\n    ports: [\"127.0.0.1:8080:80\"]\n  api:\n    ports: [\"127.0.0.1:8081:3000\"]\n```\n",
    fixable: false,
    hadolint: &[],
};

/// One published host port range of a service.
struct Binding<'a> {
    service: &'a str,
    node: &'a Node,
    ip: Option<String>,
    ports: (u32, u32),
    protocol: String,
    profiles: Vec<String>,
}

impl Binding<'_> {
    fn clashes(&self, other: &Binding<'_>) -> bool {
        let any = |ip: &Option<String>| {
            ip.as_deref()
                .is_none_or(|i| i.is_empty() || i == "0.0.0.0" || i == "::")
        };
        let same_address = any(&self.ip) || any(&other.ip) || self.ip == other.ip;
        let together = self.profiles.is_empty()
            || other.profiles.is_empty()
            || self.profiles.iter().any(|p| other.profiles.contains(p));
        same_address
            && together
            && self.protocol == other.protocol
            && self.ports.0 <= other.ports.1
            && other.ports.0 <= self.ports.1
    }
}

fn range(published: &str) -> Option<(u32, u32)> {
    let (a, b) = published.split_once('-').unwrap_or((published, published));
    let (a, b) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
    (a > 0 && a <= b).then_some((a, b))
}

/// Containers a service runs: `scale`, else `deploy.replicas`, else 1.
fn replicas(service: &Node) -> u64 {
    get(service, "scale")
        .or_else(|| get(service, "deploy").and_then(|d| get(d, "replicas")))
        .and_then(text)
        .and_then(|t| t.parse().ok())
        .unwrap_or(1)
}

impl Rule for Rule211 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_compose(&self, cx: &ComposeCtx<'_>, out: &mut Vec<Hit>) {
        let mut seen: Vec<Binding<'_>> = Vec::new();
        for (name, svc) in cx.services() {
            let profiles: Vec<String> = get(svc, "profiles")
                .map(|p| items(p).iter().filter_map(text).collect())
                .unwrap_or_default();
            let count = replicas(svc);
            for p in parts::ports(svc) {
                let Some(ports) = p.published.as_deref().and_then(range) else {
                    continue;
                };
                let binding = Binding {
                    service: name,
                    node: p.node,
                    ip: p.host_ip.clone(),
                    ports,
                    protocol: p.protocol.clone(),
                    profiles: profiles.clone(),
                };
                let shown = if ports.0 == ports.1 {
                    ports.0.to_string()
                } else {
                    format!("{}-{}", ports.0, ports.1)
                };
                if let Some(first) = seen.iter().find(|b| b.clashes(&binding)) {
                    let line = cx.text[..cx.span(first.node).start].matches('\n').count() + 1;
                    let whose = if first.service == name {
                        "this service".to_owned()
                    } else {
                        format!("service `{}`", first.service)
                    };
                    out.push(Hit::new(
                        cx.span(p.node),
                        format!(
                            "host port {shown} is already published by {whose} (line {line}); `up` fails on the second"
                        ),
                    ));
                } else if count > 1
                    && ports.1 - ports.0 + 1 < u32::try_from(count).unwrap_or(u32::MAX)
                {
                    out.push(Hit::new(
                        cx.span(p.node),
                        format!(
                            "service `{name}` runs {count} containers but publishes fixed host port {shown}; only one can bind it"
                        ),
                    ));
                }
                seen.push(binding);
            }
        }
    }
}
