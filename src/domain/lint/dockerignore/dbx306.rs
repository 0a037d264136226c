//! DBX306: a .dockerignore pattern Docker rejects, or an exception that can never apply.

use super::IgnoreCtx;
use crate::domain::dockerignore::IgnoreMatcher;
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Hit, Severity};

pub struct Rule306;

static META: RuleMeta = RuleMeta {
    id: "DBX306",
    name: "invalid-ignore-pattern",
    category: Category::Dockerignore,
    severity: Severity::Error,
    summary: "a .dockerignore pattern is invalid or has no effect",
    help: "fix the pattern; re-include files with an exception naming the path inside the excluded dir",
    explain: "# DBX306 invalid-ignore-pattern\n\nTwo problems, both silent until a build:\n\n\
* **Invalid**: `!` alone or an unclosed `[` makes `docker build` fail with `illegal exclusion pattern` or\n  `syntax error in pattern`.\n\
* **No effect**: the Docker CLI never walks into an excluded directory unless an exception's literal text starts\n  with that directory. `node_modules` followed by `!**/keep.txt` re-includes nothing;\n  `!node_modules/pkg/keep.txt` does.\n\n\
## Example\n\n```\nnode_modules\n!node_modules/pkg/keep.txt\n```\n",
    fixable: false,
    hadolint: &[],
};

impl Rule for Rule306 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_dockerignore(&self, cx: &IgnoreCtx<'_>, out: &mut Vec<Hit>) {
        match &cx.matcher {
            Err(e) => out.push(Hit::new(
                cx.line_span(e.line),
                format!(
                    "pattern `{}` is rejected by Docker: {}",
                    e.text,
                    e.reason.docker_message()
                ),
            )),
            Ok(matcher) => {
                let Some(files) = cx.context_files else {
                    return;
                };
                for line in cx.lines.iter().filter(|l| l.exclusion) {
                    let Ok(single) = IgnoreMatcher::from_patterns([line.pattern.as_str()]) else {
                        continue;
                    };
                    // Files this exception names but Docker still leaves out: the exception is dead.
                    let dead = files.iter().any(|f| {
                        single.matches(f) && matcher.is_excluded(f) && !matcher.matches(f)
                    });
                    if dead {
                        out.push(Hit::new(
                            cx.line_span(line.line),
                            format!("exception `{}` cannot re-include files inside an excluded directory", line.raw.trim()),
                        ));
                    }
                }
            }
        }
    }
}
