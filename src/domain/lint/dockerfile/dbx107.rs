//! DBX107: `apt-get update` and `apt-get install` in separate `RUN`s.

use super::{DockerfileCtx, pkg};
use crate::domain::dockerfile::{Body, Command};
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Edit, Hit, Severity};

pub struct Rule107;

static META: RuleMeta = RuleMeta {
    id: "DBX107",
    name: "apt-update-separate-run",
    category: Category::Dockerfile,
    severity: Severity::Warning,
    summary: "`apt-get update` runs in a different RUN than `apt-get install`",
    help: "run `apt-get update && apt-get install ...` in one RUN (autofix merges them)",
    explain: "# DBX107 apt-update-separate-run\n\nWhen `RUN apt-get update` is its own layer, Docker caches it. Months later a\n\
changed `RUN apt-get install ...` line reuses the stale package lists and fails with 404s or installs old\n\
versions. Updating and installing in one `RUN` ties the lists to the install.\n\n\
## Example\n\n```dockerfile\n# flagged\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends curl\n\n\
# fine\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n```\n\n\
## Autofix\n\nWhen the update `RUN` holds nothing else and the install `RUN` follows it directly, the update is\n\
removed and `apt-get update && ` is put in front of the install.\n",
    fixable: true,
    hadolint: &[],
};

impl Rule for Rule107 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_dockerfile(&self, cx: &DockerfileCtx<'_>, out: &mut Vec<Hit>) {
        for (n, run) in cx.runs.iter().enumerate() {
            let updates = run.commands.iter().any(pkg::is_apt_update);
            let installs = run.commands.iter().any(pkg::is_apt_install);
            if !updates || installs {
                continue;
            }
            let stage = cx.ins(run.instruction).stage;
            let Some(install) = cx.runs[n + 1..].iter().find(|r| {
                cx.ins(r.instruction).stage == stage && r.commands.iter().any(pkg::is_apt_install)
            }) else {
                continue;
            };
            if install.commands.iter().any(pkg::is_apt_update) {
                continue;
            }
            let ins = cx.ins(run.instruction);
            let mut hit = Hit::new(
                ins.span.clone(),
                format!(
                    "`apt-get update` is cached apart from the `apt-get install` on line {}; stale lists break later builds",
                    line_of(cx.text, cx.ins(install.instruction).span.start)
                ),
            );
            let alone = run.commands.len() == 1 && ins.flags.is_empty() && run.exact;
            let adjacent = install.instruction == run.instruction + 1 && install.exact;
            if let (
                true,
                true,
                Body::Run {
                    command: Command::Shell { span, .. },
                    ..
                },
            ) = (alone, adjacent, &cx.ins(install.instruction).body)
            {
                let next = cx.ins(install.instruction);
                let update_text = &run.commands[0].words.join(" ");
                hit = hit.with_fix(
                    "merge `apt-get update` into the install RUN",
                    vec![
                        Edit {
                            range: cx.line_start(ins.span.start)..cx.line_start(next.span.start),
                            replacement: String::new(),
                        },
                        Edit {
                            range: span.start..span.start,
                            replacement: format!("{update_text} && "),
                        },
                    ],
                );
            }
            out.push(hit);
        }
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}
