//! DBX403: compose publishes a port the image does not EXPOSE.

use super::ProjectCtx;
use crate::domain::dockerfile::Body;
use crate::domain::lint::compose::parts;
use crate::domain::lint::registry::{FileRef, Rule, RuleMeta};
use crate::domain::lint::{Category, Hit, Severity};

pub struct Rule403;

static META: RuleMeta = RuleMeta {
    id: "DBX403",
    name: "ports-not-exposed",
    category: Category::Cross,
    severity: Severity::Warning,
    summary: "compose publishes a container port the Dockerfile does not EXPOSE",
    help: "publish the port the app listens on (see EXPOSE), or fix EXPOSE if the app moved",
    explain: "# DBX403 ports-not-exposed\n\nWhen the Dockerfile `EXPOSE`s ports and compose publishes a different container port,\n\
one of them is stale: typically the app moved from 3000 to 8080 and `ports: [\"3000:3000\"]` now forwards to\n\
nothing (connection reset). Engines up to v28 also drop a binding for a port missing from `ExposedPorts` when\n\
created through the API. Silent when the stage exposes nothing or the port uses a variable.\n\n\
## Example\n\n```dockerfile\nEXPOSE 8080\n```\n```yaml\nports: [\"127.0.0.1:8080:8080\"]\n```\n",
    fixable: false,
    hadolint: &[],
};

impl Rule for Rule403 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_project(&self, cx: &ProjectCtx<'_>, out: &mut Vec<(FileRef, Hit)>) {
        for b in cx.built() {
            let Some(stage) = b.stage else { continue };
            let df = b.dockerfile.df;
            let mut exposed: Vec<u16> = Vec::new();
            let mut dynamic = false;
            let mut current = Some(stage);
            let mut hops = 0;
            while let Some(st) = current {
                for ins in df.stage_instructions(st) {
                    if let Body::Expose(list) = &ins.body {
                        for p in list {
                            dynamic |= p.value.contains('$');
                            let n = p
                                .value
                                .split('/')
                                .next()
                                .and_then(|n| n.split('-').next())
                                .and_then(|n| n.parse::<u16>().ok());
                            exposed.extend(n);
                        }
                    }
                }
                hops += 1;
                current = df
                    .resolved_base(st)
                    .1
                    .and_then(|i| df.stages.get(i))
                    .filter(|_| hops < 64);
            }
            if exposed.is_empty() || dynamic {
                continue;
            }
            for p in parts::ports(b.service) {
                let Some(target) = p.target else { continue };
                if !exposed.contains(&target) {
                    let list = exposed
                        .iter()
                        .map(u16::to_string)
                        .collect::<Vec<_>>()
                        .join(", ");
                    out.push((
                        FileRef::Compose(b.link.compose),
                        Hit::new(
                            b.compose.span(p.node),
                            format!("service `{}` publishes container port {target}, but its image exposes {list}", b.link.service),
                        ),
                    ));
                }
            }
        }
    }
}
