//! The compose project model: `Project` with its services, networks, volumes, secrets and
//! configs, in canonical form. Serialising it with serde_json gives the same JSON as
//! `docker compose config --format json` (field names, omitted empties, canonical values).

mod service;
mod types;
mod units;

use std::borrow::Borrow;
use std::collections::BTreeMap;
use std::fmt;

use indexmap::IndexMap;
use serde::Serialize;

pub use service::Service;
pub use types::*;
pub use units::{Duration, UnitBytes, go_float};

/// A service key under `services:`.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct ServiceName(pub String);

impl ServiceName {
    pub fn new(name: impl Into<String>) -> Self {
        Self(name.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ServiceName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Borrow<str> for ServiceName {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl From<&str> for ServiceName {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

/// A loaded, interpolated, merged and normalised compose project.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Project {
    /// Normalised project name (`[a-z0-9][a-z0-9_-]*`).
    pub name: String,
    /// Enabled services, sorted by name (as Compose prints them).
    pub services: IndexMap<ServiceName, Service>,
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub networks: IndexMap<String, Network>,
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub volumes: IndexMap<String, Volume>,
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub secrets: IndexMap<String, FileObject>,
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub configs: IndexMap<String, FileObject>,
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub models: IndexMap<String, serde_json::Value>,
    /// Top-level `x-*` keys, printed inline like Compose does.
    #[serde(flatten)]
    pub extensions: IndexMap<String, serde_json::Value>,
    /// Services present in the files but disabled by profiles (not printed).
    #[serde(skip)]
    pub disabled_services: IndexMap<ServiceName, Service>,
    /// Absolute project directory.
    #[serde(skip)]
    pub working_dir: String,
    /// Absolute paths of the compose files, in load order (for `project.config_files`).
    #[serde(skip)]
    pub compose_files: Vec<String>,
    /// The project environment used for interpolation (shell over env files).
    #[serde(skip)]
    pub environment: BTreeMap<String, String>,
    /// Active profiles.
    #[serde(skip)]
    pub profiles: Vec<String>,
}

impl Project {
    /// Service names in dependency order (dependencies first). See `graph`.
    pub fn service_names(&self) -> impl Iterator<Item = &ServiceName> {
        self.services.keys()
    }

    pub fn service(&self, name: &str) -> Option<&Service> {
        self.services.get(name)
    }
}

/// `external` marker, printed only when true.
fn is_false(value: &bool) -> bool {
    !*value
}

/// A top-level network.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Network {
    /// Engine name: `name:`, else `<project>_<key>` (external: the key).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub driver: String,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub driver_opts: StringMap,
    pub ipam: Ipam,
    #[serde(skip_serializing_if = "is_false")]
    pub external: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub internal: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub attachable: bool,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: StringMap,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enable_ipv4: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enable_ipv6: Option<bool>,
    #[serde(skip)]
    pub extensions: IndexMap<String, serde_json::Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Ipam {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub driver: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub config: Vec<IpamPool>,
    /// Driver options (compose-go serialises them after `config`, which the hash follows).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub options: StringMap,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct IpamPool {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub subnet: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub gateway: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub ip_range: String,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub aux_addresses: StringMap,
}

/// A top-level volume.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Volume {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub driver: String,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub driver_opts: StringMap,
    #[serde(skip_serializing_if = "is_false")]
    pub external: bool,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: StringMap,
    #[serde(skip)]
    pub extensions: IndexMap<String, serde_json::Value>,
}

/// A top-level secret or config: from a file (absolute path), an environment variable or
/// inline content, or external.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FileObject {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub file: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub environment: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub content: String,
    #[serde(skip_serializing_if = "is_false")]
    pub external: bool,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: StringMap,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub driver: String,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub driver_opts: StringMap,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub template_driver: String,
    #[serde(skip)]
    pub extensions: IndexMap<String, serde_json::Value>,
}
