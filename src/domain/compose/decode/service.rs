//! `services.<name>` → `Service`: every compose-spec service key, short forms expanded.

use super::super::error::{LoadError, join};
use super::super::model::{Service, ServiceName};
use super::super::yaml::{Node, Value};
use super::parts;
use super::refs::{
    credential_spec, depends_on, devices, env_files, extends, file_refs, logging, models, networks,
    ports, provider, pull_policy, ulimits,
};
use super::values::{
    Result, boolean, bytes, duration, env_map, expected, float, int, is_extension, map, one_of,
    string, string_list, string_map, unknown_key,
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
        return Err(LoadError::at(
            node.pos.clone(),
            path,
            "the service is empty: it must be a mapping".to_owned(),
        )
        .with_help("give the service at least `image:` or `build:`"));
    }
    for (key, v) in map(node, path)? {
        let p = join(path, key);
        let p = p.as_str();
        match key.as_str() {
            "annotations" => s.annotations = string_map(v, p)?,
            "attach" => s.attach = Some(boolean(v, p)?),
            "blkio_config" => s.blkio_config = Some(parts::blkio(v, p)?),
            "build" => s.build = Some(super::build::build(v, p)?),
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
            "cpu_rt_period" => s.cpu_rt_period = super::build::micros(v, p)?,
            "cpu_rt_runtime" => s.cpu_rt_runtime = super::build::micros(v, p)?,
            "cpu_shares" => s.cpu_shares = int(v, p)?,
            "cpus" => s.cpus = float(v, p)? as f32,
            "cpuset" => s.cpuset = string(v, p)?,
            "credential_spec" => s.credential_spec = Some(credential_spec(v, p)?),
            "depends_on" => s.depends_on = depends_on(v, p)?,
            "deploy" => s.deploy = Some(super::deploy::deploy(v, p)?),
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
            "gpus" => s.gpus = super::deploy::gpus(v, p)?,
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
