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
look like credentials (a whole word `PASSWORD`, `SECRET`, `TOKEN`, `CREDENTIALS`, or `API_KEY`,\n\
`PRIVATE_KEY`, `ACCESS_KEY`) are flagged. Not flagged: settings about a secret (`PASSWORD_MIN_LENGTH`,\n\
`ACCESS_TOKEN_EXPIRE_MINUTES`, `*_FILE`, `TOKEN_URL`), words that only contain one (`TOKENIZERS_PARALLELISM`),\n\
an `ENV` that references another variable or sets an empty value, a flag or small number, or a path\n\
(`GOOGLE_APPLICATION_CREDENTIALS=/var/secrets/key.json`).\n\n\
## Example\n\n```dockerfile\n# flagged\nENV DB_PASSWORD=hunter2\nARG NPM_TOKEN\n\n# fine\nRUN --mount=type=secret,id=npm_token NPM_TOKEN=$(cat /run/secrets/npm_token) npm ci\n```\n",
    fixable: false,
    hadolint: &[],
};

/// Whole words of a name (split at `_`, `-`, `.`) that make it a credential, alone or as a pair.
const WORDS: &[&str] = &[
    "PASSWORD",
    "PASSWD",
    "PWD",
    "SECRET",
    "TOKEN",
    "APIKEY",
    "CREDENTIALS",
];
const PAIRS: &[(&str, &str)] = &[("API", "KEY"), ("PRIVATE", "KEY"), ("ACCESS", "KEY")];

/// Words after which the name is a setting about the secret, not the secret itself
/// (`PASSWORD_MIN_LENGTH`, `ACCESS_TOKEN_EXPIRE_MINUTES`, `SECRET_KEY_BASE_DUMMY`,
/// `PASSWORD_HASHERS`, `TOKEN_URL`, `DB_PASSWORD_FILE`).
const QUALIFIERS: &[&str] = &[
    "LENGTH",
    "LEN",
    "MIN",
    "MAX",
    "EXPIRE",
    "EXPIRES",
    "EXPIRY",
    "EXPIRATION",
    "TTL",
    "LIFETIME",
    "MINUTES",
    "SECONDS",
    "HOURS",
    "DAYS",
    "TIMEOUT",
    "HASHER",
    "HASHERS",
    "ALGORITHM",
    "ALGO",
    "POLICY",
    "DUMMY",
    "ENABLED",
    "DISABLED",
    "REQUIRED",
    "RESET",
    "URL",
    "URI",
    "ENDPOINT",
    "HEADER",
    "NAME",
    "TYPE",
    "FILE",
    "PATH",
    "DIR",
    "LOCATION",
    "ID",
    "PARALLELISM",
];

pub(crate) fn secret_name(name: &str) -> bool {
    let up = name.to_ascii_uppercase();
    let words: Vec<&str> = up
        .split(['_', '-', '.'])
        .filter(|w| !w.is_empty())
        .collect();
    let at = words.iter().position(|w| WORDS.contains(w)).or_else(|| {
        words
            .windows(2)
            .position(|p| PAIRS.contains(&(p[0], p[1])))
            .map(|i| i + 1)
    });
    let Some(at) = at else {
        return false;
    };
    !words[at + 1..].iter().any(|w| QUALIFIERS.contains(w))
}

/// A value that cannot be a credential: a flag, a small number, or a path to one (a file the
/// container reads, like `GOOGLE_APPLICATION_CREDENTIALS=/var/secrets/key.json`).
pub(crate) fn harmless_value(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    matches!(
        lower.as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "none" | "null" | "changeme"
    ) || (value.len() <= 4 && value.chars().all(|c| c.is_ascii_digit()))
        || (value.starts_with('/') && !value.contains(char::is_whitespace))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_are_credentials_and_names_that_are_not() {
        for name in [
            "DB_PASSWORD",
            "NPM_TOKEN",
            "SECRET_KEY",
            "STRIPE_API_KEY",
            "AWS_SECRET_ACCESS_KEY",
            "GITHUB_TOKEN",
            "MYSQL_ROOT_PASSWORD",
            "GOOGLE_APPLICATION_CREDENTIALS",
        ] {
            assert!(secret_name(name), "{name}");
        }
        for name in [
            "TOKENIZERS_PARALLELISM",
            "ACCESS_TOKEN_EXPIRE_MINUTES",
            "SECRET_KEY_BASE_DUMMY",
            "PASSWORD_HASHERS",
            "PASSWORD_MIN_LENGTH",
            "JWT_SECRET_LENGTH",
            "DB_PASSWORD_FILE",
            "AWS_ACCESS_KEY_ID",
            "KEYCLOAK_URL",
            "PASSPORT_STRATEGY",
        ] {
            assert!(!secret_name(name), "{name}");
        }
    }

    #[test]
    fn values_that_cannot_be_credentials() {
        assert!(harmless_value("false"));
        assert!(harmless_value("1"));
        assert!(harmless_value("/var/secrets/key.json"));
        assert!(!harmless_value("hunter2"));
        assert!(!harmless_value("s3cr3t-value"));
    }
}
