//! Sub-structures of a service (ports, mounts, dependencies, healthcheck, build, deploy...)
//! in their canonical long forms, with compose-go's JSON names and omit rules.

use std::collections::BTreeMap;

use serde::Serialize;

use super::units::{Duration, UnitBytes, go_float};

/// `K: V` string maps (labels, sysctls, driver options), sorted like Go's JSON maps.
pub type StringMap = BTreeMap<String, String>;

/// `environment` / `build.args`: `None` = declared without a value and unresolved.
pub type Environment = BTreeMap<String, Option<String>>;

/// `depends_on` in long form, keyed by service.
pub type DependsOn = BTreeMap<super::ServiceName, Dependency>;

/// `command` / `entrypoint`: `None` = unset, `Some(vec![])` = explicitly cleared.
pub type ShellCommand = Option<Vec<String>>;

fn is_false(value: &bool) -> bool {
    !*value
}

fn is_true(value: &bool) -> bool {
    *value
}

fn is_zero_u32(value: &u32) -> bool {
    *value == 0
}

fn is_zero_i64(value: &i64) -> bool {
    *value == 0
}

fn is_zero_f32(value: &f32) -> bool {
    *value == 0.0
}

/// One published or exposed port (`ports[]` long form).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PortConfig {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// `ingress` (default) or `host`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub mode: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub host_ip: String,
    #[serde(skip_serializing_if = "is_zero_u32")]
    pub target: u32,
    /// Host port, port range (`8000-8010`) or empty for a random port.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub published: String,
    /// Lower-case protocol, default `tcp`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub protocol: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub app_protocol: String,
}

/// One mount (`volumes[]` long form). `kind` is `bind`, `volume`, `tmpfs`, `image`, `npipe`
/// or `cluster`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct VolumeMount {
    #[serde(rename = "type", skip_serializing_if = "String::is_empty")]
    pub kind: String,
    /// Absolute host path (bind), volume name (volume; empty = anonymous), image (image).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub source: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub target: String,
    #[serde(skip_serializing_if = "is_false")]
    pub read_only: bool,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub consistency: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bind: Option<BindOptions>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub volume: Option<VolumeOptions>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tmpfs: Option<TmpfsOptions>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<ImageOptions>,
}

/// Bind-mount options. `create_host_path` defaults to true and, like compose-go's `OptOut`,
/// is only printed when false.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BindOptions {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub selinux: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub propagation: String,
    #[serde(skip_serializing_if = "is_true")]
    pub create_host_path: bool,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub recursive: String,
}

impl Default for BindOptions {
    fn default() -> Self {
        Self {
            selinux: String::new(),
            propagation: String::new(),
            create_host_path: true,
            recursive: String::new(),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct VolumeOptions {
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: StringMap,
    #[serde(skip_serializing_if = "is_false")]
    pub nocopy: bool,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub subpath: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TmpfsOptions {
    #[serde(skip_serializing_if = "UnitBytes::is_zero")]
    pub size: UnitBytes,
    #[serde(skip_serializing_if = "is_zero_u32")]
    pub mode: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImageOptions {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub subpath: String,
}

/// One `depends_on` entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dependency {
    /// `service_started` (default), `service_healthy` or `service_completed_successfully`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub condition: String,
    #[serde(skip_serializing_if = "is_false")]
    pub restart: bool,
    pub required: bool,
}

impl Default for Dependency {
    fn default() -> Self {
        Self {
            condition: "service_started".to_owned(),
            restart: false,
            required: true,
        }
    }
}

/// `healthcheck`; `test` is always the list form (`["CMD-SHELL", s]`, `["CMD", ...]`,
/// `["NONE"]`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Healthcheck {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub test: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout: Option<Duration>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interval: Option<Duration>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retries: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_period: Option<Duration>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_interval: Option<Duration>,
    #[serde(skip_serializing_if = "is_false")]
    pub disable: bool,
}

/// `build` in long form; `context` is absolute unless it is a URL/git/`service:` reference.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct BuildConfig {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub context: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub dockerfile: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub dockerfile_inline: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub entitlements: Vec<String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub args: Environment,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub provenance: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub sbom: String,
    /// `id` or `id=path` entries.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ssh: Vec<String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: StringMap,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cache_from: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cache_to: Vec<String>,
    #[serde(skip_serializing_if = "is_false")]
    pub no_cache: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub no_cache_filter: Vec<String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub additional_contexts: StringMap,
    #[serde(skip_serializing_if = "is_false")]
    pub pull: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extra_hosts: Vec<String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub isolation: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub network: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub target: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub secrets: Vec<FileReference>,
    #[serde(skip_serializing_if = "UnitBytes::is_zero")]
    pub shm_size: UnitBytes,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub ulimits: BTreeMap<String, Ulimit>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub platforms: Vec<String>,
    #[serde(skip_serializing_if = "is_false")]
    pub privileged: bool,
}

/// A service's reference to a secret or config (`secrets[]`, `configs[]`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FileReference {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub source: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub target: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub uid: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub gid: String,
    /// Octal file mode, printed as `"0444"`.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "octal_mode")]
    pub mode: Option<u32>,
}

fn octal_mode<S: serde::Serializer>(mode: &Option<u32>, serializer: S) -> Result<S::Ok, S::Error> {
    match mode {
        Some(m) => serializer.collect_str(&format_args!("0{m:o}")),
        None => serializer.serialize_none(),
    }
}

/// A `ulimits` entry: one number for both limits, or `{soft, hard}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ulimit {
    Single(i64),
    Pair { soft: i64, hard: i64 },
}

impl Serialize for Ulimit {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match self {
            Ulimit::Single(v) => serializer.serialize_i64(*v),
            Ulimit::Pair { soft, hard } => {
                let mut map = serializer.serialize_map(None)?;
                if *soft != 0 {
                    map.serialize_entry("soft", soft)?;
                }
                if *hard != 0 {
                    map.serialize_entry("hard", hard)?;
                }
                map.end()
            }
        }
    }
}

/// A service's attachment to one network.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ServiceNetwork {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub driver_opts: StringMap,
    #[serde(skip_serializing_if = "is_zero_i64")]
    pub gw_priority: i64,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub interface_name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub ipv4_address: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub ipv6_address: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub link_local_ips: Vec<String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub mac_address: String,
    #[serde(skip_serializing_if = "is_zero_i64")]
    pub priority: i64,
}

/// `env_file` entry; `required` defaults to true and is only printed when false.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EnvFile {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub path: String,
    #[serde(skip_serializing_if = "is_true")]
    pub required: bool,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub format: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ExtendsConfig {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub file: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub service: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Logging {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub driver: String,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub options: StringMap,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DeviceMapping {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub source: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub target: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub permissions: String,
}

/// A GPU or other device reservation (`deploy.resources.reservations.devices[]`, `gpus[]`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DeviceRequest {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub capabilities: Vec<String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub driver: String,
    /// `-1` means `all`.
    #[serde(skip_serializing_if = "is_zero_i64")]
    pub count: i64,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub device_ids: Vec<String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub options: StringMap,
}

/// `develop` (compose watch).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DevelopConfig {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub watch: Vec<WatchRule>,
}

/// One `develop.watch` rule; `path` is absolute.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct WatchRule {
    pub path: String,
    /// `sync`, `rebuild`, `restart`, `sync+restart` or `sync+exec`.
    pub action: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub target: String,
    pub exec: ServiceHook,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ignore: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<String>,
    #[serde(skip_serializing_if = "is_false")]
    pub initial_sync: bool,
}

/// A command run in a service container (`post_start`, `pre_stop`, `develop.watch.exec`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ServiceHook {
    pub command: ShellCommand,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub user: String,
    #[serde(skip_serializing_if = "is_false")]
    pub privileged: bool,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub working_dir: String,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub environment: Environment,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CredentialSpec {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub config: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub file: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub registry: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ServiceProvider {
    #[serde(rename = "type", skip_serializing_if = "String::is_empty")]
    pub kind: String,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub options: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ServiceModel {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub endpoint_var: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub model_var: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BlkioConfig {
    #[serde(skip_serializing_if = "is_zero_i64")]
    pub weight: i64,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub weight_device: Vec<serde_json::Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub device_read_bps: Vec<serde_json::Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub device_read_iops: Vec<serde_json::Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub device_write_bps: Vec<serde_json::Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub device_write_iops: Vec<serde_json::Value>,
}

/// `deploy`. Compose only uses `replicas`, `resources` and `restart_policy` for local runs.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DeployConfig {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub mode: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replicas: Option<i64>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: StringMap,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub update_config: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rollback_config: Option<serde_json::Value>,
    pub resources: Resources,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restart_policy: Option<RestartPolicy>,
    /// Swarm placement, kept verbatim; Go prints an empty struct as `{}`.
    pub placement: serde_json::Map<String, serde_json::Value>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub endpoint_mode: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Resources {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limits: Option<Resource>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reservations: Option<Resource>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Resource {
    #[serde(skip_serializing_if = "is_zero_f32", serialize_with = "go_float")]
    pub cpus: f32,
    #[serde(skip_serializing_if = "UnitBytes::is_zero")]
    pub memory: UnitBytes,
    #[serde(skip_serializing_if = "is_zero_i64")]
    pub pids: i64,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub devices: Vec<DeviceRequest>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub generic_resources: Vec<serde_json::Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RestartPolicy {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub condition: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delay: Option<Duration>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_attempts: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub window: Option<Duration>,
}
