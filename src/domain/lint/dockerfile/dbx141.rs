//! DBX141: `ENV key value` / `LABEL key value`, the legacy space-separated form (BuildKit's
//! LegacyKeyValueFormat).

use super::DockerfileCtx;
use crate::domain::dockerfile::Body;
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Edit, Hit, Severity};

pub struct Rule141;

static META: RuleMeta = RuleMeta {
    id: "DBX141",
    name: "legacy-key-value",
    category: Category::Dockerfile,
    severity: Severity::Info,
    summary: "`ENV`/`LABEL` in the legacy `key value` form",
    help: "write `KEY=value` (autofix where the value has no quotes or escapes)",
    explain: "# DBX141 legacy-key-value\n\n`ENV NAME value with words` sets one variable to the whole rest of the line; `ENV\n\
NAME=value OTHER=x` sets two. The legacy form cannot set several values, reads differently from every other\n\
`KEY=value` in the file and is deprecated in the Dockerfile reference; `docker build --check` reports it\n\
(LegacyKeyValueFormat).\n\n\
## Example\n\n```dockerfile\nENV NODE_ENV=production\nLABEL org.opencontainers.image.title=\"api\"\n```\n\n\
## Autofix\n\nRewrites `ENV KEY value` as `ENV KEY=value` (quoted when the value has spaces); a value with\n\
quotes or escape characters is left for you.\n",
    fixable: true,
    hadolint: &[],
};

impl Rule for Rule141 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_dockerfile(&self, cx: &DockerfileCtx<'_>, out: &mut Vec<Hit>) {
        for ins in &cx.df.instructions {
            let (Body::Env(s) | Body::Label(s)) = &ins.body else {
                continue;
            };
            let text = s.value.trim();
            let Some((key, rest)) = text.split_once(char::is_whitespace) else {
                continue;
            };
            if key.contains('=') {
                continue;
            }
            let value = rest.trim();
            let name = ins.name();
            let hit = Hit::new(
                s.span.clone(),
                format!("`{name} {key} …` uses the legacy form; write `{name} {key}=…`"),
            );
            let simple = !value.contains(['"', '\'', '\\', '`', '\n']);
            let verbatim = cx.text.get(s.span.clone()) == Some(s.value.as_str());
            out.push(if simple && verbatim {
                let value = if value.contains(char::is_whitespace) {
                    format!("\"{value}\"")
                } else {
                    value.to_owned()
                };
                hit.with_fix(
                    format!("write `{key}={value}`"),
                    vec![Edit {
                        range: s.span.clone(),
                        replacement: format!("{key}={value}"),
                    }],
                )
            } else {
                hit
            });
        }
    }
}
