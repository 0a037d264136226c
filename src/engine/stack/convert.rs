//! Pure conversion of a compose service into the engine's container-create body, as Compose's
//! `pkg/compose/create.go` does it: ports, mounts, environment, healthcheck (nanoseconds),
//! restart policy, resources, networks with aliases, secrets and configs from files.

use std::collections::HashMap;

use bollard::models::{
    ContainerCreateBody, DeviceMapping, DeviceRequest, EndpointSettings, HealthConfig, HostConfig,
    HostConfigLogConfig, NetworkingConfig, PortBinding, ResourcesUlimits, RestartPolicy,
    RestartPolicyNameEnum,
};

use crate::domain::compose::model::{Healthcheck, Ulimit};
use crate::domain::compose::{Project, Service};

use super::labels;
use super::mounts::{tmpfs, volumes};

/// Everything `create` needs besides the service itself.
pub struct CreateInput<'a> {
    pub project: &'a Project,
    pub service: &'a Service,
    pub container_name: &'a str,
    pub image: &'a str,
    pub labels: HashMap<String, String>,
    /// Engine API ≥ 1.44: several endpoints at create, `StartInterval` known.
    pub api_at_least_1_44: bool,
    /// `service:X` references (network_mode, ipc, pid, volumes_from) → container id of X.
    pub service_containers: &'a HashMap<String, String>,
    /// Volumes taken over from the container this one replaces (`mounts::inherited`).
    pub inherited: &'a [bollard::models::Mount],
}

/// The create body, plus the networks to connect to after create (API < 1.44 takes one).
pub struct CreatePlan {
    pub body: ContainerCreateBody,
    pub connect_later: Vec<(String, EndpointSettings)>,
}

pub fn create_plan(input: &CreateInput<'_>) -> CreatePlan {
    let s = input.service;
    let (exposed, bindings) = ports(s);
    let (binds, mounts) = volumes(input.project, s, input.inherited);
    let (network_mode, endpoints) = networks(input);
    let mut endpoints = endpoints;
    let connect_later = if input.api_at_least_1_44 || endpoints.len() <= 1 {
        Vec::new()
    } else {
        endpoints.split_off(1)
    };
    let host = HostConfig {
        binds: non_empty(binds),
        mounts: non_empty(mounts),
        port_bindings: if bindings.is_empty() {
            None
        } else {
            Some(bindings)
        },
        network_mode: Some(network_mode),
        restart_policy: Some(restart_policy(s)),
        cap_add: non_empty(s.cap_add.clone()),
        cap_drop: non_empty(s.cap_drop.clone()),
        security_opt: non_empty(s.security_opt.clone()),
        readonly_rootfs: s.read_only.then_some(true),
        init: s.init,
        privileged: s.privileged.then_some(true),
        extra_hosts: Some(
            s.extra_hosts
                .iter()
                .map(|h| h.replacen('=', ":", 1))
                .collect(),
        ),
        dns: non_empty(s.dns.clone()),
        dns_options: non_empty(s.dns_opt.clone()),
        dns_search: non_empty(s.dns_search.clone()),
        group_add: non_empty(s.group_add.clone()),
        ulimits: non_empty(ulimits(s)),
        tmpfs: tmpfs(s),
        sysctls: (!s.sysctls.is_empty()).then(|| {
            s.sysctls
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        }),
        ipc_mode: resolve_ref(&s.ipc, input.service_containers),
        pid_mode: resolve_ref(&s.pid, input.service_containers),
        uts_mode: non_empty_str(&s.uts),
        userns_mode: non_empty_str(&s.userns_mode),
        cgroup_parent: non_empty_str(&s.cgroup_parent),
        runtime: non_empty_str(&s.runtime),
        shm_size: (!s.shm_size.is_zero()).then_some(s.shm_size.0),
        pids_limit: (s.pids_limit != 0).then_some(s.pids_limit),
        oom_score_adj: (s.oom_score_adj != 0).then_some(s.oom_score_adj),
        volumes_from: non_empty(
            s.volumes_from
                .iter()
                .map(|v| resolve_volumes_from(v, input.service_containers))
                .collect(),
        ),
        devices: non_empty(
            s.devices
                .iter()
                .map(|d| DeviceMapping {
                    path_on_host: Some(d.source.clone()),
                    path_in_container: Some(if d.target.is_empty() {
                        d.source.clone()
                    } else {
                        d.target.clone()
                    }),
                    cgroup_permissions: Some(if d.permissions.is_empty() {
                        "rwm".to_owned()
                    } else {
                        d.permissions.clone()
                    }),
                })
                .collect(),
        ),
        log_config: s.logging.as_ref().map(|l| HostConfigLogConfig {
            typ: non_empty_str(&l.driver),
            config: Some(
                l.options
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
            ),
        }),
        ..resources(s)
    };
    let body = ContainerCreateBody {
        image: Some(input.image.to_owned()),
        hostname: non_empty_str(&s.hostname),
        domainname: non_empty_str(&s.domainname),
        user: non_empty_str(&s.user),
        working_dir: non_empty_str(&s.working_dir),
        cmd: s.command.clone(),
        entrypoint: s.entrypoint.clone(),
        env: Some(environment(s)),
        exposed_ports: non_empty(exposed),
        tty: s.tty.then_some(true),
        open_stdin: s.stdin_open.then_some(true),
        attach_stdout: Some(true),
        attach_stderr: Some(true),
        labels: Some(input.labels.clone()),
        healthcheck: s
            .healthcheck
            .as_ref()
            .map(|h| health_config(h, input.api_at_least_1_44)),
        stop_signal: non_empty_str(&s.stop_signal),
        // Docker's default (10 s) written out: Podman before 4.7 stores 0 when none is given,
        // so every stop was a SIGKILL there (docs/podman.md).
        stop_timeout: Some(
            s.stop_grace_period
                .map_or(10, |d| i64::try_from(d.0.as_secs()).unwrap_or(i64::MAX)),
        ),
        host_config: Some(host),
        networking_config: (!endpoints.is_empty()).then(|| NetworkingConfig {
            endpoints_config: Some(endpoints.into_iter().collect()),
        }),
        ..ContainerCreateBody::default()
    };
    CreatePlan {
        body,
        connect_later,
    }
}

fn non_empty<T>(v: Vec<T>) -> Option<Vec<T>> {
    (!v.is_empty()).then_some(v)
}

fn non_empty_str(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_owned())
}

/// `K=V`, or a bare `K` for a variable declared without a value (the engine then leaves it
/// unset, as Compose does).
pub fn environment(s: &Service) -> Vec<String> {
    s.environment
        .iter()
        .map(|(k, v)| match v {
            Some(v) => format!("{k}={v}"),
            None => k.clone(),
        })
        .collect()
}

/// Healthcheck durations in nanoseconds; `disable` → `["NONE"]`; `start_interval` only for
/// engines that know it (API ≥ 1.44).
pub fn health_config(h: &Healthcheck, api_at_least_1_44: bool) -> HealthConfig {
    let nanos = |d: &Option<crate::domain::compose::model::Duration>| {
        d.map(|d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
    };
    let test = if h.disable {
        Some(vec!["NONE".to_owned()])
    } else {
        non_empty(h.test.clone())
    };
    HealthConfig {
        test,
        interval: nanos(&h.interval),
        timeout: nanos(&h.timeout),
        retries: h.retries.map(|r| i64::try_from(r).unwrap_or(i64::MAX)),
        start_period: nanos(&h.start_period),
        start_interval: if api_at_least_1_44 {
            nanos(&h.start_interval)
        } else {
            None
        },
    }
}

/// `ExposedPorts` and `PortBindings`: engines ≤ v28 publish a binding only when the port is
/// also exposed, so both are always set (engine-api.md §9).
fn ports(s: &Service) -> (Vec<String>, HashMap<String, Option<Vec<PortBinding>>>) {
    let mut exposed = Vec::new();
    let mut bindings: HashMap<String, Option<Vec<PortBinding>>> = HashMap::new();
    for p in &s.ports {
        let proto = if p.protocol.is_empty() {
            "tcp"
        } else {
            p.protocol.as_str()
        };
        let key = format!("{}/{proto}", p.target);
        if !exposed.contains(&key) {
            exposed.push(key.clone());
        }
        bindings
            .entry(key)
            .or_insert_with(|| Some(Vec::new()))
            .get_or_insert_with(Vec::new)
            .push(PortBinding {
                host_ip: Some(p.host_ip.clone()),
                host_port: Some(p.published.clone()),
            });
    }
    for e in &s.expose {
        let (range, proto) = e.split_once('/').unwrap_or((e.as_str(), "tcp"));
        let ports: Vec<String> = match range.split_once('-') {
            Some((a, b)) => match (a.parse::<u32>(), b.parse::<u32>()) {
                (Ok(a), Ok(b)) if a <= b => (a..=b).map(|p| p.to_string()).collect(),
                _ => vec![range.to_owned()],
            },
            None => vec![range.to_owned()],
        };
        for port in ports {
            let key = format!("{port}/{proto}");
            if !exposed.contains(&key) {
                exposed.push(key);
            }
        }
    }
    (exposed, bindings)
}

fn ulimits(s: &Service) -> Vec<ResourcesUlimits> {
    s.ulimits
        .iter()
        .map(|(name, u)| {
            let (soft, hard) = match u {
                Ulimit::Single(v) => (*v, *v),
                Ulimit::Pair { soft, hard } => (*soft, *hard),
            };
            ResourcesUlimits {
                name: Some(name.clone()),
                soft: Some(soft),
                hard: Some(hard),
            }
        })
        .collect()
}

/// `restart:`, overridden by `deploy.restart_policy` (`none` → `no`, `any` → `always`).
pub fn restart_policy(s: &Service) -> RestartPolicy {
    let deploy = s.deploy.as_ref().and_then(|d| d.restart_policy.as_ref());
    let (name, count) = match deploy {
        Some(p) => {
            let name = match p.condition.as_str() {
                "none" => "no",
                "any" | "" => "always",
                other => other,
            };
            (name.to_owned(), p.max_attempts.unwrap_or(0))
        }
        None => match s.restart.split_once(':') {
            Some((name, n)) => (name.to_owned(), n.parse().unwrap_or(0)),
            None => (s.restart.clone(), 0),
        },
    };
    let name = match name.as_str() {
        "always" => RestartPolicyNameEnum::ALWAYS,
        "unless-stopped" => RestartPolicyNameEnum::UNLESS_STOPPED,
        "on-failure" => RestartPolicyNameEnum::ON_FAILURE,
        "no" => RestartPolicyNameEnum::NO,
        _ => RestartPolicyNameEnum::EMPTY,
    };
    // The engine rejects a retry count with any policy but on-failure.
    let count = (name == RestartPolicyNameEnum::ON_FAILURE)
        .then(|| i64::try_from(count).unwrap_or(i64::MAX));
    RestartPolicy {
        name: Some(name),
        maximum_retry_count: count,
    }
}

/// Memory, CPUs and device requests from `deploy.resources` (wins) or the legacy keys.
fn resources(s: &Service) -> HostConfig {
    let limits = s.deploy.as_ref().and_then(|d| d.resources.limits.as_ref());
    let reservations = s
        .deploy
        .as_ref()
        .and_then(|d| d.resources.reservations.as_ref());
    let memory = limits
        .map(|l| l.memory.0)
        .filter(|m| *m != 0)
        .unwrap_or(s.mem_limit.0);
    let cpus = limits
        .map(|l| l.cpus)
        .filter(|c| *c != 0.0)
        .unwrap_or(s.cpus);
    let mut requests: Vec<DeviceRequest> = reservations
        .map(|r| r.devices.iter().map(device_request).collect())
        .unwrap_or_default();
    requests.extend(s.gpus.iter().map(device_request));
    HostConfig {
        memory: (memory != 0).then_some(memory),
        memory_reservation: reservations
            .map(|r| r.memory.0)
            .filter(|m| *m != 0)
            .or((!s.mem_reservation.is_zero()).then_some(s.mem_reservation.0)),
        memory_swap: (!s.memswap_limit.is_zero()).then_some(s.memswap_limit.0),
        nano_cpus: (cpus != 0.0).then(|| (f64::from(cpus) * 1e9).round() as i64),
        cpu_shares: (s.cpu_shares != 0).then_some(s.cpu_shares),
        cpu_quota: (s.cpu_quota != 0).then_some(s.cpu_quota),
        cpu_period: (s.cpu_period != 0).then_some(s.cpu_period),
        cpuset_cpus: non_empty_str(&s.cpuset),
        device_requests: non_empty(requests),
        ..HostConfig::default()
    }
}

fn device_request(d: &crate::domain::compose::model::DeviceRequest) -> DeviceRequest {
    DeviceRequest {
        driver: Some(d.driver.clone()),
        count: Some(if d.count == 0 && d.device_ids.is_empty() {
            -1
        } else {
            d.count
        }),
        device_ids: non_empty(d.device_ids.clone()),
        capabilities: Some(vec![if d.capabilities.is_empty() {
            vec!["gpu".to_owned()]
        } else {
            d.capabilities.clone()
        }]),
        options: (!d.options.is_empty()).then(|| {
            d.options
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        }),
    }
}

/// `service:X` → `container:<id of X>`; other values verbatim.
fn resolve_ref(value: &str, containers: &HashMap<String, String>) -> Option<String> {
    if value.is_empty() {
        return None;
    }
    match value.strip_prefix("service:") {
        Some(svc) => containers
            .get(svc)
            .map(|id| format!("container:{id}"))
            .or_else(|| Some(value.to_owned())),
        None => Some(value.to_owned()),
    }
}

fn resolve_volumes_from(value: &str, containers: &HashMap<String, String>) -> String {
    if let Some(rest) = value.strip_prefix("container:") {
        return rest.to_owned();
    }
    let (name, mode) = match value.split_once(':') {
        Some((n, m)) => (n, Some(m)),
        None => (value, None),
    };
    let target = containers
        .get(name)
        .cloned()
        .unwrap_or_else(|| name.to_owned());
    match mode {
        Some(m) => format!("{target}:{m}"),
        None => target,
    }
}

/// `network_mode` verbatim (service refs resolved), else the primary network (highest
/// priority, then name) and one endpoint per attached network with Compose's aliases:
/// container name, service name, then `aliases`.
fn networks(input: &CreateInput<'_>) -> (String, Vec<(String, EndpointSettings)>) {
    let s = input.service;
    if !s.network_mode.is_empty() {
        let mode = resolve_ref(&s.network_mode, input.service_containers)
            .unwrap_or_else(|| s.network_mode.clone());
        return (mode, Vec::new());
    }
    let mut attached: Vec<(&String, i64)> = s
        .networks
        .iter()
        .map(|(key, cfg)| (key, cfg.as_ref().map(|c| c.priority).unwrap_or(0)))
        .collect();
    attached.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    if attached.is_empty() {
        return ("none".to_owned(), Vec::new());
    }
    let endpoints: Vec<(String, EndpointSettings)> = attached
        .iter()
        .map(|(key, _)| {
            let cfg = s.networks.get(*key).cloned().flatten().unwrap_or_default();
            let mut aliases = vec![input.container_name.to_owned(), s.name.to_string()];
            aliases.extend(cfg.aliases.iter().cloned());
            let settings = EndpointSettings {
                aliases: Some(aliases),
                mac_address: non_empty_str(&cfg.mac_address),
                ..EndpointSettings::default()
            };
            (labels::network_name(input.project, key), settings)
        })
        .collect();
    (endpoints[0].0.clone(), endpoints)
}

#[cfg(test)]
#[path = "convert_tests.rs"]
mod tests;
