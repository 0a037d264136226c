//! Project options shared by every command that reads the compose project (`-f`, `-p`,
//! `--profile`, `--env-file`, `--project-directory`), and the one function that loads it.

use std::path::PathBuf;

/// Options that select and shape the compose project, with Docker Compose's names.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ProjectArgs {
    /// Compose configuration files (repeatable; default: discovered like Docker Compose).
    #[arg(short = 'f', long = "file", value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Project name (default: from `name:`, COMPOSE_PROJECT_NAME or the project directory).
    #[arg(short = 'p', long = "project-name", value_name = "NAME")]
    pub project_name: Option<String>,
    /// Profiles to enable (repeatable; also COMPOSE_PROFILES).
    #[arg(long = "profile", value_name = "PROFILE")]
    pub profiles: Vec<String>,
    /// Alternative environment files (repeatable; default: `.env` in the project directory).
    #[arg(long = "env-file", value_name = "PATH")]
    pub env_files: Vec<PathBuf>,
    /// Alternative working directory (default: the directory of the first compose file).
    #[arg(long = "project-directory", value_name = "PATH")]
    pub project_directory: Option<PathBuf>,
}
