//! DBX146: yum/dnf/microdnf/zypper installs whose package cache stays in a shipped layer
//! (hadolint DL3032, DL3036, DL3040).

use super::{DockerfileCtx, pkg};
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Edit, Hit, Severity};

pub struct Rule146;

static META: RuleMeta = RuleMeta {
    id: "DBX146",
    name: "rpm-cache-in-layer",
    category: Category::Dockerfile,
    severity: Severity::Info,
    summary: "a yum/dnf/zypper install leaves the package cache in the image layer",
    help: "end the RUN with `&& yum clean all` (`dnf clean all`, `zypper clean --all`), or use a cache mount (autofix)",
    explain: "# DBX146 rpm-cache-in-layer\n\nyum, dnf and microdnf keep repository metadata and downloaded packages under\n\
`/var/cache/yum` or `/var/cache/dnf`, zypper under `/var/cache/zypp`: often 100 MB or more in the layer of the\n\
install. Clean it in the same RUN (a later RUN cannot shrink an earlier layer), or mount the cache directory with\n\
`--mount=type=cache`. Builder stages whose files only leave through `COPY --from` are not reported. hadolint\n\
calls these DL3032 (yum), DL3036 (zypper) and DL3040 (dnf).\n\n\
## Example\n\n```dockerfile\nRUN dnf install -y git && dnf clean all\n```\n\n\
## Autofix\n\nAppends the manager's clean command to the install.\n",
    fixable: true,
    hadolint: &["DL3032", "DL3036", "DL3040"],
};

/// The manager, its cache directory, and the command that cleans it.
const MANAGERS: &[(&str, &str, &str)] = &[
    ("yum", "/var/cache/yum", "yum clean all"),
    ("dnf", "/var/cache/dnf", "dnf clean all"),
    ("microdnf", "/var/cache/dnf", "microdnf clean all"),
    ("zypper", "/var/cache/zypp", "zypper clean --all"),
];

impl Rule for Rule146 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_dockerfile(&self, cx: &DockerfileCtx<'_>, out: &mut Vec<Hit>) {
        for run in cx.shipped_runs() {
            for cmd in &run.commands {
                let Some(&(manager, dir, clean)) = MANAGERS.iter().find(|(m, _, _)| {
                    cmd.is(&[m], "install") || (*m == "zypper" && cmd.is(&[m], "in"))
                }) else {
                    continue;
                };
                let cleaned = run.commands.iter().any(|c| {
                    c.program() == Some(manager)
                        && c.args().iter().any(|a| a == "clean" || a == "cc")
                }) || pkg::removes(&run.commands, dir)
                    || run.has_cache_for(&[dir, "/var/cache/libdnf5"]);
                if cleaned {
                    continue;
                }
                let (Some(first), Some(last)) = (cmd.spans.first(), cmd.spans.last()) else {
                    continue;
                };
                let hit = Hit::new(
                    first.start..last.end,
                    format!("`{manager} install` leaves its cache ({dir}) in the layer"),
                );
                out.push(if run.exact && !cmd.piped {
                    hit.with_fix(
                        format!("append `&& {clean}`"),
                        vec![Edit {
                            range: last.end..last.end,
                            replacement: format!(" && {clean}"),
                        }],
                    )
                } else {
                    hit
                });
            }
        }
    }
}
