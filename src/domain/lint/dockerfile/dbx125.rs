//! DBX125: the container is started through a package manager (`npm start`).

use super::DockerfileCtx;
use crate::domain::dockerfile::Body;
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Hit, Severity};

pub struct Rule125;

static META: RuleMeta = RuleMeta {
    id: "DBX125",
    name: "package-manager-as-pid1",
    category: Category::Dockerfile,
    severity: Severity::Warning,
    summary: "the container starts through `npm`/`yarn`/`pnpm`, which swallow SIGTERM",
    help: "run the program directly: `CMD [\"node\", \"dist/index.js\"]`",
    explain: "# DBX125 package-manager-as-pid1\n\n`npm start` runs your script in a child shell and does not forward SIGTERM/SIGINT\n\
to it (docker-node best practices). `docker stop` then waits the whole grace period and kills the app without\n\
a graceful shutdown. Start the runtime directly, and add `init: true` (compose) for signal forwarding and\n\
zombie reaping.\n\n## Example\n\n```dockerfile\n# flagged\nCMD [\"npm\", \"start\"]\n# fine\nCMD [\"node\", \"server.js\"]\n```\n",
    fixable: false,
    hadolint: &[],
};

impl Rule for Rule125 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_dockerfile(&self, cx: &DockerfileCtx<'_>, out: &mut Vec<Hit>) {
        let Some(stage) = cx.final_stage() else {
            return;
        };
        for ins in cx.df.stage_instructions(stage) {
            let (Body::Cmd(cmd) | Body::Entrypoint(cmd)) = &ins.body else {
                continue;
            };
            let Some(program) = cmd.program(cx.df.escape) else {
                continue;
            };
            let p = program.rsplit('/').next().unwrap_or(&program);
            if matches!(p, "npm" | "yarn" | "pnpm" | "npx") {
                out.push(Hit::new(
                    cmd.span(),
                    format!("`{p}` as the container command does not forward SIGTERM to the app"),
                ));
            }
        }
    }
}
