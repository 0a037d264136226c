//! DBX134: `FROM … as name` with `FROM` and `AS` in different cases (BuildKit's FromAsCasing).

use super::DockerfileCtx;
use crate::domain::dockerfile::Body;
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Edit, Hit, Severity};

pub struct Rule134;

static META: RuleMeta = RuleMeta {
    id: "DBX134",
    name: "from-as-casing",
    category: Category::Dockerfile,
    severity: Severity::Info,
    summary: "the `AS` keyword is not in the same case as `FROM`",
    help: "write `FROM … AS name` or `from … as name` (autofix)",
    explain: "# DBX134 from-as-casing\n\nInstruction keywords are case-insensitive, but a file that mixes `FROM` with `as`\n\
reads as two styles glued together, and `docker build --check` warns about it (FromAsCasing). When `FROM`\n\
itself is in mixed case (`From`), DBX135 reports that instead.\n\n\
## Example\n\n```dockerfile\nFROM golang:1.23-alpine AS build\n```\n\n## Autofix\n\nRewrites `AS` in the case of `FROM`.\n",
    fixable: true,
    hadolint: &[],
};

impl Rule for Rule134 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_dockerfile(&self, cx: &DockerfileCtx<'_>, out: &mut Vec<Hit>) {
        for ins in &cx.df.instructions {
            let Body::From {
                image,
                alias: Some(alias),
            } = &ins.body
            else {
                continue;
            };
            let from = cx.text.get(ins.keyword.clone()).unwrap_or("FROM");
            let upper = from == from.to_ascii_uppercase();
            let lower = from == from.to_ascii_lowercase();
            if !upper && !lower {
                continue;
            }
            let Some(between) = cx.text.get(image.span.end..alias.span.start) else {
                continue;
            };
            let Some(at) = between.to_ascii_lowercase().find("as") else {
                continue;
            };
            let range = image.span.end + at..image.span.end + at + 2;
            let written = &between[at..at + 2];
            let wanted = if upper { "AS" } else { "as" };
            if written == wanted {
                continue;
            }
            out.push(
                Hit::new(
                    range.clone(),
                    format!("`{written}` and `{from}` are not in the same case"),
                )
                .with_fix(
                    format!("write `{wanted}`"),
                    vec![Edit {
                        range,
                        replacement: wanted.to_owned(),
                    }],
                ),
            );
        }
    }
}
