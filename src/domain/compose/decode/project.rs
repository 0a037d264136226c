//! Top level of the merged tree → `Project`: services, networks, volumes, secrets, configs,
//! models and `x-*` extensions. Naming and defaults are applied later by `normalize`.

use indexmap::IndexMap;

use super::super::error::join;
use super::super::model::{FileObject, Ipam, IpamPool, Network, Project, ServiceName, Volume};
use super::super::yaml::{Node, Value};
use super::service::service;
use super::values::{
    Result, boolean, expected, is_extension, map, string, string_map, unknown_key,
};

/// Top-level keys (after `include` and `version` have been consumed).
pub const TOP_KEYS: &[&str] = &[
    "name", "services", "networks", "volumes", "secrets", "configs", "models", "include", "version",
];

/// Decodes a merged, interpolated, path-resolved document.
pub fn project(root: &Node) -> Result<Project> {
    let mut p = Project::default();
    if root.is_null() {
        return Ok(p);
    }
    for (key, v) in map(root, "")? {
        match key.as_str() {
            "name" => p.name = string(v, key)?,
            "services" => {
                if v.is_null() {
                    continue;
                }
                for (name, node) in map(v, key)? {
                    let path = join(key, name);
                    p.services
                        .insert(ServiceName::new(name.clone()), service(name, node, &path)?);
                }
            }
            "networks" => p.networks = resources(v, key, network)?,
            "volumes" => p.volumes = resources(v, key, volume)?,
            "secrets" => p.secrets = resources(v, key, |n, path| file_object(n, path, true))?,
            "configs" => p.configs = resources(v, key, |n, path| file_object(n, path, false))?,
            "models" => {
                for (name, node) in map(v, key)? {
                    p.models.insert(name.clone(), node.to_json());
                }
            }
            // Consumed earlier in the pipeline (include merged in, version dropped).
            "include" | "version" => {}
            k if is_extension(k) => {
                p.extensions.insert(k.to_owned(), v.to_json());
            }
            k => return Err(unknown_key(k, v, "", TOP_KEYS)),
        }
    }
    Ok(p)
}

fn resources<T: Default>(
    node: &Node,
    path: &str,
    decode: impl Fn(&Node, &str) -> Result<T>,
) -> Result<IndexMap<String, T>> {
    let mut out = IndexMap::new();
    if node.is_null() {
        return Ok(out);
    }
    for (name, v) in map(node, path)? {
        let p = join(path, name);
        let value = if v.is_null() {
            T::default()
        } else {
            decode(v, &p)?
        };
        out.insert(name.clone(), value);
    }
    Ok(out)
}

/// `external: true` or the legacy `external: {name: x}` (which also sets the name).
fn external(node: &Node, path: &str, name: &mut String) -> Result<bool> {
    if let Value::Map(entries) = &node.value {
        if let Some(n) = entries.get("name") {
            *name = string(n, &join(path, "name"))?;
        }
        return Ok(true);
    }
    boolean(node, path)
}

fn network(node: &Node, path: &str) -> Result<Network> {
    let mut n = Network::default();
    const KEYS: &[&str] = &[
        "name",
        "driver",
        "driver_opts",
        "ipam",
        "external",
        "internal",
        "attachable",
        "labels",
        "enable_ipv4",
        "enable_ipv6",
    ];
    for (key, v) in map(node, path)? {
        let p = join(path, key);
        let p = p.as_str();
        match key.as_str() {
            "name" => n.name = string(v, p)?,
            "driver" => n.driver = string(v, p)?,
            "driver_opts" => n.driver_opts = string_map(v, p)?,
            "ipam" => n.ipam = ipam(v, p)?,
            "external" => n.external = external(v, p, &mut n.name)?,
            "internal" => n.internal = boolean(v, p)?,
            "attachable" => n.attachable = boolean(v, p)?,
            "labels" => n.labels = string_map(v, p)?,
            "enable_ipv4" => n.enable_ipv4 = Some(boolean(v, p)?),
            "enable_ipv6" => n.enable_ipv6 = Some(boolean(v, p)?),
            k if is_extension(k) => {
                n.extensions.insert(k.to_owned(), v.to_json());
            }
            k => return Err(unknown_key(k, v, path, KEYS)),
        }
    }
    Ok(n)
}

fn ipam(node: &Node, path: &str) -> Result<Ipam> {
    let mut out = Ipam::default();
    for (key, v) in map(node, path)? {
        let p = join(path, key);
        match key.as_str() {
            "driver" => out.driver = string(v, &p)?,
            "config" => {
                let Value::Seq(items) = &v.value else {
                    return Err(expected(v, &p, "a list of pools"));
                };
                for (i, item) in items.iter().enumerate() {
                    let ip = format!("{p}[{i}]");
                    let mut pool = IpamPool::default();
                    for (k, x) in map(item, &ip)? {
                        let kp = join(&ip, k);
                        match k.as_str() {
                            "subnet" => pool.subnet = string(x, &kp)?,
                            "gateway" => pool.gateway = string(x, &kp)?,
                            "ip_range" => pool.ip_range = string(x, &kp)?,
                            "aux_addresses" => pool.aux_addresses = string_map(x, &kp)?,
                            other => {
                                return Err(unknown_key(
                                    other,
                                    x,
                                    &ip,
                                    &["subnet", "gateway", "ip_range", "aux_addresses"],
                                ));
                            }
                        }
                    }
                    out.config.push(pool);
                }
            }
            "options" => out.options = string_map(v, &p)?,
            k if is_extension(k) => {}
            k => return Err(unknown_key(k, v, path, &["driver", "config", "options"])),
        }
    }
    Ok(out)
}

fn volume(node: &Node, path: &str) -> Result<Volume> {
    let mut out = Volume::default();
    for (key, v) in map(node, path)? {
        let p = join(path, key);
        let p = p.as_str();
        match key.as_str() {
            "name" => out.name = string(v, p)?,
            "driver" => out.driver = string(v, p)?,
            "driver_opts" => out.driver_opts = string_map(v, p)?,
            "external" => out.external = external(v, p, &mut out.name)?,
            "labels" => out.labels = string_map(v, p)?,
            k if is_extension(k) => {
                out.extensions.insert(k.to_owned(), v.to_json());
            }
            k => {
                return Err(unknown_key(
                    k,
                    v,
                    path,
                    &["name", "driver", "driver_opts", "external", "labels"],
                ));
            }
        }
    }
    Ok(out)
}

fn file_object(node: &Node, path: &str, secret: bool) -> Result<FileObject> {
    let mut o = FileObject::default();
    const KEYS: &[&str] = &[
        "name",
        "file",
        "environment",
        "content",
        "external",
        "labels",
        "driver",
        "driver_opts",
        "template_driver",
    ];
    for (key, v) in map(node, path)? {
        let p = join(path, key);
        let p = p.as_str();
        match key.as_str() {
            "name" => o.name = string(v, p)?,
            "file" => o.file = string(v, p)?,
            "environment" => o.environment = string(v, p)?,
            "content" => o.content = string(v, p)?,
            "external" => o.external = external(v, p, &mut o.name)?,
            "labels" => o.labels = string_map(v, p)?,
            "driver" => o.driver = string(v, p)?,
            "driver_opts" => o.driver_opts = string_map(v, p)?,
            "template_driver" => o.template_driver = string(v, p)?,
            k if is_extension(k) => {
                o.extensions.insert(k.to_owned(), v.to_json());
            }
            k => return Err(unknown_key(k, v, path, KEYS)),
        }
    }
    // Secrets never print their inline content (compose-go strips it when marshalling).
    if secret {
        o.content.clear();
    }
    Ok(o)
}
