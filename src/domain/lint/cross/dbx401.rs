//! DBX401: a COPY/ADD source is excluded by the context's .dockerignore.

use super::ProjectCtx;
use crate::domain::dockerignore::IgnoreMatcher;
use crate::domain::lint::registry::{FileRef, Rule, RuleMeta};
use crate::domain::lint::{Category, Hit, Severity};

pub struct Rule401;

static META: RuleMeta = RuleMeta {
    id: "DBX401",
    name: "copy-source-ignored",
    category: Category::Cross,
    severity: Severity::Error,
    summary: "a COPY/ADD source is excluded by .dockerignore, so the build fails or copies nothing",
    help: "remove the .dockerignore pattern or add an exception (`!path`) after it",
    explain: "# DBX401 copy-source-ignored\n\nFiles excluded by `.dockerignore` never reach the builder. `COPY` of such a file\n\
fails with `file not found in build context or excluded by .dockerignore`; a glob or directory copy silently\n\
copies less than you think. devbox checks each literal source (and, when it listed the context, each glob)\n\
against the exact Docker matcher.\n\n## Example\n\n```\n# .dockerignore\n*.lock\n```\n```dockerfile\nCOPY package.json yarn.lock ./   # yarn.lock is excluded\n```\n",
    fixable: false,
    hadolint: &[],
};

impl Rule for Rule401 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_project(&self, cx: &ProjectCtx<'_>, out: &mut Vec<(FileRef, Hit)>) {
        for (i, df) in cx.dockerfiles.iter().enumerate() {
            let Some(df) = df else { continue };
            let Some(ignore) = cx
                .dockerfile_ignore
                .get(i)
                .copied()
                .flatten()
                .and_then(|n| cx.ignores.get(n))
            else {
                continue;
            };
            if ignore.matcher.is_err() {
                continue;
            }
            for src in df.df.context_sources() {
                let path = src.path.as_str();
                if path == "." {
                    continue;
                }
                let excluded = if src.is_glob() {
                    let (Some(files), Ok(glob)) =
                        (ignore.context_files, IgnoreMatcher::from_patterns([path]))
                    else {
                        continue;
                    };
                    let matched: Vec<&String> = files.iter().filter(|f| glob.matches(f)).collect();
                    !matched.is_empty() && matched.iter().all(|f| ignore.excludes(f))
                } else {
                    ignore.excludes(path)
                };
                if excluded {
                    out.push((
                        FileRef::Dockerfile(i),
                        Hit::new(
                            src.span.clone(),
                            format!(
                                "`{}` is excluded by {}; the builder never sees it",
                                src.raw, ignore.path
                            ),
                        ),
                    ));
                }
            }
        }
    }
}
