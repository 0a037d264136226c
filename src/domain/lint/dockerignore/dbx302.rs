//! DBX302: `.git` is sent to the builder.

use super::{IgnoreCtx, common};
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Hit, Severity};

pub struct Rule302;

static META: RuleMeta = RuleMeta {
    id: "DBX302",
    name: "git-not-ignored",
    category: Category::Dockerignore,
    severity: Severity::Warning,
    summary: "`.git` is part of the build context",
    help: "add `.git` to .dockerignore",
    explain: "# DBX302 git-not-ignored\n\n`.git` changes with every commit, fetch and checkout, so a `COPY . .` layer is never\n\
reused; it is often the largest directory of a repository; and it leaks history (including secrets that were\n\
committed and later removed) into the image. Go is the exception that needs care: with `.git` present but no\n\
git binary, `go build` fails `error obtaining VCS status`; exclude `.git` and build with `-buildvcs=false`.\n\n\
## Example\n\n```\n.git\n```\n",
    fixable: true,
    hadolint: &[],
};

impl Rule for Rule302 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_dockerignore(&self, cx: &IgnoreCtx<'_>, out: &mut Vec<Hit>) {
        if cx.matcher.is_err() || common::present(cx, ".git") != Some(true) || cx.excludes(".git") {
            return;
        }
        let end = cx.text.len();
        let sep = if cx.text.is_empty() || cx.text.ends_with('\n') {
            ""
        } else {
            "\n"
        };
        out.push(
            Hit::new(
                0..0,
                "`.git` is not excluded: every commit invalidates `COPY . .`",
            )
            .with_fix(
                "exclude `.git`",
                vec![crate::domain::lint::Edit {
                    range: end..end,
                    replacement: format!("{sep}.git\n"),
                }],
            ),
        );
    }
}
