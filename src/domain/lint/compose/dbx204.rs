//! DBX204: a database or cache service without a health check.

use super::{ComposeCtx, get, parts};
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Hit, Severity};

pub struct Rule204;

static META: RuleMeta = RuleMeta {
    id: "DBX204",
    name: "database-without-healthcheck",
    category: Category::Compose,
    severity: Severity::Warning,
    summary: "a database/cache service has no health check, so nothing can wait for it to be ready",
    help: "add a native-client probe, e.g. `test: [\"CMD-SHELL\", \"pg_isready -h 127.0.0.1 -U $${POSTGRES_USER}\"]`",
    explain: "# DBX204 database-without-healthcheck\n\n`depends_on` alone only waits for the container to *start*. A Postgres that\n\
started but is still running init scripts or WAL recovery refuses connections and the app crashes on boot.\n\
With a health check the app can use `condition: service_healthy`.\n\n\
Use the database's own client: `pg_isready` (with `-h 127.0.0.1`: the init server is socket-only),\n\
`mysqladmin ping -h 127.0.0.1`, `redis-cli ping`; give databases a generous `start_period`.\n\n\
## Example\n\n```yaml\ndb:\n  image: postgres:16-alpine\n  healthcheck:\n    test: [\"CMD-SHELL\", \"pg_isready -h 127.0.0.1 -U $${POSTGRES_USER:-postgres}\"]\n    interval: 10s\n    timeout: 5s\n    start_period: 30s\n    retries: 5\n```\n",
    fixable: false,
    hadolint: &[],
};

impl Rule for Rule204 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_compose(&self, cx: &ComposeCtx<'_>, out: &mut Vec<Hit>) {
        for (name, svc) in cx.services() {
            let Some(image) = parts::image(svc) else {
                continue;
            };
            if parts::is_database(&image) && !parts::has_healthcheck(svc) {
                let node = get(svc, "image").unwrap_or(svc);
                let hit = Hit::new(
                    cx.span(node),
                    format!("database service `{name}` ({image}) has no health check"),
                );
                out.push(match probe_for(&image) {
                    Some(test) => hit.with_help(format!(
                        "add `healthcheck: {{test: {test}, interval: 10s, timeout: 5s, start_period: 30s, retries: 5}}` and make dependents wait with `condition: service_healthy`"
                    )),
                    None => hit,
                });
            }
        }
    }
}

/// The image's own client as a health probe (expert-dockerfiles: database images).
fn probe_for(image: &str) -> Option<&'static str> {
    let name = crate::domain::dockerfile::ImageRef::parse(image);
    Some(match name.short_name() {
        "postgres" | "postgis" | "timescaledb" => {
            r#"["CMD-SHELL", "pg_isready -h 127.0.0.1 -U $${POSTGRES_USER:-postgres}"]"#
        }
        "mysql" => r#"["CMD", "mysqladmin", "ping", "-h", "127.0.0.1"]"#,
        "mariadb" => r#"["CMD", "healthcheck.sh", "--connect", "--innodb_initialized"]"#,
        "redis" => r#"["CMD", "redis-cli", "ping"]"#,
        "valkey" => r#"["CMD", "valkey-cli", "ping"]"#,
        "keydb" => r#"["CMD", "keydb-cli", "ping"]"#,
        "mongo" => r#"["CMD", "mongosh", "--quiet", "--eval", "db.runCommand({ping: 1}).ok"]"#,
        "rabbitmq" => r#"["CMD", "rabbitmq-diagnostics", "-q", "ping"]"#,
        "elasticsearch" | "opensearch" => {
            r#"["CMD-SHELL", "curl -fs http://127.0.0.1:9200/_cluster/health || exit 1"]"#
        }
        "cassandra" => r#"["CMD", "cqlsh", "-e", "describe keyspaces"]"#,
        "clickhouse-server" => r#"["CMD", "clickhouse-client", "--query", "SELECT 1"]"#,
        "couchdb" => r#"["CMD-SHELL", "curl -fs http://127.0.0.1:5984/_up || exit 1"]"#,
        "influxdb" => r#"["CMD", "influx", "ping"]"#,
        _ => return None,
    })
}
