//! `services.<name>` → `Service`: every compose-spec service key, short forms expanded.

use std::collections::BTreeMap;

use super::super::error::{LoadError, index, join};
use super::super::model::{
    CredentialSpec, Dependency, DeviceMapping, EnvFile, ExtendsConfig, FileReference, Logging,
    PortConfig, Service, ServiceModel, ServiceName, ServiceNetwork, ServiceProvider, Ulimit,
};
use super::super::yaml::{Node, Value};
use super::parts;
use super::short::parse_port;
use super::values::{
    Result, boolean, bytes, duration, env_map, expected, float, int, is_extension, map, one_of,
    string, string_list, string_map, uint, unknown_key,
};

/// Every key a service may have (for typo hints).
pub const SERVICE_KEYS: &[&str] = &[
    "annotations",
    "attach",
    "blkio_config",
    "build",
    "cap_add",
    "cap_drop",
    "cgroup",
    "cgroup_parent",
    "command",
    "configs",
    "container_name",
    "cpu_count",
    "cpu_percent",
    "cpu_period",
    "cpu_quota",
    "cpu_rt_period",
    "cpu_rt_runtime",
    "cpu_shares",
    "cpus",
    "cpuset",
    "credential_spec",
    "depends_on",
    "deploy",
    "develop",
    "device_cgroup_rules",
    "devices",
    "dns",
    "dns_opt",
    "dns_search",
    "domainname",
    "entrypoint",
    "env_file",
    "environment",
    "expose",
    "extends",
    "external_links",
    "extra_hosts",
    "gpus",
    "group_add",
    "healthcheck",
    "hostname",
    "image",
    "init",
    "ipc",
    "isolation",
    "label_file",
    "labels",
    "links",
    "logging",
    "mac_address",
    "mem_limit",
    "mem_reservation",
    "mem_swappiness",
    "memswap_limit",
    "models",
    "network_mode",
    "networks",
    "oom_kill_disable",
    "oom_score_adj",
    "pid",
    "pids_limit",
    "platform",
    "ports",
    "post_start",
    "pre_stop",
    "privileged",
    "profiles",
    "provider",
    "pull_policy",
    "read_only",
    "restart",
    "runtime",
    "scale",
    "secrets",
    "security_opt",
    "shm_size",
    "stdin_open",
    "stop_grace_period",
    "stop_signal",
    "storage_opt",
    "sysctls",
    "tmpfs",
    "tty",
    "ulimits",
    "use_api_socket",
    "user",
    "userns_mode",
    "uts",
    "volume_driver",
    "volumes",
    "volumes_from",
    "working_dir",
];

/// Decodes one service. `name` is its key; `path` is `services.<name>`.
pub fn service(name: &str, node: &Node, path: &str) -> Result<Service> {
    let mut s = Service {
        name: ServiceName::new(name),
        ..Service::default()
    };
    if node.is_null() {
        return Ok(s);
    }
    for (key, v) in map(node, path)? {
        let p = join(path, key);
        let p = p.as_str();
        match key.as_str() {
            "annotations" => s.annotations = string_map(v, p)?,
            "attach" => s.attach = Some(boolean(v, p)?),
            "blkio_config" => s.blkio_config = Some(parts::blkio(v, p)?),
            "build" => s.build = Some(parts::build(v, p)?),
            "cap_add" => s.cap_add = string_list(v, p, false)?,
            "cap_drop" => s.cap_drop = string_list(v, p, false)?,
            "cgroup" => s.cgroup = one_of(v, p, &["host", "private"])?,
            "cgroup_parent" => s.cgroup_parent = string(v, p)?,
            "command" => s.command = shell_command(v, p)?,
            "configs" => s.configs = file_refs(v, p, None)?,
            "container_name" => s.container_name = string(v, p)?,
            "cpu_count" => s.cpu_count = int(v, p)?,
            "cpu_percent" => s.cpu_percent = float(v, p)? as f32,
            "cpu_period" => s.cpu_period = int(v, p)?,
            "cpu_quota" => s.cpu_quota = int(v, p)?,
            "cpu_rt_period" => s.cpu_rt_period = parts::micros(v, p)?,
            "cpu_rt_runtime" => s.cpu_rt_runtime = parts::micros(v, p)?,
            "cpu_shares" => s.cpu_shares = int(v, p)?,
            "cpus" => s.cpus = float(v, p)? as f32,
            "cpuset" => s.cpuset = string(v, p)?,
            "credential_spec" => s.credential_spec = Some(credential_spec(v, p)?),
            "depends_on" => s.depends_on = depends_on(v, p)?,
            "deploy" => s.deploy = Some(parts::deploy(v, p)?),
            "develop" => s.develop = Some(parts::develop(v, p)?),
            "device_cgroup_rules" => s.device_cgroup_rules = string_list(v, p, false)?,
            "devices" => s.devices = devices(v, p)?,
            "dns" => s.dns = string_list(v, p, true)?,
            "dns_opt" => s.dns_opt = string_list(v, p, false)?,
            "dns_search" => s.dns_search = string_list(v, p, true)?,
            "domainname" => s.domainname = string(v, p)?,
            "entrypoint" => s.entrypoint = shell_command(v, p)?,
            "env_file" => s.env_files = env_files(v, p)?,
            "environment" => s.environment = env_map(v, p)?,
            "expose" => s.expose = string_list(v, p, false)?,
            "extends" => s.extends = Some(extends(v, p)?),
            "external_links" => s.external_links = string_list(v, p, false)?,
            "extra_hosts" => s.extra_hosts = parts::extra_hosts(v, p)?,
            "gpus" => s.gpus = parts::gpus(v, p)?,
            "group_add" => s.group_add = string_list(v, p, false)?,
            "healthcheck" => s.healthcheck = Some(parts::healthcheck(v, p)?),
            "hostname" => s.hostname = string(v, p)?,
            "image" => s.image = string(v, p)?,
            "init" => s.init = Some(boolean(v, p)?),
            "ipc" => s.ipc = string(v, p)?,
            "isolation" => s.isolation = string(v, p)?,
            "label_file" => s.label_file = string_list(v, p, true)?,
            "labels" => s.labels = string_map(v, p)?,
            "links" => s.links = string_list(v, p, false)?,
            "logging" => s.logging = Some(logging(v, p)?),
            "mac_address" => s.mac_address = string(v, p)?,
            "mem_limit" => s.mem_limit = bytes(v, p)?,
            "mem_reservation" => s.mem_reservation = bytes(v, p)?,
            "mem_swappiness" => s.mem_swappiness = bytes(v, p)?,
            "memswap_limit" => s.memswap_limit = bytes(v, p)?,
            "models" => s.models = models(v, p)?,
            "network_mode" => s.network_mode = string(v, p)?,
            "networks" => s.networks = networks(v, p)?,
            "oom_kill_disable" => s.oom_kill_disable = boolean(v, p)?,
            "oom_score_adj" => s.oom_score_adj = int(v, p)?,
            "pid" => s.pid = string(v, p)?,
            "pids_limit" => s.pids_limit = int(v, p)?,
            "platform" => s.platform = string(v, p)?,
            "ports" => s.ports = ports(v, p)?,
            "post_start" => s.post_start = parts::hooks(v, p)?,
            "pre_stop" => s.pre_stop = parts::hooks(v, p)?,
            "privileged" => s.privileged = boolean(v, p)?,
            "profiles" => s.profiles = string_list(v, p, false)?,
            "provider" => s.provider = Some(provider(v, p)?),
            "pull_policy" => s.pull_policy = pull_policy(v, p)?,
            "read_only" => s.read_only = boolean(v, p)?,
            "restart" => s.restart = string(v, p)?,
            "runtime" => s.runtime = string(v, p)?,
            "scale" => s.scale = Some(int(v, p)?),
            "secrets" => s.secrets = file_refs(v, p, Some("/run/secrets/"))?,
            "security_opt" => s.security_opt = string_list(v, p, false)?,
            "shm_size" => s.shm_size = bytes(v, p)?,
            "stdin_open" => s.stdin_open = boolean(v, p)?,
            "stop_grace_period" => s.stop_grace_period = Some(duration(v, p)?),
            "stop_signal" => s.stop_signal = string(v, p)?,
            "storage_opt" => s.storage_opt = string_map(v, p)?,
            "sysctls" => s.sysctls = string_map(v, p)?,
            "tmpfs" => s.tmpfs = string_list(v, p, true)?,
            "tty" => s.tty = boolean(v, p)?,
            "ulimits" => s.ulimits = ulimits(v, p)?,
            "use_api_socket" => s.use_api_socket = boolean(v, p)?,
            "user" => s.user = string(v, p)?,
            "userns_mode" => s.userns_mode = string(v, p)?,
            "uts" => s.uts = string(v, p)?,
            "volume_driver" => s.volume_driver = string(v, p)?,
            "volumes" => s.volumes = parts::volumes(v, p)?,
            "volumes_from" => s.volumes_from = string_list(v, p, false)?,
            "working_dir" => s.working_dir = string(v, p)?,
            k if is_extension(k) => {
                s.extensions.insert(k.to_owned(), v.to_json());
            }
            k => return Err(unknown_key(k, v, path, SERVICE_KEYS)),
        }
    }
    Ok(s)
}

/// `command` / `entrypoint`: a list, or a string split like a POSIX shell would.
pub fn shell_command(node: &Node, path: &str) -> Result<Option<Vec<String>>> {
    match &node.value {
        Value::Null => Ok(None),
        Value::Seq(_) => Ok(Some(string_list(node, path, false)?)),
        Value::Map(_) => Err(expected(node, path, "a string or a list of strings")),
        _ => {
            let text = string(node, path)?;
            let words = parts::shell_split(&text).ok_or_else(|| {
                LoadError::at(
                    node.pos.clone(),
                    path,
                    format!("unterminated quote in {text:?}"),
                )
                .with_help("close the quote, or use the list form [\"prog\", \"arg\"]")
            })?;
            Ok(Some(words))
        }
    }
}

fn depends_on(node: &Node, path: &str) -> Result<BTreeMap<ServiceName, Dependency>> {
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

fn ports(node: &Node, path: &str) -> Result<Vec<PortConfig>> {
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

fn file_refs(node: &Node, path: &str, default_dir: Option<&str>) -> Result<Vec<FileReference>> {
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
                        "mode" => r.mode = Some(parts::file_mode(v, &kp)?),
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

fn env_files(node: &Node, path: &str) -> Result<Vec<EnvFile>> {
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

fn extends(node: &Node, path: &str) -> Result<ExtendsConfig> {
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

fn logging(node: &Node, path: &str) -> Result<Logging> {
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

fn devices(node: &Node, path: &str) -> Result<Vec<DeviceMapping>> {
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

fn networks(node: &Node, path: &str) -> Result<BTreeMap<String, Option<ServiceNetwork>>> {
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

fn ulimits(node: &Node, path: &str) -> Result<BTreeMap<String, Ulimit>> {
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

fn models(node: &Node, path: &str) -> Result<BTreeMap<String, Option<ServiceModel>>> {
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

fn credential_spec(node: &Node, path: &str) -> Result<CredentialSpec> {
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

fn provider(node: &Node, path: &str) -> Result<ServiceProvider> {
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

fn pull_policy(node: &Node, path: &str) -> Result<String> {
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
