//! A service's lifecycle hooks, as Compose runs them: each `post_start` command after its
//! container started, each `pre_stop` command before the stop signal, exec'ed with the hook's
//! user, privileges, working directory and environment; their output is reported line by line
//! and a non-zero status fails the operation.

use bollard::Docker;
use bollard::exec::{CreateExecOptions, StartExecResults};
use futures_util::StreamExt;

use crate::domain::compose::Service;
use crate::domain::compose::model::ServiceHook;

use crate::engine::error::{StackError, status_code};
use crate::engine::progress::{Progress, Reporter};

/// Which hooks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hook {
    PostStart,
    PreStop,
}

impl Hook {
    pub fn key(self) -> &'static str {
        match self {
            Hook::PostStart => "post_start",
            Hook::PreStop => "pre_stop",
        }
    }
}

/// Runs the service's `which` hooks in container `id` (named `name`), in order.
pub async fn run(
    docker: &Docker,
    service: &Service,
    id: &str,
    name: &str,
    which: Hook,
    reporter: &dyn Reporter,
) -> Result<(), StackError> {
    let hooks = match which {
        Hook::PostStart => &service.post_start,
        Hook::PreStop => &service.pre_stop,
    };
    for hook in hooks {
        run_one(docker, service, id, name, which, hook, reporter).await?;
    }
    Ok(())
}

async fn run_one(
    docker: &Docker,
    service: &Service,
    id: &str,
    name: &str,
    which: Hook,
    hook: &ServiceHook,
    reporter: &dyn Reporter,
) -> Result<(), StackError> {
    let what = || format!("running the {} hook of {name}", which.key());
    let mut env: Vec<String> = hook
        .environment
        .iter()
        .map(|(k, v)| match v {
            Some(v) => format!("{k}={v}"),
            None => k.clone(),
        })
        .collect();
    env.sort();
    let options = CreateExecOptions {
        cmd: hook.command.clone(),
        user: (!hook.user.is_empty()).then(|| hook.user.clone()),
        working_dir: (!hook.working_dir.is_empty()).then(|| hook.working_dir.clone()),
        privileged: Some(hook.privileged),
        env: (!env.is_empty()).then_some(env),
        tty: Some(service.tty),
        attach_stdout: Some(true),
        attach_stderr: Some(true),
        ..CreateExecOptions::default()
    };
    let exec = match docker.create_exec(id, options).await {
        Ok(exec) => exec,
        // A container already gone or stopped has nothing to run a pre_stop in (Compose too
        // lets the stop go on).
        Err(e) if which == Hook::PreStop && matches!(status_code(&e), Some(404 | 409)) => {
            return Ok(());
        }
        Err(e) => return Err(StackError::engine(what(), e)),
    };
    let started = docker
        .start_exec(&exec.id, None)
        .await
        .map_err(|e| StackError::engine(what(), e))?;
    if let StartExecResults::Attached { mut output, .. } = started {
        let mut pending = String::new();
        while let Some(chunk) = output.next().await {
            let chunk = chunk.map_err(|e| StackError::engine(what(), e))?;
            pending.push_str(&String::from_utf8_lossy(&chunk.into_bytes()));
            while let Some(end) = pending.find('\n') {
                let line: String = pending.drain(..=end).collect();
                report_line(reporter, service, name, line.trim_end());
            }
        }
        if !pending.is_empty() {
            report_line(reporter, service, name, pending.trim_end());
        }
    }
    let status = docker
        .inspect_exec(&exec.id)
        .await
        .map_err(|e| StackError::engine(what(), e))?
        .exit_code
        .unwrap_or(0);
    if status != 0 {
        return Err(StackError::Hook {
            service: service.name.to_string(),
            container: name.to_owned(),
            hook: which.key(),
            status,
        });
    }
    Ok(())
}

fn report_line(reporter: &dyn Reporter, service: &Service, name: &str, line: &str) {
    reporter.report(Progress::HookLine {
        service: service.name.to_string(),
        name: name.to_owned(),
        line: line.to_owned(),
    });
}
