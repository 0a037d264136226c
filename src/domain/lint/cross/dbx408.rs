//! DBX408: a `develop.watch` path that the build context's .dockerignore excludes, so watch
//! never acts on changes there (Compose applies the build's ignore file to every watch rule).

use super::{ProjectCtx, normalized};
use crate::domain::lint::compose::parts;
use crate::domain::lint::registry::{FileRef, Rule, RuleMeta};
use crate::domain::lint::{Category, Hit, Severity};

pub struct Rule408;

static META: RuleMeta = RuleMeta {
    id: "DBX408",
    name: "watch-path-ignored",
    category: Category::Cross,
    severity: Severity::Warning,
    summary: "a `develop.watch` path is excluded by the build's .dockerignore, so changes there are never synced or rebuilt",
    help: "watch a path the build context keeps, or narrow the .dockerignore pattern that excludes it",
    explain: "# DBX408 watch-path-ignored\n\nDocker Compose filters every watch event of a service that builds through the\n\
build context's `.dockerignore` (patterns relative to the context), for `sync` and `rebuild` alike; devbox does\n\
the same. A watch rule on a path that file excludes therefore never fires: edits are neither copied into the\n\
container nor trigger a rebuild, and nothing says why. (Compose drops every pattern when the file has a bare\n\
`*` line, so an allow-list `.dockerignore` of `*` + `!src/` does not hide anything from watch; such files are\n\
not reported.)\n\n\
## Example\n\n```yaml\nservices:\n  web:\n    build: .\n    develop:\n      watch:\n        - action: sync\n          path: ./src\n          target: /app/src\n```\n\
with a `.dockerignore` that keeps `src/`.\n",
    fixable: false,
    hadolint: &[],
};

impl Rule for Rule408 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_project(&self, cx: &ProjectCtx<'_>, out: &mut Vec<(FileRef, Hit)>) {
        for link in cx.builds {
            let Some(ignore) = link.ignore.and_then(|i| cx.ignores.get(i)) else {
                continue;
            };
            let Ok(matcher) = &ignore.matcher else {
                continue;
            };
            if matcher
                .patterns()
                .any(|(p, exclusion)| !exclusion && p == "*")
            {
                continue;
            }
            let Some(compose) = cx.composes.get(link.compose) else {
                continue;
            };
            let Some((_, service)) = compose
                .services()
                .into_iter()
                .find(|(n, _)| *n == link.service)
            else {
                continue;
            };
            let Some(context) = normalized(&link.context) else {
                continue;
            };
            for w in parts::watches(service) {
                if w.path.starts_with('/') {
                    continue;
                }
                let Some(path) = normalized(&w.path) else {
                    continue;
                };
                if path.len() <= context.len() || path[..context.len()] != context[..] {
                    continue;
                }
                let rel = path[context.len()..].join("/");
                if matcher.matches(&rel) && matcher.can_skip_dir(&rel) {
                    out.push((
                        FileRef::Compose(link.compose),
                        Hit::new(
                            compose.span(w.node),
                            format!(
                                "service `{}` watches `{}`, which {} excludes: watch never acts on changes there",
                                link.service, w.path, ignore.path
                            ),
                        ),
                    ));
                }
            }
        }
    }
}
