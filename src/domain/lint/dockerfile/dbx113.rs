//! DBX113: a secret in `ENV` or `ARG`.

use super::DockerfileCtx;
use crate::domain::dockerfile::Body;
use crate::domain::dockerfile::words::key_values;
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::secrets::{harmless_value, secret_name};
use crate::domain::lint::{Category, Hit, Severity};

pub struct Rule113;

static META: RuleMeta = RuleMeta {
    id: "DBX113",
    name: "secret-in-env-or-arg",
    category: Category::Dockerfile,
    severity: Severity::Error,
    summary: "a secret is passed through ENV or ARG and ends up in the image metadata",
    help: "use `RUN --mount=type=secret,id=NAME` at build time and runtime secrets/env for the container",
    explain: "# DBX113 secret-in-env-or-arg\n\n`ENV` values are stored in the image config: anyone who can pull the image reads\n\
them with `docker inspect`. `ARG` values appear in `docker history` for every `RUN` that uses them. Names that\n\
look like credentials (a whole word `PASSWORD`, `SECRET`, `TOKEN`, `CREDENTIALS`, or `API_KEY`,\n\
`PRIVATE_KEY`, `ACCESS_KEY`) are flagged. Not flagged: settings about a secret (`PASSWORD_MIN_LENGTH`,\n\
`ACCESS_TOKEN_EXPIRE_MINUTES`, `*_FILE`, `TOKEN_URL`), words that only contain one (`TOKENIZERS_PARALLELISM`),\n\
an `ENV` that references another variable or sets an empty value, a flag or small number, or a path\n\
(`GOOGLE_APPLICATION_CREDENTIALS=/var/secrets/key.json`).\n\n\
## Example\n\n```dockerfile\n# flagged\nENV DB_PASSWORD=hunter2\nARG NPM_TOKEN\n\n# fine\nRUN --mount=type=secret,id=npm_token NPM_TOKEN=$(cat /run/secrets/npm_token) npm ci\n```\n",
    fixable: false,
    hadolint: &[],
};

impl Rule for Rule113 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_dockerfile(&self, cx: &DockerfileCtx<'_>, out: &mut Vec<Hit>) {
        for ins in &cx.df.instructions {
            let (kind, text) = match &ins.body {
                Body::Env(t) => ("ENV", t),
                Body::Arg(t) => ("ARG", t),
                _ => continue,
            };
            for (key, value) in key_values(&text.value) {
                if !secret_name(&key) {
                    continue;
                }
                let literal = value
                    .as_deref()
                    .is_some_and(|v| !v.is_empty() && !v.starts_with('$') && !harmless_value(v));
                let harmless = value.as_deref().is_some_and(harmless_value);
                if (kind == "ENV" && !literal) || harmless {
                    continue;
                }
                let msg = if kind == "ENV" {
                    format!(
                        "`ENV {key}` stores a secret in the image config; anyone with the image can read it"
                    )
                } else {
                    format!("`ARG {key}` passes a secret that is recorded in the image history")
                };
                out.push(Hit::new(text.span.clone(), msg));
            }
        }
    }
}
