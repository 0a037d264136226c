//! DBX205: a database port published on every interface.

use super::{ComposeCtx, parts};
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Edit, Hit, Severity};

pub struct Rule205;

static META: RuleMeta = RuleMeta {
    id: "DBX205",
    name: "database-port-on-all-interfaces",
    category: Category::Compose,
    severity: Severity::Warning,
    summary: "a database port is published on all interfaces (0.0.0.0)",
    help: "bind it to loopback, `\"127.0.0.1:5432:5432\"` (autofix), or drop `ports:` if only services use it",
    explain: "# DBX205 database-port-on-all-interfaces\n\nWithout a host IP, Compose publishes on `0.0.0.0`: every network your\n\
machine is on (café Wi-Fi included) can reach the database, and Docker's iptables rules bypass host firewalls\n\
such as ufw. Development databases run with default passwords (and Redis images have protected mode off).\n\
Other services reach the database through the project network by name; publish only for host tools, on\n\
loopback.\n\n## Example\n\n```yaml\nports:\n  - \"127.0.0.1:5432:5432\"\n```\n\n\
## Autofix\n\nPrefixes short-form entries with `127.0.0.1:`.\n",
    fixable: true,
    hadolint: &[],
};

impl Rule for Rule205 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_compose(&self, cx: &ComposeCtx<'_>, out: &mut Vec<Hit>) {
        for (name, svc) in cx.services() {
            let Some(image) = parts::image(svc) else {
                continue;
            };
            if !parts::is_database(&image) {
                continue;
            }
            for p in parts::ports(svc) {
                let all = match p.host_ip.as_deref() {
                    None | Some("") => true,
                    Some(ip) => ip == "0.0.0.0" || ip == "::",
                };
                if !all {
                    continue;
                }
                let span = cx.span(p.node);
                let target = p.target.map_or("?".into(), |t| t.to_string());
                let published = p.published.clone().unwrap_or_else(|| target.clone());
                let mut hit = Hit::new(
                    span.clone(),
                    format!("service `{name}` publishes database port {target} on all interfaces"),
                )
                .with_help(format!(
                    "bind it to loopback, `\"127.0.0.1:{published}:{target}\"` (autofix), or drop `ports:` if only services use it"
                ));
                if p.short && p.host_ip.is_none() {
                    let quote = cx.text[span.start..].starts_with(['"', '\'']);
                    let at = span.start + usize::from(quote);
                    // A bare container port (`"5432"`) gets a host port equal to it.
                    let prefix = if p.published.is_some() {
                        "127.0.0.1:".to_string()
                    } else {
                        format!("127.0.0.1:{}:", p.target.unwrap_or(0))
                    };
                    let plain = !quote && cx.text[at..].starts_with(|c: char| c.is_ascii_digit());
                    if quote || plain {
                        let edits = if plain {
                            vec![
                                Edit {
                                    range: at..at,
                                    replacement: format!("\"{prefix}"),
                                },
                                Edit {
                                    range: span.end..span.end,
                                    replacement: "\"".into(),
                                },
                            ]
                        } else {
                            vec![Edit {
                                range: at..at,
                                replacement: prefix,
                            }]
                        };
                        hit = hit.with_fix("bind to 127.0.0.1", edits);
                    }
                }
                out.push(hit);
            }
        }
    }
}
