//! DBX113: a secret in `ENV` or `ARG`.

use super::DockerfileCtx;
use crate::domain::dockerfile::Body;
use crate::domain::dockerfile::words::key_values;
use crate::domain::lint::registry::{Rule, RuleMeta};
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
look like credentials (`*PASSWORD*`, `*SECRET*`, `*TOKEN*`, `*API_KEY*`, `*PRIVATE_KEY*`, `*ACCESS_KEY*`,\n\
`*CREDENTIALS*`) are flagged; an `ENV` that only references another variable or sets an empty value, and\n\
`*_FILE` names (paths to secret files), are not.\n\n\
## Example\n\n```dockerfile\n# flagged\nENV DB_PASSWORD=hunter2\nARG NPM_TOKEN\n\n# fine\nRUN --mount=type=secret,id=npm_token NPM_TOKEN=$(cat /run/secrets/npm_token) npm ci\n```\n",
    fixable: false,
    hadolint: &[],
};

const WORDS: &[&str] = &[
    "PASSWORD",
    "PASSWD",
    "SECRET",
    "TOKEN",
    "API_KEY",
    "APIKEY",
    "PRIVATE_KEY",
    "ACCESS_KEY",
    "CREDENTIALS",
];

fn secret_name(name: &str) -> bool {
    let up = name.to_ascii_uppercase();
    WORDS.iter().any(|w| up.contains(w)) && !up.ends_with("_FILE") && !up.ends_with("_PATH")
}

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
                    .is_some_and(|v| !v.is_empty() && !v.starts_with('$'));
                if kind == "ENV" && !literal {
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
