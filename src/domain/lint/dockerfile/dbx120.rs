//! DBX120: a shell-form instruction in a stage that has no shell.

use super::DockerfileCtx;
use crate::domain::dockerfile::{Body, Command, Source};
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Hit, Severity};

pub struct Rule120;

static META: RuleMeta = RuleMeta {
    id: "DBX120",
    name: "shell-form-without-shell",
    category: Category::Dockerfile,
    severity: Severity::Error,
    summary: "shell form used on a base without `/bin/sh` (scratch or distroless)",
    help: "use the JSON exec form, or a `:debug` distroless tag while debugging",
    explain: "# DBX120 shell-form-without-shell\n\n`scratch` and distroless images contain no shell. Shell-form `RUN`, `CMD`,\n\
`ENTRYPOINT` and `HEALTHCHECK CMD` run `/bin/sh -c ...`, so the build fails (`RUN`) or the container fails to\n\
start or is always unhealthy (`exec: \"/bin/sh\": stat /bin/sh: no such file or directory`).\n\n\
## Example\n\n```dockerfile\nFROM gcr.io/distroless/static-debian12\nCOPY --from=build /server /server\n\
ENTRYPOINT [\"/server\"]\nHEALTHCHECK CMD [\"/server\", \"-healthcheck\"]\n```\n",
    fixable: false,
    hadolint: &[],
};

impl Rule for Rule120 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_dockerfile(&self, cx: &DockerfileCtx<'_>, out: &mut Vec<Hit>) {
        for stage in &cx.df.stages {
            if cx.base_image(stage).tools().shell != Some(false) {
                continue;
            }
            let instructions = cx.df.stage_instructions(stage);
            let adds_shell = instructions.iter().any(|i| match &i.body {
                Body::Copy { sources, dest } => {
                    dest.value.contains("/bin/sh")
                        || dest.value.contains("busybox")
                        || sources
                            .iter()
                            .any(|s| matches!(s, Source::Path(p) if p.value.contains("busybox")))
                }
                Body::Shell(_) => true,
                _ => false,
            });
            if adds_shell {
                continue;
            }
            for ins in instructions {
                let cmd = match &ins.body {
                    Body::Run { command, .. } => command,
                    Body::Cmd(c) | Body::Entrypoint(c) | Body::Healthcheck(Some(c)) => c,
                    _ => continue,
                };
                if let Command::Shell { span, .. } = cmd {
                    out.push(Hit::new(
                        span.clone(),
                        format!(
                            "shell-form {} needs `/bin/sh`, which `{}` does not have",
                            ins.name(),
                            stage.image.value
                        ),
                    ));
                }
            }
        }
    }
}
