//! DBX212: `condition: service_healthy` on a service that has no health check, so `up` fails
//! (or, with an image that defines none, waits for a state that never comes).

use super::{ComposeCtx, get, parts, text};
use crate::domain::compose::yaml::Value;
use crate::domain::dockerfile::ImageRef;
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Hit, Severity};

pub struct Rule212;

static META: RuleMeta = RuleMeta {
    id: "DBX212",
    name: "waits-for-health-without-healthcheck",
    category: Category::Compose,
    severity: Severity::Error,
    summary: "`condition: service_healthy` on a service that has no health check",
    help: "give the dependency a `healthcheck:` (its own probe: `pg_isready`, `redis-cli ping`, ...), or wait for `service_started`",
    explain: "# DBX212 waits-for-health-without-healthcheck\n\nA dependency can only become healthy if it has a health check. Compose refuses to\n\
start the dependent service (`container db has no healthcheck configured`) when the dependency has none — neither\n\
in the compose file nor in its image. The official images on Docker Hub (postgres, redis, mysql, ...) define no\n\
HEALTHCHECK, so a service that uses one of them with `condition: service_healthy` needs a `healthcheck:` in the\n\
compose file. Services built here are not reported: their Dockerfile may define the HEALTHCHECK.\n\n\
## Example\n\n```yaml\nservices:\n  db:\n    image: postgres:16-alpine\n    healthcheck:\n      test: [\"CMD-SHELL\", \"pg_isready -U postgres\"]\n\
      interval: 5s\n  api:\n    depends_on:\n      db:\n        condition: service_healthy\n```\n",
    fixable: false,
    hadolint: &[],
};

impl Rule for Rule212 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_compose(&self, cx: &ComposeCtx<'_>, out: &mut Vec<Hit>) {
        let services = cx.services();
        // A dependency that can never be healthy: no compose health check (or one disabled),
        // not built here, and an official image (docker-library images define no HEALTHCHECK).
        let never_healthy = |dep: &str| {
            services.iter().any(|(n, s)| {
                *n == dep
                    && !parts::has_healthcheck(s)
                    && get(s, "build").is_none()
                    && parts::image(s).is_some_and(|i| {
                        let image = ImageRef::parse(&i);
                        image.is_official() && !i.contains('$')
                    })
            })
        };
        for (name, svc) in &services {
            let Some(deps) = get(svc, "depends_on") else {
                continue;
            };
            let Value::Map(map) = &deps.value else {
                continue;
            };
            for (dep, spec) in map {
                let condition = get(spec, "condition").and_then(text);
                if condition.as_deref() == Some("service_healthy") && never_healthy(dep) {
                    out.push(Hit::new(
                        cx.key_span(spec),
                        format!(
                            "`{name}` waits for `{dep}` to be healthy, but `{dep}` has no health check: `up` fails"
                        ),
                    ));
                }
            }
        }
    }
}
