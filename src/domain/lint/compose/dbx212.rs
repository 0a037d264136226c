//! DBX212: `condition: service_healthy` on a service that has no health check, so `up` fails
//! (or, with an image that defines none, waits for a state that never comes).

use super::{ComposeCtx, get, parts, text};
use crate::domain::compose::yaml::{Node, Value};
use crate::domain::dockerfile::{Body, Dockerfile, ImageRef, Stage};
use crate::domain::lint::cross::ProjectCtx;
use crate::domain::lint::registry::{FileRef, Rule, RuleMeta};
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
compose file. A service built here is judged by the stage it builds: a `HEALTHCHECK` there (or in a stage it is\n\
built `FROM`) counts, `HEALTHCHECK NONE` does not, and a base image that is not an official one may bring its own.\n\n\
## Example\n\n```yaml\nservices:\n  db:\n    image: postgres:16-alpine\n    healthcheck:\n      test: [\"CMD-SHELL\", \"pg_isready -U postgres\"]\n\
      interval: 5s\n  api:\n    depends_on:\n      db:\n        condition: service_healthy\n```\n",
    fixable: false,
    hadolint: &[],
};

/// Each `depends_on` entry of the file waiting for a dependency to be healthy:
/// (waiting service, dependency, the entry's node).
fn healthy_waits<'a>(services: &[(&'a str, &'a Node)]) -> Vec<(&'a str, &'a str, &'a Node)> {
    let mut out = Vec::new();
    for (name, svc) in services {
        let Some(Value::Map(map)) = get(svc, "depends_on").map(|d| &d.value) else {
            continue;
        };
        for (dep, spec) in map {
            if get(spec, "condition").and_then(text).as_deref() == Some("service_healthy") {
                out.push((*name, dep.as_str(), spec));
            }
        }
    }
    out
}

/// Whether a built stage's image has a health check: the last HEALTHCHECK along its `FROM`
/// chain decides; with none, only a base image that is not official may bring one.
fn stage_has_healthcheck(df: &Dockerfile, stage: &Stage) -> bool {
    let mut current = Some(stage);
    let mut seen = Vec::new();
    while let Some(st) = current {
        if seen.contains(&st.index) {
            break;
        }
        seen.push(st.index);
        let last = df
            .stage_instructions(st)
            .iter()
            .rev()
            .find_map(|i| match &i.body {
                Body::Healthcheck(cmd) => Some(cmd.is_some()),
                _ => None,
            });
        if let Some(defined) = last {
            return defined;
        }
        let (image, earlier) = df.resolved_base(st);
        match earlier {
            Some(i) => current = df.stages.get(i),
            None => {
                let image = image.trim();
                return !(image.eq_ignore_ascii_case("scratch")
                    || (ImageRef::parse(image).is_official() && !image.contains('$')));
            }
        }
    }
    true
}

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
        for (name, dep, spec) in healthy_waits(&services) {
            if never_healthy(dep) {
                out.push(Hit::new(
                    cx.key_span(spec),
                    format!(
                        "`{name}` waits for `{dep}` to be healthy, but `{dep}` has no health check: `up` fails"
                    ),
                ));
            }
        }
    }
    fn check_project(&self, cx: &ProjectCtx<'_>, out: &mut Vec<(FileRef, Hit)>) {
        for b in cx.built() {
            let Some(stage) = b.stage else { continue };
            if parts::has_healthcheck(b.service) || stage_has_healthcheck(b.dockerfile.df, stage) {
                continue;
            }
            for (name, dep, spec) in healthy_waits(&b.compose.services()) {
                if dep != b.link.service {
                    continue;
                }
                out.push((
                    FileRef::Compose(b.link.compose),
                    Hit::new(
                        b.compose.key_span(spec),
                        format!(
                            "`{name}` waits for `{dep}` to be healthy, but `{dep}` has no health check (none in its compose entry, none in the stage it builds from {}): `up` fails",
                            b.dockerfile.path
                        ),
                    ),
                ));
            }
        }
    }
}
