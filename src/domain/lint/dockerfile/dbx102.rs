//! DBX102: the final stage ships a full-size or toolchain image.

use super::DockerfileCtx;
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Hit, Severity};

pub struct Rule102;

static META: RuleMeta = RuleMeta {
    id: "DBX102",
    name: "full-size-final-image",
    category: Category::Dockerfile,
    severity: Severity::Warning,
    summary: "the final stage is based on a full-size or compiler image",
    help: "build in a full image, then copy the result into a `-slim`, `-alpine`, distroless or scratch stage",
    explain: "# DBX102 full-size-final-image\n\n`node:22` is about 1.1 GB (`node:22-slim` ~200 MB, `node:22-alpine` ~130 MB);\n\
`golang` and `rust` images carry a whole compiler. Shipping them means slower pulls, more CVEs to patch and a\n\
larger attack surface. Keep the big image in a build stage and make the last stage small.\n\n\
Flagged final bases: the official `node`, `python`, `ruby`, `openjdk`, `buildpack-deps` without\n\
`slim`/`alpine`, and the toolchains `golang`, `rust`, `maven`, `gradle`, `gcc`, `eclipse-temurin:*-jdk` (use\n\
`-jre`) and `mcr.microsoft.com/dotnet/sdk` (use `dotnet/aspnet` or `dotnet/runtime`). Stages named like `dev`/`development` are\n\
exempt only when they are not last.\n\n\
## Example\n\n```dockerfile\nFROM golang:1.22 AS build\nRUN go build -o /server .\nFROM gcr.io/distroless/static-debian12\n\
COPY --from=build /server /server\n```\n",
    fixable: false,
    hadolint: &[],
};

impl Rule for Rule102 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_dockerfile(&self, cx: &DockerfileCtx<'_>, out: &mut Vec<Hit>) {
        let Some(stage) = cx.final_stage() else {
            return;
        };
        let image = cx.base_image(stage);
        // A single-stage dev image is a deliberate choice; only judge images that look shipped.
        if stage
            .alias
            .as_ref()
            .is_some_and(|a| a.value.to_ascii_lowercase().starts_with("dev"))
        {
            return;
        }
        let why = if image.is_toolchain() {
            "a compiler toolchain image"
        } else if image.is_full_size_runtime() {
            "a full-size image"
        } else {
            return;
        };
        out.push(Hit::new(
            stage.image.span.clone(),
            format!(
                "final stage ships `{}`, {why}; use a slim, alpine or distroless runtime stage",
                stage.image.value
            ),
        ));
    }
}
