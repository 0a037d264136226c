//! DBX305: dependency or build-output directories are sent to the builder.

use super::IgnoreCtx;
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Edit, Hit, Severity};

pub struct Rule305;

static META: RuleMeta = RuleMeta {
    id: "DBX305",
    name: "heavy-dir-not-ignored",
    category: Category::Dockerignore,
    severity: Severity::Warning,
    summary: "a dependency or build-output directory is part of the build context",
    help: "exclude it in .dockerignore (autofix); the image installs and builds its own",
    explain: "# DBX305 heavy-dir-not-ignored\n\n`node_modules`, `.venv`, `target`, `__pycache__`, `.next`, `dist` are produced on the\n\
host, for the host's OS and CPU. Sending them makes every build upload hundreds of MB, and `COPY . .` overwrites\n\
the dependencies the image installed with host-built ones (native modules compiled for macOS crash on Linux).\n\n\
## Example\n\n```\nnode_modules\n.venv\n__pycache__\ntarget/\n```\n\n## Autofix\n\nAppends the missing directories.\n",
    fixable: true,
    hadolint: &[],
};

const HEAVY: &[&str] = &[
    "node_modules",
    ".venv",
    "venv",
    "__pycache__",
    "target",
    ".next",
    ".pytest_cache",
    ".mypy_cache",
];

impl Rule for Rule305 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_dockerignore(&self, cx: &IgnoreCtx<'_>, out: &mut Vec<Hit>) {
        let Some(files) = cx.context_files else {
            return;
        };
        if cx.matcher.is_err() {
            return;
        }
        let missing: Vec<&str> = HEAVY
            .iter()
            .copied()
            .filter(|d| files.iter().any(|f| f == d) && !cx.excludes(d))
            // `target` is only heavy in a Rust project; elsewhere it may be sources.
            .filter(|d| *d != "target" || files.iter().any(|f| f == "Cargo.toml"))
            .collect();
        if missing.is_empty() {
            return;
        }
        let end = cx.text.len();
        let sep = if cx.text.is_empty() || cx.text.ends_with('\n') {
            ""
        } else {
            "\n"
        };
        let list = missing
            .iter()
            .map(|d| format!("`{d}`"))
            .collect::<Vec<_>>()
            .join(", ");
        out.push(
            Hit::new(
                0..0,
                format!(
                    "{list} not excluded: host-built files are uploaded and copied into the image"
                ),
            )
            .with_fix(
                "exclude them",
                vec![Edit {
                    range: end..end,
                    replacement: format!("{sep}{}\n", missing.join("\n")),
                }],
            ),
        );
    }
}
