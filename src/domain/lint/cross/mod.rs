//! Cross-file rules (DBX4xx): a compose service, the Dockerfile it builds and the build
//! context's .dockerignore checked against each other.

use super::compose::ComposeCtx;
use super::dockerfile::DockerfileCtx;
use super::dockerignore::IgnoreCtx;
use crate::domain::platform::LocalImages;

/// A compose service that builds an image: which files belong together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildLink {
    pub compose: usize,
    pub service: String,
    pub dockerfile: Option<usize>,
    pub ignore: Option<usize>,
    pub target: Option<String>,
    /// The context directory as written (for messages).
    pub context: String,
}

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
    /// The engine's local base images, when the caller asked the engine (DBX410).
    pub images: &'a LocalImages,
}

pub mod dbx401;
pub mod dbx402;
pub mod dbx403;
pub mod dbx404;
pub mod dbx405;
pub mod dbx406;
pub mod dbx407;
pub mod dbx408;
pub mod dbx409;
pub mod dbx410;

use crate::domain::compose::yaml::Node;
use crate::domain::dockerfile::Stage;

/// A compose service that builds from a parsed Dockerfile, with the stage it builds.
pub struct Built<'p, 'a> {
    pub link: &'p BuildLink,
    pub compose: &'p ComposeCtx<'a>,
    pub service: &'a Node,
    pub dockerfile_index: usize,
    pub dockerfile: &'p DockerfileCtx<'a>,
    /// `None` when `build.target` names no stage (DBX404).
    pub stage: Option<&'a Stage>,
}

impl<'a> ProjectCtx<'a> {
    /// Every build link whose compose file and Dockerfile both parsed.
    pub fn built(&self) -> Vec<Built<'_, 'a>> {
        self.builds
            .iter()
            .filter_map(|link| {
                let compose = self.composes.get(link.compose)?;
                let service = compose
                    .services()
                    .into_iter()
                    .find(|(n, _)| *n == link.service)?
                    .1;
                let index = link.dockerfile?;
                let dockerfile = self.dockerfiles.get(index)?.as_ref()?;
                let df: &'a crate::domain::dockerfile::Dockerfile = dockerfile.df;
                let stage = match &link.target {
                    Some(t) => df.stage_by_name(t),
                    None => df.stages.last(),
                };
                Some(Built {
                    link,
                    compose,
                    service,
                    dockerfile_index: index,
                    dockerfile,
                    stage,
                })
            })
            .collect()
    }
}

/// `./a/../b/` → `["b"]`; `None` when the path climbs out of its root.
pub(super) fn normalized(path: &str) -> Option<Vec<&str>> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts)
}
