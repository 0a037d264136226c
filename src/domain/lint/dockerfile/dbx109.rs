//! DBX109: `ADD` used for local files.

use super::DockerfileCtx;
use crate::domain::dockerfile::{Body, Source};
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Edit, Hit, Severity};

pub struct Rule109;

static META: RuleMeta = RuleMeta {
    id: "DBX109",
    name: "add-local-files",
    category: Category::Dockerfile,
    severity: Severity::Warning,
    summary: "`ADD` copies local files; `COPY` says what it does",
    help: "use `COPY` (autofix); keep `ADD` only for URLs, git sources or archives to unpack",
    explain: "# DBX109 add-local-files\n\n`ADD` also downloads URLs and unpacks local tar archives. Used for plain files it\n\
works like `COPY` but a reader cannot tell whether an extraction is intended, and renaming a file to\n\
`*.tar.gz` silently changes the result. Docker's best practices: prefer `COPY`.\n\n\
Not flagged: URL or git sources, and sources that look like archives (`.tar`, `.tar.gz`, `.tgz`, `.tar.xz`...).\n\n\
## Example\n\n```dockerfile\nCOPY requirements.txt ./\nADD https://example.com/tool.tar.gz /tmp/\n```\n\n## Autofix\n\nReplaces `ADD` with `COPY`.\n",
    fixable: true,
    hadolint: &["DL3020"],
};

const ARCHIVES: &[&str] = &[
    ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".tar.zst", ".gz", ".bz2",
    ".xz",
];

impl Rule for Rule109 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_dockerfile(&self, cx: &DockerfileCtx<'_>, out: &mut Vec<Hit>) {
        for ins in &cx.df.instructions {
            let Body::Add { sources, .. } = &ins.body else {
                continue;
            };
            let remote_or_archive = sources.iter().any(|s| match s {
                Source::Path(p) => {
                    let v = p.value.to_ascii_lowercase();
                    v.contains("://")
                        || v.starts_with("git@")
                        || ARCHIVES.iter().any(|a| v.ends_with(a))
                }
                Source::HereDoc(_) => false,
            });
            if remote_or_archive
                || ins
                    .flags
                    .iter()
                    .any(|f| f.name == "checksum" || f.name == "keep-git-dir")
            {
                continue;
            }
            out.push(
                Hit::new(
                    ins.keyword.clone(),
                    "`ADD` used for local files; use `COPY`",
                )
                .with_fix(
                    "replace `ADD` with `COPY`",
                    vec![Edit {
                        range: ins.keyword.clone(),
                        replacement: "COPY".into(),
                    }],
                ),
            );
        }
    }
}
