//! DBX142: `FROM --platform` set to a constant or to `$TARGETPLATFORM` (BuildKit's
//! FromPlatformFlagConstDisallowed and RedundantTargetPlatform, hadolint DL3029).

use super::DockerfileCtx;
use super::vars::platform_value;
use crate::domain::dockerfile::words::references;
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Hit, Severity};

pub struct Rule142;

static META: RuleMeta = RuleMeta {
    id: "DBX142",
    name: "from-platform",
    category: Category::Dockerfile,
    severity: Severity::Warning,
    summary: "`FROM --platform` is a constant (the image only builds for one platform) or the default",
    help: "drop `--platform`, or use `--platform=$BUILDPLATFORM` for a stage that cross-compiles",
    explain: "# DBX142 from-platform\n\n`FROM --platform=linux/amd64 node:22` builds an amd64 image even on an arm64\n\
laptop or CI runner, where it then runs under emulation (slowly) or not at all; `--platform=$TARGETPLATFORM`\n\
says what the builder does anyway. The useful form is `--platform=$BUILDPLATFORM` on a build stage that\n\
cross-compiles for `$TARGETARCH`. A constant is accepted when the stage name says it is per-platform\n\
(`AS build-amd64`), as BuildKit does. `docker build --check` reports these\n\
(FromPlatformFlagConstDisallowed, RedundantTargetPlatform); hadolint calls the constant case DL3029.\n\n\
## Example\n\n```dockerfile\nFROM --platform=$BUILDPLATFORM golang:1.23-alpine AS build\nARG TARGETOS TARGETARCH\n\
RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app .\n```\n",
    fixable: false,
    hadolint: &["DL3029"],
};

impl Rule for Rule142 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_dockerfile(&self, cx: &DockerfileCtx<'_>, out: &mut Vec<Hit>) {
        for stage in &cx.df.stages {
            let Some((value, span)) = platform_value(cx, cx.ins(stage.from)) else {
                continue;
            };
            let refs = references(&value, cx.df.escape);
            if refs.is_empty() {
                let lower = value.to_ascii_lowercase();
                let mut parts = lower.split('/');
                let os = parts.next().unwrap_or("");
                let arch = parts.next().unwrap_or("");
                let arch = match arch {
                    "x86_64" | "x86-64" => "amd64",
                    "aarch64" => "arm64",
                    other => other,
                };
                let name = stage
                    .alias
                    .as_ref()
                    .map(|a| a.value.to_ascii_lowercase())
                    .unwrap_or_default();
                let named_for_it = !name.is_empty()
                    && ((!os.is_empty() && name.contains(os))
                        || (!arch.is_empty() && name.contains(arch)));
                if !named_for_it {
                    out.push(Hit::new(
                        span,
                        format!("`--platform={value}` pins this stage to one platform"),
                    ));
                }
            } else if refs.len() == 1
                && refs[0].name == "TARGETPLATFORM"
                && refs[0].range == (0..value.len())
            {
                out.push(Hit::new(
                    span,
                    format!("`--platform={value}` is what the builder does anyway"),
                ));
            }
        }
    }
}
