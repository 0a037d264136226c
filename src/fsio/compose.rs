//! The file edge of the compose loader: compose file discovery (names, parent directories,
//! override file, `COMPOSE_FILE`), project directory, the project environment (shell over
//! `.env` / `--env-file`), the `DEVBOX_LIMIT_*` values in force, and a `FileSource` over the
//! real file system that reads each file under its size limit.

use crate::domain::stack::projects::ProjectRef;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::input::{Presence, presence, read_text};
use crate::domain::compose::dotenv;
use crate::domain::compose::paths::clean;
use crate::domain::compose::source::ReadError;
use crate::domain::compose::{FileSource, LoadError, LoadOptions, Loaded, Pos, Warning, load};
use crate::domain::limits::{Limit, Limits};

/// Compose file names tried in each directory, in Compose's order.
pub const DEFAULT_FILES: &[&str] = &[
    "compose.yaml",
    "compose.yml",
    "docker-compose.yml",
    "docker-compose.yaml",
];
/// Override files picked up next to a discovered compose file.
pub const OVERRIDE_FILES: &[&str] = &[
    "compose.override.yml",
    "compose.override.yaml",
    "docker-compose.override.yml",
    "docker-compose.override.yaml",
];

/// Reads files from disk.
#[derive(Debug, Clone, Copy, Default)]
pub struct FsSource;

impl FileSource for FsSource {
    fn read(&self, path: &str, max_bytes: u64) -> Result<String, ReadError> {
        read_text(Path::new(path), max_bytes)
    }

    fn is_file(&self, path: &str) -> bool {
        Path::new(path).is_file()
    }
}

/// What the user asked for (`-f`, `-p`, `--profile`, `--env-file`, `--project-directory`).
#[derive(Debug, Clone, Default)]
pub struct ProjectRequest {
    pub files: Vec<PathBuf>,
    pub project_name: Option<String>,
    pub profiles: Vec<String>,
    pub env_files: Vec<PathBuf>,
    pub project_directory: Option<PathBuf>,
    /// Directory the command runs in.
    pub cwd: PathBuf,
    /// The process environment.
    pub os_env: BTreeMap<String, String>,
    /// Services named on the command line (enabled whatever their profiles).
    pub services: Vec<String>,
    /// Only list the variables the files use (see `LoadOptions::variables_only`).
    pub variables_only: bool,
}

impl ProjectRequest {
    /// A request for the current directory and process environment.
    pub fn from_process() -> Result<Self, LoadError> {
        let cwd = std::env::current_dir()
            .map_err(|e| LoadError::global(format!("cannot read the current directory: {e}")))?;
        Ok(Self {
            cwd,
            os_env: std::env::vars().collect(),
            ..Self::default()
        })
    }

    /// The request that loads `target` (the current folder's project when `None`), with the
    /// files, name and env files a running project's Compose labels recorded.
    pub fn for_target(target: Option<&ProjectRef>) -> Result<Self, LoadError> {
        let Some(target) = target else {
            return Self::from_process();
        };
        Ok(Self {
            cwd: PathBuf::from(&target.working_dir),
            files: target.config_files.iter().map(PathBuf::from).collect(),
            project_name: Some(target.name.clone()),
            env_files: target.env_files.iter().map(PathBuf::from).collect(),
            os_env: std::env::vars().collect(),
            ..Self::default()
        })
    }
}

fn text(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

fn absolute(cwd: &Path, path: &Path) -> String {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        cwd.join(path)
    };
    clean(&text(&joined))
}

/// Finds the compose files by default discovery: the first known name in `dir` or the
/// nearest parent, plus an override file next to it.
pub fn discover(dir: &Path, warnings: &mut Vec<Warning>) -> Option<Vec<String>> {
    let mut current = Some(dir);
    while let Some(d) = current {
        // A link loop counts as found, so reading it reports the loop instead of discovery
        // walking past it to a parent directory's compose file.
        let found: Vec<&str> = DEFAULT_FILES
            .iter()
            .copied()
            .filter(|n| matches!(presence(&d.join(n)), Presence::File | Presence::Broken(_)))
            .collect();
        if let Some(first) = found.first() {
            if found.len() > 1 {
                warnings.push(Warning {
                    pos: None,
                    message: format!(
                        "Found multiple config files with supported names: {}\nUsing {first}",
                        found.join(", ")
                    ),
                });
            }
            let mut files = vec![clean(&text(&d.join(first)))];
            if let Some(over) = OVERRIDE_FILES.iter().find(|n| d.join(n).is_file()) {
                files.push(clean(&text(&d.join(over))));
            }
            return Some(files);
        }
        current = d.parent();
    }
    None
}

/// Reads env files in order; later files override earlier ones, the OS environment wins.
fn read_env_files(
    paths: &[String],
    os_env: &BTreeMap<String, String>,
    cwd: &Path,
    limits: &Limits,
) -> Result<BTreeMap<String, String>, LoadError> {
    let prefix = format!("{}/", text(cwd).trim_end_matches('/'));
    let mut values: BTreeMap<String, String> = BTreeMap::new();
    for path in paths {
        let shown = path.strip_prefix(&prefix).unwrap_or(path);
        let content =
            read_text(Path::new(path), limits.get(Limit::EnvFileBytes)).map_err(|err| {
                if err == ReadError::NotFound {
                    return LoadError::global(format!("couldn't find env file: {path}"))
                        .with_help("check the --env-file path");
                }
                let pos = err.position().map_or_else(
                    || Pos::file_only(shown),
                    |(line, col)| Pos::new(shown.into(), line, col),
                );
                let message = err.message(shown, Limit::EnvFileBytes, limits);
                let err_help = err.help(Limit::EnvFileBytes, limits);
                let err = LoadError::at(pos, "", message);
                match err_help {
                    Some(help) => err.with_help(help),
                    None => err,
                }
            })?;
        let mut lookup = values.clone();
        lookup.extend(os_env.iter().map(|(k, v)| (k.clone(), v.clone())));
        let allowance = limits.get(Limit::ExpandedBytes);
        let parsed =
            dotenv::parse_within(&content, &lookup, false, limits, allowance).map_err(|e| {
                LoadError::at(
                    Pos::new(shown.into(), e.line as u32, 1),
                    "",
                    format!("invalid env file: {}", e.message),
                )
                .with_help("env files hold KEY=VALUE lines; quote values with spaces or #")
            })?;
        values.extend(parsed);
    }
    Ok(values)
}

fn flag(env: &BTreeMap<String, String>, key: &str) -> bool {
    env.get(key)
        .is_some_and(|v| matches!(v.to_ascii_lowercase().as_str(), "1" | "true" | "yes"))
}

/// Resolves files, project directory and environment, then loads the project.
pub fn load_project(req: &ProjectRequest) -> Result<Loaded, LoadError> {
    let mut warnings = Vec::new();
    let os_env = &req.os_env;
    let limits = Limits::from_lookup(|k| os_env.get(k).cloned()).map_err(|e| {
        let help = miette::Diagnostic::help(&e).map(|h| h.to_string());
        let err = LoadError::global(e.to_string());
        match help {
            Some(help) => err.with_help(help),
            None => err,
        }
    })?;
    // `.env` of the current directory may set COMPOSE_FILE / COMPOSE_PROFILES etc.
    let cwd_env_file = req.cwd.join(".env");
    let mut settings = os_env.clone();
    if req.env_files.is_empty()
        && !flag(os_env, "COMPOSE_DISABLE_ENV_FILE")
        && cwd_env_file.is_file()
    {
        for (k, v) in read_env_files(&[text(&cwd_env_file)], os_env, &req.cwd, &limits)? {
            settings.entry(k).or_insert(v);
        }
    }
    let from_compose_file_env =
        req.files.is_empty() && settings.get("COMPOSE_FILE").is_some_and(|v| !v.is_empty());
    let files: Vec<String> = if !req.files.is_empty() {
        req.files.iter().map(|f| absolute(&req.cwd, f)).collect()
    } else if let Some(list) = settings.get("COMPOSE_FILE").filter(|v| !v.is_empty()) {
        let sep = settings
            .get("COMPOSE_PATH_SEPARATOR")
            .cloned()
            .unwrap_or_else(|| ":".to_owned());
        list.split(sep.as_str())
            .filter(|s| !s.is_empty())
            .map(|f| absolute(&req.cwd, Path::new(f)))
            .collect()
    } else {
        let start = req
            .project_directory
            .as_ref()
            .map_or(req.cwd.clone(), |d| PathBuf::from(absolute(&req.cwd, d)));
        discover(&start, &mut warnings).ok_or_else(|| {
            LoadError::global(format!(
                "no configuration file provided: not found in {} or its parents",
                start.display()
            ))
            .with_help(format!(
                "create compose.yaml (devbox init writes one) or pass -f FILE; looked for {}",
                DEFAULT_FILES.join(", ")
            ))
        })?
    };
    for file in &files {
        match presence(Path::new(file)) {
            Presence::File => {}
            Presence::Broken(err) => {
                let limit = Limit::ComposeFileBytes;
                let help = err.help(limit, &limits).unwrap_or_default();
                return Err(LoadError::global(err.message(file, limit, &limits)).with_help(help));
            }
            Presence::Missing | Presence::Directory => {
                return Err(
                    LoadError::global(format!("open {file}: no such file or directory"))
                        .with_help("check the -f / COMPOSE_FILE path"),
                );
            }
        }
    }
    let working_dir = match &req.project_directory {
        Some(dir) => absolute(&req.cwd, dir),
        None => files
            .first()
            .map(|f| crate::domain::compose::source::parent_dir(f))
            .unwrap_or_else(|| text(&req.cwd)),
    };
    let env_files: Vec<String> = if !req.env_files.is_empty() {
        req.env_files
            .iter()
            .map(|f| absolute(&req.cwd, f))
            .collect()
    } else if let Some(list) = settings.get("COMPOSE_ENV_FILES").filter(|v| !v.is_empty()) {
        list.split(',')
            .map(|f| absolute(&req.cwd, Path::new(f.trim())))
            .collect()
    } else {
        // Docker Compose reads `.env` from the project directory, except when the files come
        // from COMPOSE_FILE (shell or ./.env) without --project-directory: then from the
        // directory it runs in (checked against docker compose 5.6.1).
        let env_dir = if from_compose_file_env && req.project_directory.is_none() {
            text(&req.cwd)
        } else {
            working_dir.clone()
        };
        let default = format!("{env_dir}/.env");
        if !flag(os_env, "COMPOSE_DISABLE_ENV_FILE") && Path::new(&default).is_file() {
            vec![default]
        } else {
            Vec::new()
        }
    };
    let mut environment = read_env_files(&env_files, os_env, &req.cwd, &limits)?;
    // The shell wins over env files (first source wins per key).
    environment.extend(os_env.iter().map(|(k, v)| (k.clone(), v.clone())));
    let opts = LoadOptions {
        working_dir,
        files,
        project_name: req.project_name.clone(),
        environment,
        profiles: req.profiles.clone(),
        home: os_env.get("HOME").cloned(),
        resolve_env_files: true,
        services: req.services.clone(),
        variables_only: req.variables_only,
        limits,
    };
    let mut loaded = load(&opts, &FsSource)?;
    warnings.append(&mut loaded.warnings);
    loaded.warnings = warnings;
    Ok(loaded)
}
