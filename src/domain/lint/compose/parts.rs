//! Reading the short and long forms of compose values the rules need: ports, volumes,
//! healthcheck tests and watch rules, each with the node it came from (for spans).

use super::{get, items, text};
use crate::domain::compose::yaml::{Node, Value};
use crate::domain::dockerfile::words::substitute;

/// One `ports:` entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Port<'n> {
    pub node: &'n Node,
    pub host_ip: Option<String>,
    pub published: Option<String>,
    /// Container port (first of a range).
    pub target: Option<u16>,
    /// The entry is a plain string (an autofix can prefix it).
    pub short: bool,
    /// `tcp`, `udp` or `sctp`, lower case.
    pub protocol: String,
}

/// `${VAR:-default}` → default, so `"${PORT:-3000}:3000"` reads as `3000:3000`.
fn resolved(s: &str) -> String {
    substitute(s, &[])
}

pub fn ports(service: &Node) -> Vec<Port<'_>> {
    let Some(list) = get(service, "ports") else {
        return vec![];
    };
    items(list)
        .iter()
        .map(|node| match &node.value {
            Value::Map(_) => Port {
                node,
                host_ip: get(node, "host_ip").and_then(text),
                published: get(node, "published").and_then(text),
                target: get(node, "target")
                    .and_then(text)
                    .and_then(|t| first_port(&t)),
                short: false,
                protocol: get(node, "protocol")
                    .and_then(text)
                    .map_or_else(|| "tcp".to_owned(), |p| p.to_ascii_lowercase()),
            },
            _ => {
                let raw = resolved(&text(node).unwrap_or_default());
                let spec = raw.split('/').next().unwrap_or(&raw).to_string();
                let protocol = raw
                    .split_once('/')
                    .map_or_else(|| "tcp".to_owned(), |(_, p)| p.to_ascii_lowercase());
                // `[::1]:8080:80`, `127.0.0.1:8080:80`, `8080:80`, `80`
                let (ip, rest) = if let Some(stripped) = spec.strip_prefix('[') {
                    match stripped.split_once("]:") {
                        Some((ip, rest)) => (Some(ip.to_string()), rest.to_string()),
                        None => (None, spec.clone()),
                    }
                } else {
                    let parts: Vec<&str> = spec.split(':').collect();
                    if parts.len() == 3 {
                        (
                            Some(parts[0].to_string()),
                            format!("{}:{}", parts[1], parts[2]),
                        )
                    } else {
                        (None, spec.clone())
                    }
                };
                let (published, target) = match rest.split_once(':') {
                    Some((p, t)) => (Some(p.to_string()), t.to_string()),
                    None => (None, rest),
                };
                Port {
                    node,
                    host_ip: ip,
                    published,
                    target: first_port(&target),
                    short: true,
                    protocol,
                }
            }
        })
        .collect()
}

fn first_port(s: &str) -> Option<u16> {
    s.split('-').next()?.trim().parse().ok()
}

/// One `volumes:` entry of a service.
#[derive(Debug, Clone, PartialEq)]
pub struct Mount<'n> {
    pub node: &'n Node,
    pub source: Option<String>,
    pub target: String,
    pub bind: bool,
}

pub fn volumes(service: &Node) -> Vec<Mount<'_>> {
    let Some(list) = get(service, "volumes") else {
        return vec![];
    };
    items(list)
        .iter()
        .filter_map(|node| match &node.value {
            Value::Map(_) => {
                let kind = get(node, "type")
                    .and_then(text)
                    .unwrap_or_else(|| "volume".into());
                Some(Mount {
                    node,
                    source: get(node, "source").and_then(text),
                    target: get(node, "target").and_then(text)?,
                    bind: kind == "bind",
                })
            }
            _ => {
                let raw = resolved(&text(node)?);
                let parts: Vec<&str> = raw.split(':').collect();
                let (source, target) = match parts.as_slice() {
                    [t] => (None, t.to_string()),
                    [s, t, ..] => (Some(s.to_string()), t.to_string()),
                    [] => return None,
                };
                let bind = source.as_deref().is_some_and(|s| {
                    s.starts_with('.') || s.starts_with('/') || s.starts_with('~')
                });
                Some(Mount {
                    node,
                    source,
                    target,
                    bind,
                })
            }
        })
        .collect()
}

/// A health check's test: exec words (`CMD` form), or a shell script (`CMD-SHELL`/string).
#[derive(Debug, Clone, PartialEq)]
pub enum Test<'n> {
    Exec { words: Vec<String>, node: &'n Node },
    Shell { script: String, node: &'n Node },
}

pub fn healthcheck_test(service: &Node) -> Option<Test<'_>> {
    let hc = get(service, "healthcheck")?;
    if super::is_true(get(hc, "disable")) {
        return None;
    }
    let node = get(hc, "test")?;
    match &node.value {
        Value::Seq(list) => {
            let words: Vec<String> = list.iter().filter_map(text).collect();
            match words.first().map(String::as_str) {
                Some("CMD") => Some(Test::Exec {
                    words: words[1..].to_vec(),
                    node,
                }),
                Some("CMD-SHELL") => Some(Test::Shell {
                    script: words.get(1).cloned().unwrap_or_default(),
                    node,
                }),
                _ => None,
            }
        }
        _ => text(node).map(|script| Test::Shell { script, node }),
    }
}

/// Whether the service defines an enabled health check.
pub fn has_healthcheck(service: &Node) -> bool {
    get(service, "healthcheck").is_some_and(|hc| {
        !super::is_true(get(hc, "disable")) && get(hc, "test").is_some_and(|t| {
        !matches!(&t.value, Value::Seq(l) if l.first().and_then(text).as_deref() == Some("NONE"))
    })
    })
}

/// One `develop.watch` rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Watch<'n> {
    pub node: &'n Node,
    pub action: String,
    pub path: String,
    pub target: Option<String>,
}

pub fn watches(service: &Node) -> Vec<Watch<'_>> {
    let Some(list) = get(service, "develop").and_then(|d| get(d, "watch")) else {
        return vec![];
    };
    items(list)
        .iter()
        .filter_map(|node| {
            Some(Watch {
                node,
                action: get(node, "action").and_then(text)?,
                path: get(node, "path").and_then(text)?,
                target: get(node, "target").and_then(text),
            })
        })
        .collect()
}

/// The image name of a service (`image:`), resolved.
pub fn image(service: &Node) -> Option<String> {
    get(service, "image").and_then(text).map(|s| resolved(&s))
}

/// Well-known database and cache images.
pub fn is_database(image: &str) -> bool {
    let name = crate::domain::dockerfile::ImageRef::parse(image);
    matches!(
        name.short_name(),
        "postgres"
            | "postgis"
            | "mysql"
            | "mariadb"
            | "mongo"
            | "redis"
            | "valkey"
            | "keydb"
            | "memcached"
            | "rabbitmq"
            | "elasticsearch"
            | "opensearch"
            | "cassandra"
            | "clickhouse-server"
            | "couchdb"
            | "neo4j"
            | "timescaledb"
            | "influxdb"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::compose::yaml::parse_documents;
    use std::sync::Arc;

    fn service(yaml: &str) -> Node {
        let docs = parse_documents(&Arc::from("c.yaml"), yaml).unwrap();
        docs.into_iter().next().unwrap()
    }

    #[test]
    fn reads_port_forms() {
        let s = service(
            "ports:\n  - \"127.0.0.1:5432:5432\"\n  - 6379:6379\n  - \"${P:-3000}:3000\"\n  - target: 80\n    published: 8080\n",
        );
        let p = ports(&s);
        assert_eq!(p[0].host_ip.as_deref(), Some("127.0.0.1"));
        assert_eq!((p[1].host_ip.as_deref(), p[1].target), (None, Some(6379)));
        assert_eq!(p[2].published.as_deref(), Some("3000"));
        assert_eq!((p[3].target, p[3].short), (Some(80), false));
    }

    #[test]
    fn reads_volumes_and_tests() {
        let s = service(
            "volumes:\n  - ./src:/app/src\n  - data:/data\n  - /app/node_modules\nhealthcheck:\n  test: [\"CMD-SHELL\", \"pg_isready\"]\n",
        );
        let v = volumes(&s);
        assert!(v[0].bind && !v[1].bind && v[2].source.is_none());
        assert!(
            matches!(healthcheck_test(&s), Some(Test::Shell { script, .. }) if script == "pg_isready")
        );
    }
}
