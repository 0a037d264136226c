//! DBX117: a service image without a HEALTHCHECK.

use super::DockerfileCtx;
use crate::domain::dockerfile::Body;
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Hit, Severity};

pub struct Rule117;

static META: RuleMeta = RuleMeta {
    id: "DBX117",
    name: "missing-healthcheck",
    category: Category::Dockerfile,
    severity: Severity::Info,
    summary: "the image exposes a port but has no HEALTHCHECK",
    help: "add an exec-form liveness probe, e.g. `HEALTHCHECK CMD [\"wget\", \"-q\", \"--spider\", \"http://127.0.0.1:3000/health\"]`",
    explain: "# DBX117 missing-healthcheck\n\nWithout a health check Docker only knows the process is running, not that it\n\
serves. `depends_on: condition: service_healthy` cannot wait for it and a hung server is never restarted.\n\
Probe liveness only (the process answers), not dependencies; see DBX118. The check can also live in the\n\
compose file (`healthcheck:`), in which case ignore this rule for the file.\n\n\
Flagged when the final stage (or a stage it builds on) `EXPOSE`s a port and no `HEALTHCHECK` is set.\n\n\
## Example\n\n```dockerfile\nHEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \\\n  CMD [\"wget\", \"-q\", \"--spider\", \"http://127.0.0.1:8080/health\"]\n```\n",
    fixable: false,
    hadolint: &["DL3057"],
};

impl Rule for Rule117 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_dockerfile(&self, cx: &DockerfileCtx<'_>, out: &mut Vec<Hit>) {
        let Some(last) = cx.final_stage() else { return };
        let mut chain = vec![last];
        while let Some(prev) = chain
            .last()
            .and_then(|s| cx.df.resolved_base(s).1)
            .and_then(|i| cx.df.stages.get(i))
        {
            if chain.len() > cx.df.stages.len() {
                break;
            }
            chain.push(prev);
        }
        let all = || {
            chain
                .iter()
                .flat_map(|s| cx.df.stage_instructions(s).iter())
        };
        let expose = all().find(|i| matches!(i.body, Body::Expose(_)));
        let health = all().any(|i| matches!(i.body, Body::Healthcheck(_)));
        if let (Some(expose), false) = (expose, health) {
            let port = match &expose.body {
                Body::Expose(ports) => ports
                    .first()
                    .map(|p| p.value.split('/').next().unwrap_or(&p.value).to_string()),
                _ => None,
            }
            .filter(|p| p.chars().all(|c| c.is_ascii_digit()))
            .unwrap_or_else(|| "8080".to_string());
            let tools = cx.base_image(last).tools();
            let url = format!("http://127.0.0.1:{port}/health");
            let probe = if tools.wget == Some(true) {
                format!("HEALTHCHECK CMD [\"wget\", \"-q\", \"--spider\", \"{url}\"]")
            } else if tools.curl == Some(true) {
                format!("HEALTHCHECK CMD [\"curl\", \"-fsS\", \"{url}\"]")
            } else if tools.shell == Some(false) {
                "HEALTHCHECK CMD [\"/app\", \"healthcheck\"] (no shell or wget in this image: a subcommand of your binary, or a small probe binary copied from a build stage)".to_string()
            } else {
                format!(
                    "HEALTHCHECK CMD <a probe that exists in this image, e.g. your runtime fetching {url}>"
                )
            };
            out.push(
                Hit::new(
                    expose.span.clone(),
                    "the image serves a port but defines no HEALTHCHECK",
                )
                .with_help(format!("add an exec-form liveness probe: `{probe}`")),
            );
        }
    }
}
