//! The wizard's output (`Answers`, complete, printable as TOML) and input (`PartialAnswers`, from
//! flags or `--answers FILE.toml`; every field optional, unknown keys rejected).

use serde::{Deserialize, Serialize};

use super::tree::Leaf;
use crate::domain::detect::{Language, PackageManager, ServiceKind};

/// The final image's base, where the tree offers a choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Base {
    Distroless,
    Scratch,
    DebianSlim,
    DistrolessCc,
    Nginx,
    Caddy,
}

impl Base {
    pub const ALL: [Base; 6] = [
        Base::Distroless,
        Base::Scratch,
        Base::DebianSlim,
        Base::DistrolessCc,
        Base::Nginx,
        Base::Caddy,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Base::Distroless => "distroless",
            Base::Scratch => "scratch",
            Base::DebianSlim => "debian-slim",
            Base::DistrolessCc => "distroless-cc",
            Base::Nginx => "nginx",
            Base::Caddy => "caddy",
        }
    }

    pub fn parse(text: &str) -> Option<Base> {
        Self::ALL.into_iter().find(|b| b.as_str() == text.trim())
    }

    /// The language whose tree question offers this base.
    pub fn language(self) -> Language {
        match self {
            Base::Distroless | Base::Scratch => Language::Go,
            Base::DebianSlim | Base::DistrolessCc => Language::Rust,
            Base::Nginx | Base::Caddy => Language::Static,
        }
    }

    /// Whether the final image has a shell (and so can run `sh -c` probes).
    pub fn has_shell(self) -> bool {
        matches!(self, Base::DebianSlim | Base::Nginx | Base::Caddy)
    }
}

/// Services added next to the app in compose.yaml.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AddOn {
    Postgres,
    Redis,
    Mysql,
}

impl AddOn {
    pub const ALL: [AddOn; 3] = [AddOn::Postgres, AddOn::Redis, AddOn::Mysql];

    pub fn as_str(self) -> &'static str {
        match self {
            AddOn::Postgres => "postgres",
            AddOn::Redis => "redis",
            AddOn::Mysql => "mysql",
        }
    }

    pub fn parse(text: &str) -> Option<AddOn> {
        match text.trim().to_ascii_lowercase().as_str() {
            "postgres" | "postgresql" | "pg" => Some(AddOn::Postgres),
            "redis" => Some(AddOn::Redis),
            "mysql" => Some(AddOn::Mysql),
            _ => None,
        }
    }
}

/// Compose hardening options for the app service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SecurityOpt {
    NoNewPrivileges,
    CapDrop,
    ReadOnly,
}

impl SecurityOpt {
    pub const ALL: [SecurityOpt; 3] = [
        SecurityOpt::NoNewPrivileges,
        SecurityOpt::CapDrop,
        SecurityOpt::ReadOnly,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SecurityOpt::NoNewPrivileges => "no-new-privileges",
            SecurityOpt::CapDrop => "cap-drop",
            SecurityOpt::ReadOnly => "read-only",
        }
    }

    pub fn parse(text: &str) -> Option<SecurityOpt> {
        Self::ALL.into_iter().find(|s| s.as_str() == text.trim())
    }
}

/// Facts about the project the templates need: detected, overridable in `[project]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Project {
    /// Runtime/toolchain version used in the image tag ARG.
    pub version: String,
    /// Lockfile copied with the manifest (`None`: install without one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lockfile: Option<String>,
    /// Extra files the install step reads.
    pub install_extras: Vec<String>,
    /// Node: Yarn 2+ (Berry) installs, not Yarn 1's.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub yarn_berry: bool,
    /// Build command (empty without a build step).
    pub build_command: Vec<String>,
    /// Build output directory (or the site root of an unbuilt static site).
    pub build_output: String,
    /// Production command.
    pub entrypoint: Vec<String>,
    /// Development command (compose `development` target).
    pub dev_command: Vec<String>,
    /// Directory compose watch syncs.
    pub source_dir: String,
    /// Go main package.
    pub go_main: String,
    /// Binary name (Go/Rust).
    pub binary: String,
    /// Java: `spring-boot` or `quarkus` (the image layout); PHP: `laravel` or `symfony`; empty
    /// for a plain jar or PHP site.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub framework: String,
    /// Java: the class `java` starts in production; empty when the framework runs a jar.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub main_class: String,
    /// Java: the module directory that builds the application; empty for the root project.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub module: String,
    /// PHP: extensions the image adds (`pdo_pgsql`, `intl`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extensions: Vec<String>,
    /// Ruby: the gems the image is built around (`pg`, `bootsnap`, `propshaft`; `git` when a
    /// gem comes from a repository).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub gems: Vec<String>,
    /// Workspace member directories (Rust manifests copied before the source).
    pub workspace_members: Vec<String>,
    /// Files the production server reads besides the build output (Next.js `public/`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub runtime_files: Vec<String>,
    /// Python: a dev dependency group exists.
    pub dev_group: bool,
    /// Python server packages the commands run that the production dependencies lack
    /// (`gunicorn` for a Flask app listing only flask).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub server_packages: Vec<String>,
    /// Liveness endpoint path for HTTP services.
    pub health_path: String,
}

/// Everything the renderer needs: the answers to every question plus the project facts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Answers {
    /// The leaf of the tree; derived from the answers, printed only as a comment.
    #[serde(skip)]
    pub leaf: Leaf,
    pub language: Language,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub package_manager: Option<PackageManager>,
    pub build_step: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base: Option<Base>,
    pub port: u16,
    pub kind: ServiceKind,
    pub add_ons: Vec<AddOn>,
    pub security: Vec<SecurityOpt>,
    pub project: Project,
}

impl Answers {
    pub fn has(&self, opt: SecurityOpt) -> bool {
        self.security.contains(&opt)
    }

    /// TOML that `--answers` reads back, with the leaf as a comment.
    pub fn to_toml(&self) -> Result<String, toml::ser::Error> {
        let body = toml::to_string(self)?;
        Ok(format!(
            "# devbox init answers (leaf: {}); reuse with `devbox init --answers FILE`\n{body}",
            self.leaf.as_str()
        ))
    }
}

/// `[project]` overrides in an answers file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartialProject {
    pub version: Option<String>,
    pub lockfile: Option<String>,
    pub install_extras: Option<Vec<String>>,
    pub yarn_berry: Option<bool>,
    pub build_command: Option<Vec<String>>,
    pub build_output: Option<String>,
    pub entrypoint: Option<Vec<String>>,
    pub dev_command: Option<Vec<String>>,
    pub source_dir: Option<String>,
    pub go_main: Option<String>,
    pub binary: Option<String>,
    pub framework: Option<String>,
    pub main_class: Option<String>,
    pub module: Option<String>,
    pub extensions: Option<Vec<String>>,
    pub gems: Option<Vec<String>>,
    pub workspace_members: Option<Vec<String>>,
    pub runtime_files: Option<Vec<String>>,
    pub dev_group: Option<bool>,
    pub server_packages: Option<Vec<String>>,
    pub health_path: Option<String>,
}

/// Answers given up front (flags, `--answers FILE.toml`): each one skips its question.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartialAnswers {
    pub language: Option<Language>,
    pub package_manager: Option<PackageManager>,
    pub build_step: Option<bool>,
    pub base: Option<Base>,
    pub port: Option<u16>,
    pub kind: Option<ServiceKind>,
    pub add_ons: Option<Vec<AddOn>>,
    pub security: Option<Vec<SecurityOpt>>,
    #[serde(default)]
    pub project: PartialProject,
}

impl PartialAnswers {
    /// Fields of `other` win over fields of `self` (flags over the answers file).
    pub fn merged_with(mut self, other: PartialAnswers) -> PartialAnswers {
        macro_rules! take {
            ($($field:ident),*) => { $( if other.$field.is_some() { self.$field = other.$field; } )* };
        }
        take!(
            language,
            package_manager,
            build_step,
            base,
            port,
            kind,
            add_ons,
            security
        );
        let p = other.project;
        macro_rules! take_project {
            ($($field:ident),*) => { $( if p.$field.is_some() { self.project.$field = p.$field; } )* };
        }
        take_project!(
            version,
            lockfile,
            install_extras,
            yarn_berry,
            build_command,
            build_output,
            entrypoint,
            dev_command,
            source_dir,
            go_main,
            binary,
            framework,
            main_class,
            module,
            extensions,
            gems,
            workspace_members,
            runtime_files,
            dev_group,
            server_packages,
            health_path
        );
        self
    }
}
