//! DBX138: an empty line inside a line-continued instruction (BuildKit's NoEmptyContinuation).

use super::DockerfileCtx;
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Edit, Hit, Severity};

pub struct Rule138;

static META: RuleMeta = RuleMeta {
    id: "DBX138",
    name: "empty-continuation-line",
    category: Category::Dockerfile,
    severity: Severity::Warning,
    summary: "an empty line continues an instruction",
    help: "remove the empty line, or put a `#` comment there (autofix removes it)",
    explain: "# DBX138 empty-continuation-line\n\nAn empty line after a line ending in `\\` does not end the instruction: the next\n\
non-empty line is still part of it. That is rarely what the author meant (an instruction that was supposed to\n\
end there swallows the next line) and a future Dockerfile syntax will reject it; `docker build --check`\n\
reports it (NoEmptyContinuation). Comment lines inside a continuation are fine.\n\n\
## Example\n\n```dockerfile\nRUN apk add --no-cache \\\n    curl \\\n    git\n```\n\n\
## Autofix\n\nRemoves the empty lines.\n",
    fixable: true,
    hadolint: &[],
};

impl Rule for Rule138 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_dockerfile(&self, cx: &DockerfileCtx<'_>, out: &mut Vec<Hit>) {
        let escape = cx.df.escape;
        for ins in &cx.df.instructions {
            let start = cx.line_start(ins.span.start);
            let Some(text) = cx.text.get(start..ins.span.end) else {
                continue;
            };
            let mut empty = Vec::new();
            let mut offset = start;
            let mut continued = false;
            for line in text.split_inclusive('\n') {
                let body = line.trim_end_matches(['\n', '\r']);
                let trimmed = body.trim();
                if continued && trimmed.is_empty() {
                    empty.push(offset..offset + line.len());
                } else if continued && trimmed.starts_with('#') {
                    // A comment inside a continuation keeps it going.
                } else {
                    continued = body.trim_end().ends_with(escape);
                    if !continued {
                        // The continued part is over; a heredoc body may follow, and its
                        // lines belong to the script, not to the instruction.
                        break;
                    }
                }
                offset += line.len();
            }
            let Some(first) = empty.first() else { continue };
            let edits = empty
                .iter()
                .map(|r| Edit {
                    range: r.clone(),
                    replacement: String::new(),
                })
                .collect();
            out.push(
                Hit::new(
                    first.clone(),
                    format!("empty line inside this {} instruction", ins.name()),
                )
                .with_fix("remove the empty lines", edits),
            );
        }
    }
}
