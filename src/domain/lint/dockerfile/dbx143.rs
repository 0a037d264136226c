//! DBX143: an EXPOSE protocol in upper case (BuildKit's ExposeProtoCasing).

use super::DockerfileCtx;
use crate::domain::dockerfile::Body;
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Edit, Hit, Severity};

pub struct Rule143;

static META: RuleMeta = RuleMeta {
    id: "DBX143",
    name: "expose-protocol-casing",
    category: Category::Dockerfile,
    severity: Severity::Info,
    summary: "an EXPOSE protocol is not in lower case",
    help: "write `/tcp`, `/udp` or `/sctp` in lower case (autofix)",
    explain: "# DBX143 expose-protocol-casing\n\nThe engine accepts `80/TCP`, but image metadata, `docker ps` and compose all\n\
write protocols in lower case, and tools comparing port keys as strings (`80/tcp` against `80/TCP`) miss the\n\
match. `docker build --check` reports it (ExposeProtoCasing).\n\n\
## Example\n\n```dockerfile\nEXPOSE 8080/tcp 53/udp\n```\n\n## Autofix\n\nLower-cases the protocol.\n",
    fixable: true,
    hadolint: &[],
};

impl Rule for Rule143 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_dockerfile(&self, cx: &DockerfileCtx<'_>, out: &mut Vec<Hit>) {
        for ins in &cx.df.instructions {
            let Body::Expose(ports) = &ins.body else {
                continue;
            };
            for p in ports {
                let Some((port, proto)) = p.value.split_once('/') else {
                    continue;
                };
                let lower = proto.to_ascii_lowercase();
                if lower == proto || !matches!(lower.as_str(), "tcp" | "udp" | "sctp") {
                    continue;
                }
                let hit = Hit::new(
                    p.span.clone(),
                    format!("protocol in `EXPOSE {}` should be lower case", p.value),
                );
                let verbatim = cx.text.get(p.span.clone()) == Some(p.value.as_str());
                out.push(if verbatim {
                    hit.with_fix(
                        format!("write `{port}/{lower}`"),
                        vec![Edit {
                            range: p.span.clone(),
                            replacement: format!("{port}/{lower}"),
                        }],
                    )
                } else {
                    hit
                });
            }
        }
    }
}
