//! DBX132: an `ENV` that uses a variable set by the same instruction.

use super::DockerfileCtx;
use crate::domain::dockerfile::Body;
use crate::domain::dockerfile::words::key_values;
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Hit, Severity};

pub struct Rule132;

static META: RuleMeta = RuleMeta {
    id: "DBX132",
    name: "env-self-reference",
    category: Category::Dockerfile,
    severity: Severity::Warning,
    summary: "an ENV value uses a variable set earlier in the same ENV, which still has its old value there",
    help: "split it: set the first variable in its own ENV, then use it in the next",
    explain: "# DBX132 env-self-reference\n\nAll substitutions in one `ENV` are made before any of its assignments take effect,\n\
so in `ENV APP_HOME=/srv/app APP_LOG=$APP_HOME/log` the log path becomes `/log` (or uses an older\n\
APP_HOME).\n\n## Example\n\n```dockerfile\nENV APP_HOME=/srv/app\nENV APP_LOG=$APP_HOME/log\n```\n",
    fixable: false,
    hadolint: &["DL3044"],
};

fn mentions(value: &str, name: &str) -> bool {
    let braced = format!("${{{name}");
    if value.contains(&braced) {
        return true;
    }
    let plain = format!("${name}");
    value.match_indices(&plain).any(|(at, _)| {
        value[at + plain.len()..]
            .chars()
            .next()
            .is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '_'))
    })
}

impl Rule for Rule132 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_dockerfile(&self, cx: &DockerfileCtx<'_>, out: &mut Vec<Hit>) {
        for ins in &cx.df.instructions {
            let Body::Env(text) = &ins.body else { continue };
            let pairs = key_values(&text.value);
            for (i, (key, value)) in pairs.iter().enumerate() {
                let Some(value) = value else { continue };
                if let Some((earlier, _)) = pairs[..i].iter().find(|(k, _)| mentions(value, k)) {
                    out.push(Hit::new(
                        text.span.clone(),
                        format!("`{key}` uses `${earlier}`, set by this same ENV: it still has its previous value here"),
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::mentions;

    #[test]
    fn whole_names_only() {
        assert!(mentions("$APP_HOME/log", "APP_HOME"));
        assert!(mentions("${APP_HOME}/log", "APP_HOME"));
        assert!(!mentions("$APP_HOMEDIR/log", "APP_HOME"));
    }
}
