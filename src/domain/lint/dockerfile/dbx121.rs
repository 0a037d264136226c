//! DBX121: the HEALTHCHECK program is not in the image.

use super::{DockerfileCtx, health, pkg};
use crate::domain::dockerfile::{Body, Command, Stage};
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Hit, Severity};

pub struct Rule121;

static META: RuleMeta = RuleMeta {
    id: "DBX121",
    name: "healthcheck-program-missing",
    category: Category::Dockerfile,
    severity: Severity::Error,
    summary: "the health check runs a program the final image does not contain",
    help: "use a tool the image has (`wget` on alpine, `node -e fetch(...)`, `python -c urllib...`, a flag on your binary)",
    explain: "# DBX121 healthcheck-program-missing\n\nA probe that cannot start exits 127 and the container is marked unhealthy\n\
forever. Which images carry which tools (from the official image definitions):\n\n\
| base | wget | curl |\n|---|---|---|\n| `node:22`, `python:3.12`, `golang`, `rust` (full) | yes | yes |\n\
| `*-slim` (node, python, rust), `debian`, `ubuntu` | no | no |\n| `*-alpine` | BusyBox | no (nginx/caddy alpine: yes) |\n\
| distroless, scratch | no | no |\n\n\
The rule is silent when the stage installs the tool (`apk add`, `apt-get install`) or copies it in.\n\n\
## Example\n\n```dockerfile\nFROM node:22-slim\n# flagged: slim images have no curl\nHEALTHCHECK CMD [\"curl\", \"-f\", \"http://127.0.0.1:3000/health\"]\n\
# fine\nHEALTHCHECK CMD [\"node\", \"-e\", \"fetch('http://127.0.0.1:3000/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))\"]\n```\n",
    fixable: false,
    hadolint: &[],
};

/// The stage (or a stage it builds on) installs or copies `program`.
pub fn stage_provides(cx: &DockerfileCtx<'_>, stage: &Stage, program: &str) -> bool {
    let mut current = Some(stage);
    let mut hops = 0;
    while let Some(st) = current {
        let installs = cx.stage_runs(st).any(|r| {
            r.commands.iter().any(|c| {
                (pkg::is_apt_install(c)
                    || pkg::is_apk_add(c)
                    || c.is(&["dnf", "yum", "microdnf"], "install"))
                    && c.args()
                        .iter()
                        .any(|a| a == program || a.starts_with(&format!("{program}=")))
            })
        });
        let copies = cx.df.stage_instructions(st).iter().any(|i| match &i.body {
            Body::Copy { dest, .. } | Body::Add { dest, .. } => {
                dest.value.ends_with(&format!("/{program}"))
                    || dest.value.ends_with("/bin/") && i.flag("from").is_some()
            }
            _ => false,
        });
        if installs || copies {
            return true;
        }
        hops += 1;
        current = cx
            .df
            .resolved_base(st)
            .1
            .and_then(|i| cx.df.stages.get(i))
            .filter(|_| hops < 64);
    }
    false
}

/// The program a health check runs first (`wget` for `wget ... || exit 1`).
pub fn probe_program(cmd: &Command, escape: char) -> Option<String> {
    health::commands(cmd, escape)
        .into_iter()
        .find_map(|w| w.into_iter().next())
}

impl Rule for Rule121 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_dockerfile(&self, cx: &DockerfileCtx<'_>, out: &mut Vec<Hit>) {
        let Some(stage) = cx.final_stage() else {
            return;
        };
        let tools = cx.base_image(stage).tools();
        for ins in cx.df.stage_instructions(stage) {
            let Body::Healthcheck(Some(cmd)) = &ins.body else {
                continue;
            };
            // Shell form on a shell-less base is DBX120's finding; the program never even starts.
            if cmd.is_shell() && tools.shell == Some(false) {
                continue;
            }
            let Some(program) = probe_program(cmd, cx.df.escape) else {
                continue;
            };
            let name = program.rsplit('/').next().unwrap_or(&program).to_string();
            if tools.has(&name) == Some(false) && !stage_provides(cx, stage, &name) {
                out.push(Hit::new(
                    cmd.span(),
                    format!(
                        "health check runs `{name}`, which `{}` does not contain",
                        stage.image.value
                    ),
                ));
            }
        }
    }
}
