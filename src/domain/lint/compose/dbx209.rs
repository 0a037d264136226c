//! DBX209: a credential written literally in a service's `environment`.

use super::{ComposeCtx, get, text};
use crate::domain::compose::yaml::Value;
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::secrets::{harmless_value, secret_name};
use crate::domain::lint::{Category, Hit, Severity};

pub struct Rule209;

static META: RuleMeta = RuleMeta {
    id: "DBX209",
    name: "secret-in-compose-environment",
    category: Category::Compose,
    severity: Severity::Warning,
    summary: "a credential is written in the compose file, which is usually committed",
    help: "reference it (`KEY: ${KEY}`) and keep the value in a git-ignored .env file, or use `secrets:`",
    explain: "# DBX209 secret-in-compose-environment\n\nThe compose file lives in the repository: a real API key, token or\n\
password written in `environment:` is in the git history for good, and `docker inspect` shows it on every\n\
machine. Flagged: names that are credentials (`*_PASSWORD`, `*_SECRET*`, `*_TOKEN`, `*_API_KEY`, ...) with a\n\
literal value of 8 characters or more, and URLs with a password in them (`postgres://user:pass@db`).\n\
Short local-development values (`POSTGRES_PASSWORD: app`) and `${VAR}` references are not flagged.\n\n\
## Example\n\n```yaml\nservices:\n  api:\n    environment:\n      STRIPE_API_KEY: ${STRIPE_API_KEY}\n```\n",
    fixable: false,
    hadolint: &[],
};

/// A value that is a real credential rather than a local-development placeholder.
fn looks_real(value: &str) -> bool {
    value.len() >= 8 && !value.contains("${") && !harmless_value(value)
}

/// The password of a `scheme://user:password@host` URL, when written literally.
fn url_password(value: &str) -> Option<&str> {
    let rest = value.split_once("://")?.1;
    let userinfo = rest.split_once('@')?.0;
    let password = userinfo.split_once(':')?.1;
    (!password.is_empty() && !password.starts_with('$')).then_some(password)
}

impl Rule for Rule209 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_compose(&self, cx: &ComposeCtx<'_>, out: &mut Vec<Hit>) {
        for (name, svc) in cx.services() {
            let Some(env) = get(svc, "environment") else {
                continue;
            };
            let entries: Vec<(String, Option<String>, &crate::domain::compose::yaml::Node)> =
                match &env.value {
                    Value::Map(map) => map.iter().map(|(k, v)| (k.clone(), text(v), v)).collect(),
                    Value::Seq(items) => items
                        .iter()
                        .filter_map(|item| {
                            let line = text(item)?;
                            let (k, v) = line.split_once('=')?;
                            Some((k.to_string(), Some(v.to_string()), item))
                        })
                        .collect(),
                    _ => Vec::new(),
                };
            for (key, value, node) in entries {
                let Some(value) = value else { continue };
                let message = if secret_name(&key) && looks_real(&value) {
                    format!(
                        "service `{name}` sets `{key}` to a literal credential in the compose file"
                    )
                } else if url_password(&value).is_some_and(looks_real) {
                    format!("service `{name}` puts a password in the URL of `{key}`")
                } else {
                    continue;
                };
                out.push(Hit::new(cx.span(node), message));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{looks_real, url_password};

    #[test]
    fn real_credentials_and_local_placeholders() {
        assert!(looks_real("sk_live_51Habc123"));
        assert!(!looks_real("app"));
        assert!(!looks_real("${API_KEY}"));
        assert_eq!(
            url_password("postgres://app:supersecret@db:5432/app"),
            Some("supersecret")
        );
        assert_eq!(url_password("postgres://app:${PW}@db/app"), None);
        assert_eq!(url_password("redis://cache:6379"), None);
    }
}
