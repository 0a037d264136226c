//! DBX207: `depends_on` a service with a health check, without waiting for it.

use super::{ComposeCtx, get, items, parts, text};
use crate::domain::compose::yaml::Value;
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Hit, Severity};

pub struct Rule207;

static META: RuleMeta = RuleMeta {
    id: "DBX207",
    name: "depends-on-without-condition",
    category: Category::Compose,
    severity: Severity::Warning,
    summary: "`depends_on` a service that has a health check, but only waits for it to start",
    help: "use the long form: `depends_on: {db: {condition: service_healthy}}`",
    explain: "# DBX207 depends-on-without-condition\n\nThe short form (`depends_on: [db]`) and `condition: service_started` only wait\n\
for the dependency's container to start. Its health check exists precisely to say when it is *ready*; without\n\
`condition: service_healthy` the app races the database on every `up` and crashes or logs connection errors.\n\n\
## Example\n\n```yaml\ndepends_on:\n  db:\n    condition: service_healthy\n```\n",
    fixable: false,
    hadolint: &[],
};

impl Rule for Rule207 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_compose(&self, cx: &ComposeCtx<'_>, out: &mut Vec<Hit>) {
        let services = cx.services();
        let healthy = |dep: &str| {
            services
                .iter()
                .any(|(n, s)| *n == dep && parts::has_healthcheck(s))
        };
        for (name, svc) in &services {
            let Some(deps) = get(svc, "depends_on") else {
                continue;
            };
            match &deps.value {
                Value::Seq(_) => {
                    for item in items(deps) {
                        if let Some(dep) = text(item).filter(|d| healthy(d)) {
                            out.push(Hit::new(
                                cx.span(item),
                                format!("`{name}` depends on `{dep}` (which has a health check) without `condition: service_healthy`"),
                            ));
                        }
                    }
                }
                Value::Map(map) => {
                    for (dep, spec) in map {
                        let condition = get(spec, "condition").and_then(text);
                        if healthy(dep)
                            && condition.as_deref().is_none_or(|c| c == "service_started")
                        {
                            out.push(Hit::new(
                                cx.key_span(spec),
                                format!("`{name}` depends on `{dep}` (which has a health check) without `condition: service_healthy`"),
                            ));
                        }
                    }
                }
                _ => {}
            }
        }
    }
}
