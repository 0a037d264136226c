//! DBX148: `useradd` with a large UID and without `-l` (hadolint DL3046).

use super::DockerfileCtx;
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Edit, Hit, Severity};

pub struct Rule148;

static META: RuleMeta = RuleMeta {
    id: "DBX148",
    name: "useradd-large-uid",
    category: Category::Dockerfile,
    severity: Severity::Info,
    summary: "`useradd` with a large UID and without `-l` writes a multi-megabyte lastlog file",
    help: "add `-l` (`--no-log-init`) to `useradd` (autofix)",
    explain: "# DBX148 useradd-large-uid\n\n`useradd` records the new user in `/var/log/lastlog` and `/var/log/faillog`,\n\
files indexed by UID. On the host they are sparse, but image layers store them in full: about 292 bytes per UID\n\
below the new one, so `useradd -u 100000` adds some 28 MB to the layer and `-u 10001` about 3 MB. `-l`\n\
(`--no-log-init`) skips those records, which a container never reads. Reported from UID 10000 on.\n\
hadolint calls it DL3046.\n\n\
## Example\n\n```dockerfile\nRUN groupadd -g 10001 app && useradd -l -u 10001 -g app app\n```\n\n\
## Autofix\n\nInserts `-l` after `useradd`.\n",
    fixable: true,
    hadolint: &["DL3046"],
};

/// lastlog's record size on 64-bit Linux.
const LASTLOG_RECORD: u64 = 292;

impl Rule for Rule148 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_dockerfile(&self, cx: &DockerfileCtx<'_>, out: &mut Vec<Hit>) {
        for run in &cx.runs {
            for cmd in &run.commands {
                let Some(at) = cmd.program_index() else {
                    continue;
                };
                if cmd.words[at] != "useradd" || cmd.has_flag(&["-l", "--no-log-init"]) {
                    continue;
                }
                let args = cmd.args();
                let uid = args.iter().enumerate().find_map(|(i, a)| {
                    if a == "-u" || a == "--uid" {
                        args.get(i + 1).and_then(|v| v.parse::<u64>().ok())
                    } else {
                        a.strip_prefix("--uid=")
                            .or_else(|| a.strip_prefix("-u").filter(|v| !v.is_empty()))
                            .and_then(|v| v.parse::<u64>().ok())
                    }
                });
                let Some(uid) = uid.filter(|u| *u >= 10_000) else {
                    continue;
                };
                let Some(span) = cmd.spans.get(at).cloned() else {
                    continue;
                };
                let mb = (uid * LASTLOG_RECORD) as f64 / 1e6;
                let hit = Hit::new(
                    span.clone(),
                    format!(
                        "`useradd -u {uid}` without `-l` adds about {mb:.1} MB of lastlog to the layer"
                    ),
                );
                out.push(if run.exact {
                    hit.with_fix(
                        "add `-l`",
                        vec![Edit {
                            range: span.end..span.end,
                            replacement: " -l".into(),
                        }],
                    )
                } else {
                    hit
                });
            }
        }
    }
}
