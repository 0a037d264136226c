//! Cross-file rules (DBX4xx): a compose service, the Dockerfile it builds and the build
//! context's .dockerignore checked against each other.

use super::compose::ComposeCtx;
use super::dockerfile::DockerfileCtx;
use super::dockerignore::IgnoreCtx;
use super::project::BuildLink;

/// Everything parsed in a project, for rules that compare files.
#[derive(Debug)]
pub struct ProjectCtx<'a> {
    /// Parsed Dockerfiles (`None` when a file did not parse: DBX100 covers it).
    pub dockerfiles: Vec<Option<DockerfileCtx<'a>>>,
    pub composes: Vec<ComposeCtx<'a>>,
    pub ignores: Vec<IgnoreCtx<'a>>,
    pub builds: &'a [BuildLink],
    /// For each Dockerfile, the .dockerignore of its context (index into `ignores`).
    pub dockerfile_ignore: Vec<Option<usize>>,
}
