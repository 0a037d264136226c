//! DBX104: apt package lists left in the layer.

use super::{DockerfileCtx, pkg};
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Edit, Hit, Severity};

pub struct Rule104;

static META: RuleMeta = RuleMeta {
    id: "DBX104",
    name: "apt-lists-not-removed",
    category: Category::Dockerfile,
    severity: Severity::Warning,
    summary: "apt package lists stay in the image layer",
    help: "end the same RUN with `&& rm -rf /var/lib/apt/lists/*` (autofix), or use an apt cache mount",
    explain: "# DBX104 apt-lists-not-removed\n\n`apt-get update` downloads ~20-40 MB of package lists into `/var/lib/apt/lists`.\n\
If the same `RUN` does not delete them, they are frozen into that layer forever (a later `RUN rm` only hides\n\
them). Stale lists in a cached layer also make a later `apt-get install` fail with 404s.\n\n\
Silent when the `RUN` mounts a cache on `/var/lib/apt` or `/var/cache/apt`.\n\n\
## Example\n\n```dockerfile\nRUN apt-get update \\\n && apt-get install -y --no-install-recommends git \\\n && rm -rf /var/lib/apt/lists/*\n```\n\n\
## Autofix\n\nAppends `&& rm -rf /var/lib/apt/lists/*` to the `RUN`.\n",
    fixable: true,
    hadolint: &["DL3009"],
};

impl Rule for Rule104 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_dockerfile(&self, cx: &DockerfileCtx<'_>, out: &mut Vec<Hit>) {
        // A builder stage's leftovers never reach the final image.
        for run in cx.shipped_runs() {
            if run.has_cache_for(&["/var/lib/apt", "/var/cache/apt"]) {
                continue;
            }
            let Some(update) = run.commands.iter().find(|c| pkg::is_apt_update(c)) else {
                continue;
            };
            if !run.commands.iter().any(pkg::is_apt_install) {
                // An update alone is DBX107's business.
                continue;
            }
            let cleaned = run.commands.iter().any(|c| {
                c.program() == Some("rm")
                    && c.args().iter().any(|a| a.starts_with("/var/lib/apt/lists"))
            });
            if cleaned {
                continue;
            }
            let ins = cx.ins(run.instruction);
            let span = update.spans.first().map_or(ins.keyword.clone(), |s| {
                s.start..update.spans[update.spans.len() - 1].end
            });
            let mut hit = Hit::new(
                span,
                "`apt-get update` lists are not removed in the same RUN; they stay in the layer",
            );
            if run.exact {
                // A trailing `# comment` would swallow the appended command: insert before it
                // and move the comment after the new line.
                let body = &cx.text[ins.span.clone()];
                let last_line = body.rfind('\n').map_or(0, |i| i + 1);
                let (edit_at, comment) = match comment_start(&body[last_line..]) {
                    Some(at) => {
                        let code_end = body[..last_line + at].trim_end().len();
                        (ins.span.start + code_end, body[last_line + at..].trim_end())
                    }
                    None => (ins.span.end, ""),
                };
                let comment = if comment.is_empty() {
                    String::new()
                } else {
                    format!("  {comment}")
                };
                hit = hit.with_fix(
                    "append `&& rm -rf /var/lib/apt/lists/*`",
                    vec![Edit {
                        range: edit_at..ins.span.end,
                        replacement: format!(" \\\n    && rm -rf /var/lib/apt/lists/*{comment}"),
                    }],
                );
            }
            out.push(hit);
        }
    }
}

/// Where an unquoted shell comment starts on a line: a `#` at the start of a word, outside
/// quotes.
fn comment_start(line: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let mut previous = ' ';
    for (at, c) in line.char_indices() {
        if escaped {
            escaped = false;
        } else if let Some(q) = quote {
            if c == q {
                quote = None;
            } else if c == '\\' && q == '"' {
                escaped = true;
            }
        } else {
            match c {
                '\\' => escaped = true,
                '\'' | '"' => quote = Some(c),
                '#' if previous.is_whitespace() => return Some(at),
                _ => {}
            }
        }
        previous = c;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::comment_start;

    #[test]
    fn comments_start_at_an_unquoted_word() {
        assert_eq!(comment_start("apt-get install -y curl # why"), Some(24));
        assert_eq!(comment_start("echo 'a # b' \"#c\" x#y"), None);
        assert_eq!(comment_start("# only"), Some(0));
    }
}
