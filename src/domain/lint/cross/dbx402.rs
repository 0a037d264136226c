//! DBX402: a compose health check runs a program the service's image lacks.

use super::ProjectCtx;
use crate::domain::compose::yaml::Node;
use crate::domain::dockerfile::ImageRef;
use crate::domain::dockerfile::shell::simple_commands;
use crate::domain::lint::compose::parts::{self, Test};
use crate::domain::lint::dockerfile::dbx121::stage_provides;
use crate::domain::lint::registry::{FileRef, Rule, RuleMeta};
use crate::domain::lint::{Category, Hit, Severity};
use crate::domain::platform::Program;
use std::collections::BTreeMap;

pub struct Rule402;

static META: RuleMeta = RuleMeta {
    id: "DBX402",
    name: "compose-healthcheck-program-missing",
    category: Category::Cross,
    severity: Severity::Error,
    summary: "the compose health check runs a program (or shell) the image does not have",
    help: "use exec form `[\"CMD\", ...]` with a tool the image has, or a probe flag on your own binary",
    explain: "# DBX402 compose-healthcheck-program-missing\n\nThe compose `healthcheck.test` runs inside the service's image. `CMD-SHELL`\n\
and string tests need `/bin/sh`; distroless and scratch have none. `wget`/`curl` are missing from slim,\n\
distroless and scratch images, and `curl` from Alpine. The probe exits 127 and the service never becomes\n\
healthy, so everything that `depends_on` it with `service_healthy` never starts.\n\n\
devbox resolves the image from `build:` (the target stage of the Dockerfile, following `FROM <stage>`) or\n\
`image:`, and stays silent when the Dockerfile installs or copies the tool. With `devbox lint --engine`, an\n\
`image:` the engine has is looked into instead: the probe's program is searched along the image's own `PATH`.\n\n\
## Example\n\n```yaml\napi:\n  build: .          # final stage: gcr.io/distroless/static-debian12\n  healthcheck:\n    test: [\"CMD\", \"/server\", \"-healthcheck\"]\n```\n",
    fixable: false,
    hadolint: &[],
};

impl Rule for Rule402 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_project(&self, cx: &ProjectCtx<'_>, out: &mut Vec<(FileRef, Hit)>) {
        let mut seen_built = Vec::new();
        for b in cx.built() {
            let Some(stage) = b.stage else { continue };
            seen_built.push((b.link.compose, b.link.service.clone()));
            let image = b.dockerfile.base_image(stage);
            if let Some((node, msg)) = missing(b.service, &image, |p| {
                stage_provides(b.dockerfile, stage, p)
            }) {
                out.push((
                    FileRef::Compose(b.link.compose),
                    Hit::new(
                        b.compose.span(node),
                        format!("service `{}`: {msg}", b.link.service),
                    ),
                ));
            }
        }
        for (ci, compose) in cx.composes.iter().enumerate() {
            for (name, svc) in compose.services() {
                if seen_built.iter().any(|(c, s)| *c == ci && s == name)
                    || crate::domain::lint::compose::get(svc, "build").is_some()
                {
                    continue;
                }
                let Some(image) = parts::image(svc) else {
                    continue;
                };
                // The engine's copy, when it was asked, decides over what the name suggests.
                if let Some(local) = cx.images.programs.get(&image) {
                    if let Some((node, msg)) = missing_locally(svc, &image, local) {
                        out.push((
                            FileRef::Compose(ci),
                            Hit::new(compose.span(node), format!("service `{name}`: {msg}")),
                        ));
                    }
                    continue;
                }
                if let Some((node, msg)) = missing(svc, &ImageRef::parse(&image), |_| false) {
                    out.push((
                        FileRef::Compose(ci),
                        Hit::new(compose.span(node), format!("service `{name}`: {msg}")),
                    ));
                }
            }
        }
    }
}

/// The programs a service's health check runs: `/bin/sh` for a shell test plus the script's
/// first program, or the exec form's program.
pub fn probe_programs(service: &Node) -> Vec<String> {
    match parts::healthcheck_test(service) {
        Some(Test::Shell { script, .. }) => {
            let mut out = vec!["/bin/sh".to_owned()];
            out.extend(
                simple_commands(&script, '\\')
                    .into_iter()
                    .find_map(|c| c.program().map(str::to_string)),
            );
            out
        }
        Some(Test::Exec { words, .. }) => words.first().cloned().into_iter().collect(),
        None => Vec::new(),
    }
}

fn missing_locally<'n>(
    service: &'n Node,
    image: &str,
    local: &BTreeMap<String, Program>,
) -> Option<(&'n Node, String)> {
    let node = match parts::healthcheck_test(service)? {
        Test::Shell { node, .. } | Test::Exec { node, .. } => node,
    };
    probe_programs(service).iter().find_map(|p| match local.get(p)? {
        Program::Found(_) => None,
        Program::Missing { .. } if p == "/bin/sh" => Some((
            node,
            format!("health check needs `/bin/sh`, which the engine's `{image}` does not have"),
        )),
        Program::Missing { searched } => Some((
            node,
            format!(
                "health check runs `{p}`, which the engine's `{image}` does not have (looked in {})",
                searched.join(", ")
            ),
        )),
    })
}

fn missing<'n>(
    service: &'n crate::domain::compose::yaml::Node,
    image: &ImageRef,
    provided: impl Fn(&str) -> bool,
) -> Option<(&'n crate::domain::compose::yaml::Node, String)> {
    let tools = image.tools();
    let shown = format!(
        "{}{}",
        image.name,
        image
            .tag
            .as_ref()
            .map(|t| format!(":{t}"))
            .unwrap_or_default()
    );
    match parts::healthcheck_test(service)? {
        Test::Shell { node, script } => {
            if tools.shell == Some(false) && !provided("sh") {
                return Some((
                    node,
                    format!("health check needs `/bin/sh`, which `{shown}` does not have"),
                ));
            }
            let program = simple_commands(&script, '\\')
                .into_iter()
                .find_map(|c| c.program().map(str::to_string))?;
            absent(&program, &tools, &provided, &shown).map(|m| (node, m))
        }
        Test::Exec { node, words } => {
            absent(words.first()?, &tools, &provided, &shown).map(|m| (node, m))
        }
    }
}

fn absent(
    program: &str,
    tools: &crate::domain::dockerfile::image::Tools,
    provided: &impl Fn(&str) -> bool,
    shown: &str,
) -> Option<String> {
    let name = program.rsplit('/').next().unwrap_or(program);
    (tools.has(name) == Some(false) && !provided(name))
        .then(|| format!("health check runs `{name}`, which `{shown}` does not contain"))
}
