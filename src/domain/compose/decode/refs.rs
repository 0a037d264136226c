//! Decoders for the service keys that reference or list things: `depends_on`, `ports`,
//! `secrets`/`configs`, `env_file`, `extends`, `logging`, `devices`, `networks`, `ulimits`,
//! `models`, `credential_spec`, `provider`, `pull_policy`.

use std::collections::BTreeMap;

use super::super::error::{LoadError, index, join};
use super::super::model::{
    CredentialSpec, Dependency, DeviceMapping, EnvFile, ExtendsConfig, FileReference, Logging,
    PortConfig, ServiceModel, ServiceName, ServiceNetwork, ServiceProvider, Ulimit,
};
use super::super::yaml::{Node, Value};
use super::parts;
use super::short::parse_port;
use super::values::{
    Result, boolean, expected, int, is_extension, map, one_of, string, string_list, string_map,
    uint, unknown_key,
};

pub fn depends_on(node: &Node, path: &str) -> Result<BTreeMap<ServiceName, Dependency>> {
    let mut out = BTreeMap::new();
    match &node.value {
        Value::Seq(_) => {
            for name in string_list(node, path, false)? {
                out.insert(ServiceName::new(name), Dependency::default());
            }
        }
        Value::Map(entries) => {
            for (name, dep) in entries {
                let p = join(path, name);
                let mut d = Dependency::default();
                if !dep.is_null() {
                    for (key, v) in map(dep, &p)? {
                        let kp = join(&p, key);
                        match key.as_str() {
                            "condition" => {
                                d.condition = one_of(
                                    v,
                                    &kp,
                                    &[
                                        "service_started",
                                        "service_healthy",
                                        "service_completed_successfully",
                                    ],
                                )?;
                            }
                            "restart" => d.restart = boolean(v, &kp)?,
                            "required" => d.required = boolean(v, &kp)?,
                            k if is_extension(k) => {}
                            k => {
                                return Err(unknown_key(
                                    k,
                                    v,
                                    &p,
                                    &["condition", "required", "restart"],
                                ));
                            }
                        }
                    }
                }
                out.insert(ServiceName::new(name.clone()), d);
            }
        }
        _ => return Err(expected(node, path, "a list of service names or a mapping")),
    }
    Ok(out)
}

pub fn ports(node: &Node, path: &str) -> Result<Vec<PortConfig>> {
    let Value::Seq(items) = &node.value else {
        return Err(expected(node, path, "a list of ports"));
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let p = index(path, i);
        match &item.value {
            Value::Map(entries) => {
                let mut port = PortConfig {
                    mode: "ingress".to_owned(),
                    protocol: "tcp".to_owned(),
                    ..PortConfig::default()
                };
                for (key, v) in entries {
                    let kp = join(&p, key);
                    match key.as_str() {
                        "name" => port.name = string(v, &kp)?,
                        "mode" => port.mode = one_of(v, &kp, &["ingress", "host"])?,
                        "host_ip" => port.host_ip = string(v, &kp)?,
                        "target" => {
                            port.target = u32::try_from(uint(v, &kp)?)
                                .ok()
                                .filter(|t| *t <= 65535)
                                .ok_or_else(|| expected(v, &kp, "a port number (1-65535)"))?;
                        }
                        "published" => port.published = string(v, &kp)?,
                        "protocol" => port.protocol = string(v, &kp)?.to_ascii_lowercase(),
                        "app_protocol" => port.app_protocol = string(v, &kp)?,
                        k if is_extension(k) => {}
                        k => {
                            return Err(unknown_key(
                                k,
                                v,
                                &p,
                                &[
                                    "name",
                                    "mode",
                                    "host_ip",
                                    "target",
                                    "published",
                                    "protocol",
                                    "app_protocol",
                                ],
                            ));
                        }
                    }
                }
                out.push(port);
            }
            Value::Seq(_) | Value::Null => {
                return Err(expected(item, &p, "a port such as \"8080:80\""));
            }
            _ => {
                let spec = string(item, &p)?;
                let expanded = parse_port(&spec).map_err(|msg| {
                    LoadError::at(item.pos.clone(), &p, msg)
                        .with_help("write ports as \"HOST:CONTAINER\", e.g. \"8080:80\" or \"127.0.0.1:5432:5432/tcp\"")
                })?;
                out.extend(expanded);
            }
        }
    }
    Ok(out)
}

pub fn file_refs(node: &Node, path: &str, default_dir: Option<&str>) -> Result<Vec<FileReference>> {
    let Value::Seq(items) = &node.value else {
        return Err(expected(node, path, "a list"));
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let p = index(path, i);
        let mut r = FileReference::default();
        match &item.value {
            Value::Map(entries) => {
                for (key, v) in entries {
                    let kp = join(&p, key);
                    match key.as_str() {
                        "source" => r.source = string(v, &kp)?,
                        "target" => r.target = string(v, &kp)?,
                        "uid" => r.uid = string(v, &kp)?,
                        "gid" => r.gid = string(v, &kp)?,
                        "mode" => r.mode = Some(super::values::file_mode(v, &kp)?),
                        k if is_extension(k) => {}
                        k => {
                            return Err(unknown_key(
                                k,
                                v,
                                &p,
                                &["source", "target", "uid", "gid", "mode"],
                            ));
                        }
                    }
                }
            }
            _ => r.source = string(item, &p)?,
        }
        if let Some(dir) = default_dir
            && r.target.is_empty()
        {
            r.target = format!("{dir}{}", r.source);
        }
        out.push(r);
    }
    Ok(out)
}

pub fn env_files(node: &Node, path: &str) -> Result<Vec<EnvFile>> {
    let items: Vec<Node> = match &node.value {
        Value::Seq(items) => items.clone(),
        _ => vec![node.clone()],
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let p = index(path, i);
        let mut f = EnvFile {
            path: String::new(),
            required: true,
            format: String::new(),
        };
        match &item.value {
            Value::Map(entries) => {
                for (key, v) in entries {
                    let kp = join(&p, key);
                    match key.as_str() {
                        "path" => f.path = string(v, &kp)?,
                        "required" => f.required = boolean(v, &kp)?,
                        "format" => f.format = string(v, &kp)?,
                        k => return Err(unknown_key(k, v, &p, &["path", "required", "format"])),
                    }
                }
            }
            _ => f.path = string(item, &p)?,
        }
        out.push(f);
    }
    Ok(out)
}

pub fn extends(node: &Node, path: &str) -> Result<ExtendsConfig> {
    let mut e = ExtendsConfig::default();
    match &node.value {
        Value::Map(entries) => {
            for (key, v) in entries {
                let kp = join(path, key);
                match key.as_str() {
                    "service" => e.service = string(v, &kp)?,
                    "file" => e.file = string(v, &kp)?,
                    k => return Err(unknown_key(k, v, path, &["service", "file"])),
                }
            }
        }
        _ => e.service = string(node, path)?,
    }
    Ok(e)
}

pub fn logging(node: &Node, path: &str) -> Result<Logging> {
    let mut l = Logging::default();
    for (key, v) in map(node, path)? {
        let kp = join(path, key);
        match key.as_str() {
            "driver" => l.driver = string(v, &kp)?,
            "options" => l.options = string_map(v, &kp)?,
            k if is_extension(k) => {}
            k => return Err(unknown_key(k, v, path, &["driver", "options"])),
        }
    }
    Ok(l)
}

pub fn devices(node: &Node, path: &str) -> Result<Vec<DeviceMapping>> {
    let Value::Seq(items) = &node.value else {
        return Err(expected(node, path, "a list of devices"));
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let p = index(path, i);
        let mut d = DeviceMapping::default();
        if let Value::Map(entries) = &item.value {
            for (key, v) in entries {
                let kp = join(&p, key);
                match key.as_str() {
                    "source" => d.source = string(v, &kp)?,
                    "target" => d.target = string(v, &kp)?,
                    "permissions" => d.permissions = string(v, &kp)?,
                    k => return Err(unknown_key(k, v, &p, &["source", "target", "permissions"])),
                }
            }
        } else {
            let spec = string(item, &p)?;
            let fields: Vec<&str> = spec.split(':').collect();
            let (s, t, perm) = match fields.as_slice() {
                [s] => (*s, *s, "rwm"),
                [s, t] => (*s, *t, "rwm"),
                [s, t, perm] => (*s, *t, *perm),
                _ => {
                    return Err(LoadError::at(
                        item.pos.clone(),
                        &p,
                        format!("confusing device mapping {spec:?}"),
                    )
                    .with_help("use the long syntax {source, target, permissions}"));
                }
            };
            d = DeviceMapping {
                source: s.into(),
                target: t.into(),
                permissions: perm.into(),
            };
        }
        out.push(d);
    }
    Ok(out)
}

pub fn networks(node: &Node, path: &str) -> Result<BTreeMap<String, Option<ServiceNetwork>>> {
    let mut out = BTreeMap::new();
    match &node.value {
        Value::Seq(_) => {
            for name in string_list(node, path, false)? {
                out.insert(name, None);
            }
        }
        Value::Map(entries) => {
            for (name, v) in entries {
                let p = join(path, name);
                if v.is_null() {
                    out.insert(name.clone(), None);
                    continue;
                }
                out.insert(name.clone(), Some(parts::service_network(v, &p)?));
            }
        }
        _ => return Err(expected(node, path, "a list of network names or a mapping")),
    }
    Ok(out)
}

pub fn ulimits(node: &Node, path: &str) -> Result<BTreeMap<String, Ulimit>> {
    let mut out = BTreeMap::new();
    for (name, v) in map(node, path)? {
        let p = join(path, name);
        let limit = match &v.value {
            Value::Map(entries) => {
                let (mut soft, mut hard) = (0, 0);
                for (key, x) in entries {
                    let kp = join(&p, key);
                    match key.as_str() {
                        "soft" => soft = int(x, &kp)?,
                        "hard" => hard = int(x, &kp)?,
                        k => return Err(unknown_key(k, x, &p, &["soft", "hard"])),
                    }
                }
                Ulimit::Pair { soft, hard }
            }
            _ => Ulimit::Single(int(v, &p)?),
        };
        out.insert(name.clone(), limit);
    }
    Ok(out)
}

pub fn models(node: &Node, path: &str) -> Result<BTreeMap<String, Option<ServiceModel>>> {
    let mut out = BTreeMap::new();
    match &node.value {
        Value::Seq(_) => {
            for name in string_list(node, path, false)? {
                out.insert(name, None);
            }
        }
        _ => {
            for (name, v) in map(node, path)? {
                let p = join(path, name);
                if v.is_null() {
                    out.insert(name.clone(), None);
                    continue;
                }
                let mut m = ServiceModel::default();
                for (key, x) in map(v, &p)? {
                    let kp = join(&p, key);
                    match key.as_str() {
                        "endpoint_var" => m.endpoint_var = string(x, &kp)?,
                        "model_var" => m.model_var = string(x, &kp)?,
                        k => return Err(unknown_key(k, x, &p, &["endpoint_var", "model_var"])),
                    }
                }
                out.insert(name.clone(), Some(m));
            }
        }
    }
    Ok(out)
}

pub fn credential_spec(node: &Node, path: &str) -> Result<CredentialSpec> {
    let mut c = CredentialSpec::default();
    for (key, v) in map(node, path)? {
        let kp = join(path, key);
        match key.as_str() {
            "config" => c.config = string(v, &kp)?,
            "file" => c.file = string(v, &kp)?,
            "registry" => c.registry = string(v, &kp)?,
            k => return Err(unknown_key(k, v, path, &["config", "file", "registry"])),
        }
    }
    Ok(c)
}

pub fn provider(node: &Node, path: &str) -> Result<ServiceProvider> {
    let mut out = ServiceProvider::default();
    for (key, v) in map(node, path)? {
        let kp = join(path, key);
        match key.as_str() {
            "type" => out.kind = string(v, &kp)?,
            "options" => {
                for (name, value) in map(v, &kp)? {
                    let np = join(&kp, name);
                    out.options
                        .insert(name.clone(), string_list(value, &np, true)?);
                }
            }
            k => return Err(unknown_key(k, v, path, &["type", "options"])),
        }
    }
    Ok(out)
}

pub fn pull_policy(node: &Node, path: &str) -> Result<String> {
    let text = string(node, path)?;
    let fixed = [
        "always",
        "never",
        "missing",
        "if_not_present",
        "build",
        "daily",
        "weekly",
        "refresh",
    ];
    if fixed.contains(&text.as_str()) {
        return Ok(text);
    }
    if let Some(delay) = text.strip_prefix("every_")
        && super::super::model::Duration::parse(delay).is_some()
    {
        return Ok(text);
    }
    one_of(node, path, &fixed)
}

/// Whether a `restart` value is one the engine accepts. Compose itself does not check it at
/// load time, so an invalid value is only a warning here (the engine rejects it at create).
pub fn valid_restart(text: &str) -> bool {
    match text.split_once(':') {
        Some(("on-failure", n)) => n.parse::<u64>().is_ok(),
        _ => matches!(text, "no" | "always" | "on-failure" | "unless-stopped"),
    }
}
