//! DBX118: a health check that tests a dependency instead of the process.

use super::{DockerfileCtx, health};
use crate::domain::dockerfile::Body;
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Hit, Severity};

pub struct Rule118;

static META: RuleMeta = RuleMeta {
    id: "DBX118",
    name: "healthcheck-tests-dependency",
    category: Category::Dockerfile,
    severity: Severity::Warning,
    summary: "the health check tests a dependency (readiness), not this process (liveness)",
    help: "probe this container only (`http://127.0.0.1:PORT/health`), without database or remote calls",
    explain: "# DBX118 healthcheck-tests-dependency\n\nA Docker `HEALTHCHECK` answers \"is this process alive?\". When it also checks\n\
the database (`pg_isready -h db`, a URL on another host, a `/health/detailed` or `/ready` endpoint), a database\n\
outage marks every API container unhealthy, the orchestrator restarts them all, and the restart storm hits the\n\
database as it recovers. Keep the Docker probe cheap and local; expose rich status on a separate endpoint.\n\n\
Flagged: URLs whose host is not the container itself, database clients pointed at another host\n\
(`pg_isready -h`, `mysqladmin -h`, `redis-cli -h`), and readiness/detailed endpoints.\n\n\
## Example\n\n```dockerfile\n# flagged\nHEALTHCHECK CMD [\"curl\", \"-f\", \"http://db:5432/\"]\n# fine\nHEALTHCHECK CMD [\"wget\", \"-q\", \"--spider\", \"http://127.0.0.1:3000/health\"]\n```\n",
    fixable: false,
    hadolint: &[],
};

const CLIENTS: &[&str] = &[
    "pg_isready",
    "psql",
    "mysqladmin",
    "mysql",
    "redis-cli",
    "mongosh",
    "mongo",
    "nc",
];

impl Rule for Rule118 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_dockerfile(&self, cx: &DockerfileCtx<'_>, out: &mut Vec<Hit>) {
        for ins in &cx.df.instructions {
            let Body::Healthcheck(Some(cmd)) = &ins.body else {
                continue;
            };
            if let Some(why) = dependency_probe(&health::commands(cmd, cx.df.escape)) {
                out.push(Hit::new(
                    cmd.span(),
                    format!("health check {why}; a dependency outage would restart this container"),
                ));
            }
        }
    }
}

/// Why a probe tests something other than the container itself, if it does.
pub fn dependency_probe(commands: &[Vec<String>]) -> Option<String> {
    for words in commands {
        for (host, path) in health::url_hosts(words) {
            if !health::is_local(&host) {
                return Some(format!("calls `{host}`, another host"));
            }
            let p = path.to_ascii_lowercase();
            if p.contains("detailed")
                || p.contains("/ready")
                || p.contains("readiness")
                || p.contains("/deep")
            {
                return Some(format!("calls the readiness endpoint `{path}`"));
            }
        }
        let Some(program) = words.first().map(|p| p.rsplit('/').next().unwrap_or(p)) else {
            continue;
        };
        if CLIENTS.contains(&program) {
            let host = words
                .windows(2)
                .find(|w| w[0] == "-h" || w[0] == "--host")
                .map(|w| w[1].clone());
            if let Some(h) = host.filter(|h| !health::is_local(h)) {
                return Some(format!("runs `{program}` against `{h}`"));
            }
        }
    }
    None
}
