//! DBX213: a credential passed as a build argument, which stays in the image's history.

use super::{ComposeCtx, get, text};
use crate::domain::compose::yaml::Value;
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::secrets::secret_name;
use crate::domain::lint::{Category, Hit, Severity};

pub struct Rule213;

static META: RuleMeta = RuleMeta {
    id: "DBX213",
    name: "secret-build-arg",
    category: Category::Compose,
    severity: Severity::Warning,
    summary: "a credential is passed as a build argument; build arguments are kept in the image's history",
    help: "use a build secret: `build: {secrets: [npm_token]}` and `RUN --mount=type=secret,id=npm_token ...`",
    explain: "# DBX213 secret-build-arg\n\nEvery build argument a RUN uses is recorded in the image's metadata: `docker history\n\
--no-trunc` and `docker image inspect` show `NPM_TOKEN=...` to anyone who can pull the image, for as long as it\n\
exists. BuildKit's secret mounts give the RUN the value as a file that is never written to a layer or to the\n\
history. Compose passes them with `build.secrets`.\n\n\
## Example\n\n```yaml\nservices:\n  web:\n    build:\n      context: .\n      secrets: [npm_token]\nsecrets:\n  npm_token:\n    environment: NPM_TOKEN\n```\n\n\
```dockerfile\nRUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci\n```\n",
    fixable: false,
    hadolint: &[],
};

impl Rule for Rule213 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_compose(&self, cx: &ComposeCtx<'_>, out: &mut Vec<Hit>) {
        for (name, svc) in cx.services() {
            let Some(args) = get(svc, "build").and_then(|b| get(b, "args")) else {
                continue;
            };
            let mut found = Vec::new();
            match &args.value {
                Value::Map(map) => {
                    for (key, node) in map {
                        found.push((key.clone(), cx.key_span(node)));
                    }
                }
                Value::Seq(list) => {
                    for item in list {
                        if let Some(t) = text(item) {
                            let key = t.split('=').next().unwrap_or(&t).to_owned();
                            found.push((key, cx.span(item)));
                        }
                    }
                }
                _ => {}
            }
            for (key, span) in found {
                if secret_name(&key) {
                    out.push(Hit::new(
                        span,
                        format!("service `{name}` passes `{key}` as a build argument: it stays in the image's history"),
                    ));
                }
            }
        }
    }
}
