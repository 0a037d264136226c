//! DBX301: a build context without a .dockerignore.

use crate::domain::lint::cross::ProjectCtx;
use crate::domain::lint::registry::{FileRef, Rule, RuleMeta};
use crate::domain::lint::{Category, Hit, Severity};

pub struct Rule301;

static META: RuleMeta = RuleMeta {
    id: "DBX301",
    name: "missing-dockerignore",
    category: Category::Dockerignore,
    severity: Severity::Warning,
    summary: "the build context has no .dockerignore: everything is sent to the builder",
    help: "add a .dockerignore excluding .git, .env*, dependency and build output dirs (`devbox init` writes one)",
    explain: "# DBX301 missing-dockerignore\n\nWithout a `.dockerignore` the whole directory is the build context: `.git`,\n\
`node_modules`, `.venv`, `target/`, local `.env` files with secrets. Builds upload hundreds of MB, `COPY . .`\n\
changes with every commit (no cache), host-built `node_modules` overwrite the image's, and secrets land in\n\
image layers.\n\n## Example\n\n```\n.git\n.env*\nnode_modules\ndist\ncoverage\nDockerfile*\ncompose*.y*ml\n```\n",
    fixable: false,
    hadolint: &[],
};

impl Rule for Rule301 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_project(&self, cx: &ProjectCtx<'_>, out: &mut Vec<(FileRef, Hit)>) {
        for (i, df) in cx.dockerfiles.iter().enumerate() {
            let Some(df) = df else { continue };
            // Only when the caller looked at the context: a lone file argument says nothing about it.
            if df.context_files.is_none()
                || cx.dockerfile_ignore.get(i).copied().flatten().is_some()
            {
                continue;
            }
            let span = df
                .final_stage()
                .and(df.df.stages.first())
                .map_or(0..0, |s| s.image.span.clone());
            out.push((
                FileRef::Dockerfile(i),
                Hit::new(span, "no .dockerignore in this Dockerfile's build context"),
            ));
        }
    }
}
