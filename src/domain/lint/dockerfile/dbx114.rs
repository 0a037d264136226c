//! DBX114: shell-form `CMD` / `ENTRYPOINT`.

use super::DockerfileCtx;
use crate::domain::dockerfile::{Body, Command};
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Hit, Severity};

pub struct Rule114;

static META: RuleMeta = RuleMeta {
    id: "DBX114",
    name: "shell-form-cmd",
    category: Category::Dockerfile,
    severity: Severity::Warning,
    summary: "shell-form CMD/ENTRYPOINT: the app does not receive SIGTERM",
    help: "use the JSON exec form, e.g. `CMD [\"node\", \"dist/index.js\"]`",
    explain: "# DBX114 shell-form-cmd\n\nIn shell form Docker runs `/bin/sh -c \"<your command>\"`. `sh` becomes PID 1 and does\n\
not forward SIGTERM to your process, so `docker stop` waits the full 10 s grace period and then kills it:\n\
no graceful shutdown, no flushed logs, no closed connections. Shell form also needs `/bin/sh` in the image.\n\n\
## Example\n\n```dockerfile\n# flagged\nCMD node dist/index.js\n# fine\nCMD [\"node\", \"dist/index.js\"]\n```\n\n\
If you need shell features, end the script with `exec \"$@\"`-style handoff: `ENTRYPOINT [\"/entrypoint.sh\"]`.\n",
    fixable: false,
    hadolint: &["DL3025"],
};

impl Rule for Rule114 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_dockerfile(&self, cx: &DockerfileCtx<'_>, out: &mut Vec<Hit>) {
        for ins in &cx.df.instructions {
            let (label, cmd) = match &ins.body {
                Body::Cmd(c) => ("CMD", c),
                Body::Entrypoint(c) => ("ENTRYPOINT", c),
                _ => continue,
            };
            if let Command::Shell { text, span } = cmd {
                if text.trim_start().starts_with("exec ") {
                    continue;
                }
                out.push(Hit::new(
                    span.clone(),
                    format!("shell-form {label} runs under `/bin/sh -c`; the process will not get SIGTERM"),
                ));
            }
        }
    }
}
