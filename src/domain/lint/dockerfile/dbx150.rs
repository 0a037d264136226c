//! DBX150 (opt-in): a comment right above a named FROM or an ARG that does not start with the
//! name it documents (BuildKit's experimental InvalidDefinitionDescription).

use super::DockerfileCtx;
use crate::domain::dockerfile::Body;
use crate::domain::dockerfile::words::key_values;
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Hit, Severity};

pub struct Rule150;

static META: RuleMeta = RuleMeta {
    id: "DBX150",
    name: "definition-description",
    category: Category::Dockerfile,
    severity: Severity::Info,
    summary: "the comment above a stage or ARG is not a `# <name> <description>` description",
    help: "start the comment with the stage or ARG name, or separate it with an empty `#` line",
    explain: "# DBX150 definition-description (opt-in)\n\n`docker buildx build --call outline` and `--call targets` show the comment right\n\
above a named stage or an ARG as its description when it starts with the name: `# version the release to\n\
package` above `ARG version`. A comment there that is about something else shows up as a wrong description.\n\
BuildKit's check for it (InvalidDefinitionDescription) is experimental, so this rule is off unless\n\
`.devbox-lint.toml` has `enable = [\"DBX150\"]`.\n\n\
## Example\n\n```dockerfile\n# version the release to package\nARG version=1.4\n\n# build compiles the binary\nFROM golang:1.23-alpine AS build\n```\n",
    fixable: false,
    hadolint: &[],
};

impl Rule for Rule150 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_dockerfile(&self, cx: &DockerfileCtx<'_>, out: &mut Vec<Hit>) {
        for ins in &cx.df.instructions {
            let names: Vec<String> = match &ins.body {
                Body::From {
                    alias: Some(alias), ..
                } => vec![alias.value.to_ascii_lowercase()],
                Body::Arg(s) => key_values(&s.value).into_iter().map(|(k, _)| k).collect(),
                _ => continue,
            };
            let start = cx.line_start(ins.span.start);
            let Some((line, range)) = comment_above(cx.text, start) else {
                continue;
            };
            let first = line.trim_start_matches('#').split_whitespace().next();
            let Some(first) = first else { continue };
            let matches = names.iter().any(|n| match ins.body {
                Body::From { .. } => first.eq_ignore_ascii_case(n),
                _ => first == n,
            });
            if matches {
                continue;
            }
            let name = names.first().map_or("name", String::as_str);
            out.push(Hit::new(
                range,
                format!(
                    "the comment above this {} is not a description: write `# {name} <description>`",
                    ins.name()
                ),
            ));
        }
    }
}

/// The comment line directly above the line starting at `start`, unless it is a lone `#`, a
/// parser directive block or there is no comment.
fn comment_above(text: &str, start: usize) -> Option<(&str, std::ops::Range<usize>)> {
    let before = text.get(..start)?.strip_suffix('\n')?;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = before[line_start..].trim_end_matches('\r');
    let trimmed = line.trim();
    if !trimmed.starts_with('#') || trimmed == "#" {
        return None;
    }
    // Parser directives (`# syntax=`, `# escape=`, `# check=`) at the top are not comments.
    let body = trimmed.trim_start_matches('#').trim();
    if line_start == 0 && body.contains('=') && !body.contains(' ') {
        return None;
    }
    Some((trimmed, line_start..line_start + line.len()))
}
