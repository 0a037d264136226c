//! DBX410: a base image in the engine's store is built for another platform than the build
//! asks for (BuildKit's InvalidBaseImagePlatform), judged from the local images a run was given.

use super::ProjectCtx;
use crate::domain::dockerfile::words::references;
use crate::domain::lint::compose::{get, text};
use crate::domain::lint::dockerfile::vars::platform_value;
use crate::domain::lint::registry::{FileRef, Rule, RuleMeta};
use crate::domain::lint::{Category, Hit, Severity};
use crate::domain::platform::Platform;

pub struct Rule410;

static META: RuleMeta = RuleMeta {
    id: "DBX410",
    name: "base-image-platform",
    category: Category::Cross,
    severity: Severity::Warning,
    summary: "the engine's copy of a base image is for another platform than the build's",
    help: "pull the base image for the build's platform (`docker pull --platform …`), or build for the image's platform",
    explain: "# DBX410 base-image-platform\n\nAn image pulled on one machine and loaded on another, pulled with `--platform`, or\n\
built by a cross-building CI job can sit in the engine's store for a platform the engine does not run. A\n\
build that starts `FROM` it then runs its `RUN` steps under emulation (slowly) or fails with\n\
`exec format error`, and the image it produces does not start. BuildKit reports it as\n\
InvalidBaseImagePlatform when it resolves the image; the classic builder only warns at run time.\n\n\
devbox checks it when asked to look at the engine (`devbox lint --engine`): each `FROM` whose image the engine\n\
has locally is compared with the platform the build asks for, from `FROM --platform`, the compose service's\n\
`platform:`, or else the engine's own. Without `--engine` the rule is silent: the answer depends on the\n\
engine's store, not on the files.\n\n\
## Example\n\n```console\n$ docker pull --platform linux/amd64 node:22-alpine\n```\n",
    fixable: false,
    hadolint: &[],
};

/// The platforms the compose services building Dockerfile `index` ask for (the engine's own
/// where a service names none, or when no service builds it).
fn wanted(cx: &ProjectCtx<'_>, index: usize) -> Vec<Platform> {
    let engine = cx.images.engine.clone();
    let mut out: Vec<Platform> = Vec::new();
    let mut linked = false;
    for link in cx.builds.iter().filter(|l| l.dockerfile == Some(index)) {
        linked = true;
        let service = cx.composes.get(link.compose).and_then(|c| {
            c.services()
                .into_iter()
                .find(|(n, _)| *n == link.service)
                .map(|(_, s)| s)
        });
        let asked = service
            .and_then(|s| get(s, "platform"))
            .and_then(text)
            .filter(|p| !p.contains('$'))
            .and_then(|p| Platform::parse(&p));
        out.extend(asked.or_else(|| engine.clone()));
    }
    if !linked {
        out.extend(engine);
    }
    out.sort();
    out.dedup();
    out
}

impl Rule for Rule410 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_project(&self, cx: &ProjectCtx<'_>, out: &mut Vec<(FileRef, Hit)>) {
        if cx.images.platforms.is_empty() {
            return;
        }
        for (index, dcx) in cx.dockerfiles.iter().enumerate() {
            let Some(dcx) = dcx else { continue };
            let targets = wanted(cx, index);
            for stage in &dcx.df.stages {
                let (image, earlier) = dcx.df.resolved_base(stage);
                if earlier.is_some() {
                    continue;
                }
                let Some(has) = cx.images.platforms.get(image.trim()) else {
                    continue;
                };
                let from = dcx.ins(stage.from);
                let asked: Vec<Platform> = match platform_value(dcx, from) {
                    None => targets.clone(),
                    Some((value, _)) => {
                        let refs = references(&value, dcx.df.escape);
                        match refs.first().map(|r| r.name.as_str()) {
                            None => Platform::parse(&value).into_iter().collect(),
                            Some("BUILDPLATFORM") => cx.images.engine.clone().into_iter().collect(),
                            Some("TARGETPLATFORM") => targets.clone(),
                            Some(_) => Vec::new(),
                        }
                    }
                };
                let missed: Vec<String> = asked
                    .iter()
                    .filter(|p| !has.serves(p))
                    .map(ToString::to_string)
                    .collect();
                if missed.is_empty() {
                    continue;
                }
                out.push((
                    FileRef::Dockerfile(index),
                    Hit::new(
                        stage.image.span.clone(),
                        format!(
                            "the engine's `{}` is {has}, but this stage builds for {}: its RUN steps run under emulation or fail with `exec format error`",
                            image.trim(),
                            missed.join(" and ")
                        ),
                    )
                    .with_help(format!(
                        "pull it for the build's platform: `docker pull --platform {} {}`",
                        missed[0],
                        image.trim()
                    )),
                ));
            }
        }
    }
}
