//! DBX152 (opt-in): a tagged base image without a digest (the source document's hardening
//! item: pin base images by digest); `devbox pin` is the fix.

use super::DockerfileCtx;
use crate::domain::dockerfile::ImageRef;
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Hit, Severity};

pub struct Rule152;

static META: RuleMeta = RuleMeta {
    id: "DBX152",
    name: "base-image-digest",
    category: Category::Dockerfile,
    severity: Severity::Info,
    summary: "base image is pinned to a tag, not a digest",
    help: "run `devbox pin` to pin every FROM to its digest, and `devbox pin --check` in CI to keep the pins current",
    explain: "# DBX152 base-image-digest (opt-in)\n\nA tag is a name the publisher can move: `python:3.12-slim` is rebuilt for every\n\
Debian security update, so two builds of the same commit a week apart start from different files. A digest\n\
(`python:3.12-slim@sha256:...`) names exactly one image; the tag written before it stays for the reader.\n\
Pinning trades automatic base updates for reproducible builds, so this rule is off unless\n\
`.devbox-lint.toml` has `enable = [\"DBX152\"]`.\n\n\
`devbox pin` asks the registry (through the engine) for each tag's digest, or reads the local image's repo\n\
digest when the registry cannot be reached, and rewrites the FROM (or the default of the ARG a FROM is made\n\
of). `devbox pin --check` exits 1 when a reference is unpinned or its tag has moved since, for CI; a bot or\n\
a scheduled job that runs `devbox pin` then brings the updates back as reviewable diffs.\n\n\
Untagged and `latest` bases are DBX101's; stage references, `scratch` and ARGs without defaults are not\n\
flagged.\n\n\
## Example\n\n```dockerfile\nFROM python:3.12-slim   # flagged\nFROM python:3.12-slim@sha256:4f3f...   # pinned\n```\n",
    fixable: false,
    hadolint: &[],
};

impl Rule for Rule152 {
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
            let tagged = image.tag.as_deref().is_some_and(|t| t != "latest");
            if image.is_scratch() || image.is_dynamic() || image.digest.is_some() || !tagged {
                continue;
            }
            out.push(Hit::new(
                stage.image.span.clone(),
                format!(
                    "base image `{raw}` is pinned to a tag, not a digest: `devbox pin` pins it"
                ),
            ));
        }
    }
}
