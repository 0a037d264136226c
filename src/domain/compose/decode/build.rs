//! Decoder for `build` (string or long form: args, ssh, secrets, tags, ulimits...) and the
//! small numeric readers it shares with services (octal file modes, microsecond periods).

use super::super::error::{index, join};
use super::super::model::BuildConfig;
use super::super::yaml::{Node, Value};
use super::parts::extra_hosts;
use super::values::{
    Result, boolean, bytes, env_map, expected, is_extension, map, string, string_list, string_map,
    unknown_key,
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
                                    "mode" => r.mode = Some(super::values::file_mode(x, &kp)?),
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
            "ulimits" => b.ulimits = super::refs::ulimits(v, p)?,
            "platforms" => b.platforms = string_list(v, p, false)?,
            "privileged" => b.privileged = boolean(v, p)?,
            k if is_extension(k) => {}
            k => return Err(unknown_key(k, v, path, KEYS)),
        }
    }
    Ok(b)
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
