//! Project options shared by every command that reads the compose project (`-f`, `-p`,
//! `--profile`, `--env-file`, `--project-directory`), and the one function that loads it.

use std::path::PathBuf;

use crate::domain::compose::{Loaded, Warning};
use crate::fsio::compose::{self, ProjectRequest};

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

impl ProjectArgs {
    /// The loader request for these options in the current directory and environment.
    pub fn request(&self) -> Result<ProjectRequest, miette::Report> {
        let mut req = ProjectRequest::from_process().map_err(miette::Report::new)?;
        req.files = self.files.clone();
        req.project_name = self.project_name.clone();
        req.profiles = self
            .profiles
            .iter()
            .flat_map(|p| p.split(','))
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_owned)
            .collect();
        req.env_files = self.env_files.clone();
        req.project_directory = self.project_directory.clone();
        Ok(req)
    }
}

/// Loads the compose project the way Docker Compose would. Warnings are returned in
/// `Loaded::warnings`; print them with `print_warnings` (commands decide where output goes).
pub fn load_project(args: &ProjectArgs) -> Result<Loaded, miette::Report> {
    let req = args.request()?;
    compose::load_project(&req).map_err(miette::Report::new)
}

/// Prints loader warnings to stderr, one per line.
pub fn print_warnings(warnings: &[Warning]) {
    for warning in warnings {
        crate::errln!("warning: {warning}");
    }
}
