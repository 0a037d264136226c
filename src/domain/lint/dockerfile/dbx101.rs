//! DBX101: a base image without a tag, or tagged `latest`.

use super::DockerfileCtx;
use crate::domain::dockerfile::ImageRef;
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Edit, Hit, Severity};

pub struct Rule101;

static META: RuleMeta = RuleMeta {
    id: "DBX101",
    name: "unpinned-base-image",
    category: Category::Dockerfile,
    severity: Severity::Warning,
    summary: "base image has no tag or uses `latest`",
    help: "pin a version tag (e.g. `node:22-alpine`), or run `devbox lint --fix --pin IMAGE=TAG`",
    explain: "# DBX101 unpinned-base-image\n\n`FROM node` and `FROM node:latest` resolve to whatever the registry calls latest\n\
on the day of the build: two builds of the same commit can get different major versions, and a cached layer\n\
hides the change until the cache is pruned. Pin at least a major version; pin a digest\n\
(`node:22-alpine@sha256:...`) for fully reproducible builds.\n\n\
Stage references (`FROM build`), `scratch` and bases built from ARGs without defaults are not flagged.\n\n\
## Example\n\n```dockerfile\nFROM python          # flagged\nFROM python:latest   # flagged\nFROM python:3.12-slim\n```\n\n\
## Autofix\n\n`devbox lint --fix --pin python=3.12-slim` rewrites the tag you name; devbox never guesses a version.\n",
    fixable: true,
    hadolint: &["DL3006", "DL3007"],
};

impl Rule for Rule101 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_dockerfile(&self, cx: &DockerfileCtx<'_>, out: &mut Vec<Hit>) {
        for stage in &cx.df.stages {
            let (raw, earlier) = cx.df.resolved_base(stage);
            if earlier.is_some() {
                continue;
            }
            let image = ImageRef::parse(&raw);
            if image.is_scratch() || image.is_dynamic() || image.digest.is_some() {
                continue;
            }
            let latest = match image.tag.as_deref() {
                None => false,
                Some("latest") => true,
                Some(_) => continue,
            };
            let what = if latest {
                "is tagged `latest`"
            } else {
                "has no tag"
            };
            let mut hit = Hit::new(
                stage.image.span.clone(),
                format!(
                    "base image `{}` {what}: builds are not reproducible",
                    stage.image.value
                ),
            );
            let literal = !stage.image.value.contains('$');
            if let Some((_, tag)) = cx
                .options
                .pins
                .iter()
                .find(|(name, _)| ImageRef::parse(name).name == image.name)
                && literal
            {
                let name = stage
                    .image
                    .value
                    .split_once('@')
                    .map_or(stage.image.value.as_str(), |(n, _)| n);
                let base = if latest {
                    name.trim_end_matches(":latest")
                } else {
                    name
                };
                hit = hit.with_fix(
                    format!("pin `{base}:{tag}`"),
                    vec![Edit {
                        range: stage.image.span.clone(),
                        replacement: format!("{base}:{tag}"),
                    }],
                );
            }
            out.push(hit);
        }
    }
}
