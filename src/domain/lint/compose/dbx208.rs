//! DBX208: a service image without a tag, or tagged `latest`.

use super::{ComposeCtx, get, text};
use crate::domain::dockerfile::ImageRef;
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Hit, Severity};

pub struct Rule208;

static META: RuleMeta = RuleMeta {
    id: "DBX208",
    name: "unpinned-service-image",
    category: Category::Compose,
    severity: Severity::Warning,
    summary: "a service image has no tag or uses `latest`",
    help: "pin a version tag (`redis:7.4-alpine`), or a digest for full reproducibility",
    explain: "# DBX208 unpinned-service-image\n\n`image: redis` and `image: nginx:latest` run whatever the registry calls latest on\n\
the day each developer (or server) pulls: two machines run different versions of the same stack, and a major\n\
release lands without anyone deciding to upgrade. Services with `build:` are not checked (their `image:` names\n\
the image the build produces), nor images given through a variable.\n\n\
## Example\n\n```yaml\nservices:\n  cache:\n    image: redis:7.4-alpine\n```\n",
    fixable: false,
    hadolint: &[],
};

impl Rule for Rule208 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_compose(&self, cx: &ComposeCtx<'_>, out: &mut Vec<Hit>) {
        for (name, svc) in cx.services() {
            if get(svc, "build").is_some() {
                continue;
            }
            let Some(node) = get(svc, "image") else {
                continue;
            };
            let Some(reference) = text(node) else {
                continue;
            };
            if reference.contains('$') {
                continue;
            }
            let image = ImageRef::parse(&reference);
            if image.digest.is_some() {
                continue;
            }
            let why = match image.tag.as_deref() {
                None => "has no tag (it means `latest`)",
                Some("latest") => "is tagged `latest`",
                Some(_) => continue,
            };
            out.push(Hit::new(
                cx.span(node),
                format!(
                    "service `{name}` image `{reference}` {why}: each pull may run another version"
                ),
            ));
        }
    }
}
