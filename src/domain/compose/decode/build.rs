//! Decoder for `build` (string or long form: args, ssh, secrets, tags, ulimits...) and the
//! small numeric readers it shares with services (octal file modes, microsecond periods).

use super::super::error::{index, join};
use super::super::model::BuildConfig;
use super::super::yaml::{Node, Value};
use super::parts::extra_hosts;
use super::values::{
    Result, boolean, bytes, duration, env_map, expected, is_extension, map, string, string_list,
    string_map, unknown_key,
};

pub fn build(node: &Node, path: &str) -> Result<BuildConfig> {
    let mut b = BuildConfig::default();
    if !matches!(node.value, Value::Map(_)) {
        b.context = string(node, path)?;
        return Ok(b);
    }
    const KEYS: &[&str] = &[
        "context",
        "dockerfile",
        "dockerfile_inline",
        "entitlements",
        "args",
        "provenance",
        "sbom",
        "ssh",
        "labels",
        "cache_from",
        "cache_to",
        "no_cache",
        "no_cache_filter",
        "additional_contexts",
        "pull",
        "extra_hosts",
        "isolation",
        "network",
        "target",
        "secrets",
        "shm_size",
        "tags",
        "ulimits",
        "platforms",
        "privileged",
    ];
    for (key, v) in map(node, path)? {
        let p = join(path, key);
        let p = p.as_str();
        match key.as_str() {
            "context" => b.context = string(v, p)?,
            "dockerfile" => b.dockerfile = string(v, p)?,
            "dockerfile_inline" => b.dockerfile_inline = string(v, p)?,
            "entitlements" => b.entitlements = string_list(v, p, false)?,
            "args" => b.args = env_map(v, p)?,
            "provenance" => b.provenance = string(v, p)?,
            "sbom" => b.sbom = string(v, p)?,
            "ssh" => b.ssh = ssh(v, p)?,
            "labels" => b.labels = string_map(v, p)?,
            "cache_from" => b.cache_from = string_list(v, p, false)?,
            "cache_to" => b.cache_to = string_list(v, p, false)?,
            "no_cache" => b.no_cache = boolean(v, p)?,
            "no_cache_filter" => b.no_cache_filter = string_list(v, p, true)?,
            "additional_contexts" => b.additional_contexts = string_map(v, p)?,
            "pull" => b.pull = boolean(v, p)?,
            "extra_hosts" => b.extra_hosts = extra_hosts(v, p)?,
            "isolation" => b.isolation = string(v, p)?,
            "network" => b.network = string(v, p)?,
            "target" => b.target = string(v, p)?,
            "secrets" => {
                let Value::Seq(items) = &v.value else {
                    return Err(expected(v, p, "a list of secrets"));
                };
                for (i, item) in items.iter().enumerate() {
                    let ip = index(p, i);
                    let mut r = super::super::model::FileReference::default();
                    match &item.value {
                        Value::Map(entries) => {
                            for (k, x) in entries {
                                let kp = join(&ip, k);
                                match k.as_str() {
                                    "source" => r.source = string(x, &kp)?,
                                    "target" => r.target = string(x, &kp)?,
                                    "uid" => r.uid = string(x, &kp)?,
                                    "gid" => r.gid = string(x, &kp)?,
                                    "mode" => r.mode = Some(file_mode(x, &kp)?),
                                    other => {
                                        return Err(unknown_key(
                                            other,
                                            x,
                                            &ip,
                                            &["source", "target", "uid", "gid", "mode"],
                                        ));
                                    }
                                }
                            }
                        }
                        _ => r.source = string(item, &ip)?,
                    }
                    b.secrets.push(r);
                }
            }
            "shm_size" => b.shm_size = bytes(v, p)?,
            "tags" => b.tags = string_list(v, p, false)?,
            "ulimits" => {
                let s = super::service::service("", &ulimit_wrapper(v), "")?;
                b.ulimits = s.ulimits;
            }
            "platforms" => b.platforms = string_list(v, p, false)?,
            "privileged" => b.privileged = boolean(v, p)?,
            k if is_extension(k) => {}
            k => return Err(unknown_key(k, v, path, KEYS)),
        }
    }
    Ok(b)
}

/// Wraps a `ulimits` node in a service mapping so the service decoder's reader is reused.
fn ulimit_wrapper(v: &Node) -> Node {
    let mut map = indexmap::IndexMap::new();
    map.insert("ulimits".to_owned(), v.clone());
    Node::new(Value::Map(map), v.pos.clone())
}

fn ssh(node: &Node, path: &str) -> Result<Vec<String>> {
    match &node.value {
        Value::Map(entries) => entries
            .iter()
            .map(|(id, v)| {
                let p = join(path, id);
                Ok(if v.is_null() {
                    id.clone()
                } else {
                    format!("{id}={}", string(v, &p)?)
                })
            })
            .collect(),
        _ => string_list(node, path, true),
    }
}

/// Octal file mode: a YAML integer is taken as is, a string is read as octal.
pub fn file_mode(node: &Node, path: &str) -> Result<u32> {
    match &node.value {
        Value::Int(i) => {
            u32::try_from(*i).map_err(|_| expected(node, path, "a file mode such as 0440"))
        }
        _ => {
            let text = string(node, path)?;
            u32::from_str_radix(text.trim(), 8)
                .map_err(|_| expected(node, path, "an octal file mode such as \"0440\""))
        }
    }
}

/// `cpu_rt_period` / `cpu_rt_runtime`: microseconds as a number or a duration string.
pub fn micros(node: &Node, path: &str) -> Result<i64> {
    match &node.value {
        Value::Int(i) => Ok(*i),
        _ => Ok((duration(node, path)?.as_nanos() / 1000) as i64),
    }
}
