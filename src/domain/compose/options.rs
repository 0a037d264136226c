//! What a load is asked to do: the files, the project directory and name, the environment,
//! profiles and limits.

use std::collections::BTreeMap;

use crate::domain::limits::Limits;

/// What to load and with which environment. Paths are absolute and `/`-separated.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Project directory (relative paths in the compose files resolve against it).
    pub working_dir: String,
    /// Compose files in order (later files override earlier ones).
    pub files: Vec<String>,
    /// `-p` value; must already be a valid project name.
    pub project_name: Option<String>,
    /// Project environment: shell variables over `.env` / `--env-file` values.
    pub environment: BTreeMap<String, String>,
    /// `--profile` values; when empty, `COMPOSE_PROFILES` from the environment applies.
    pub profiles: Vec<String>,
    /// Home directory for `~` in paths.
    pub home: Option<String>,
    /// Merge `env_file` contents into `environment` (what `config` and `up` do).
    pub resolve_env_files: bool,
    /// Services named on the command line (`up web`): enabled whatever their profiles, with
    /// their dependencies, before references are checked and unused resources pruned.
    pub services: Vec<String>,
    /// Only parse the files and list the variables they use (`config --variables`): nothing
    /// is interpolated, so an unset required variable is listed instead of failing the load.
    pub variables_only: bool,
    /// File sizes, expanded size, nesting depths and services in force for this load.
    pub limits: Limits,
}

impl LoadOptions {
    /// Options for one in-memory file at `<dir>/compose.yaml`.
    pub fn for_dir(dir: &str) -> Self {
        Self {
            working_dir: dir.to_owned(),
            files: vec![format!("{dir}/compose.yaml")],
            resolve_env_files: true,
            ..Self::default()
        }
    }
}
