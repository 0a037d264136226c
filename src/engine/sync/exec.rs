//! The engine-side execs of a sync: `rm -rf` with argv as root (the reference for deletions),
//! restarts, and running an exec to completion with its output as the error.

use bollard::Docker;
use bollard::exec::{CreateExecOptions, StartExecResults};
use bollard::query_parameters::RestartContainerOptions;
use futures_util::StreamExt;

use super::{SyncError, Target};

/// Restarts each container in turn; returns how many were restarted.
pub(super) async fn restart_all(
    docker: &Docker,
    containers: &[Target],
) -> Result<usize, SyncError> {
    for target in containers {
        docker
            .restart_container(&target.id, None::<RestartContainerOptions>)
            .await
            .map_err(|source| SyncError::Restart {
                container: target.name.clone(),
                source,
            })?;
    }
    Ok(containers.len())
}

/// `rm -rf <paths>` as root with argv (no shell), failing on a non-zero exit.
pub(super) async fn remove_paths(
    docker: &Docker,
    target: &Target,
    paths: &[String],
) -> Result<(), SyncError> {
    let mut cmd = vec!["rm".to_string(), "-rf".to_string(), "--".to_string()];
    cmd.extend(paths.iter().cloned());
    let options = CreateExecOptions {
        cmd: Some(cmd),
        user: Some("0".to_string()),
        attach_stdout: Some(true),
        attach_stderr: Some(true),
        ..CreateExecOptions::default()
    };
    run_exec(docker, target, options)
        .await
        .map_err(|message| SyncError::Delete {
            container: target.name.clone(),
            paths: paths.to_vec(),
            message,
        })
}

/// Runs an exec to completion; the error is its output and exit code.
pub(super) async fn run_exec(
    docker: &Docker,
    target: &Target,
    options: CreateExecOptions<String>,
) -> Result<(), String> {
    let exec = docker
        .create_exec(&target.id, options)
        .await
        .map_err(|e| e.to_string())?;
    let mut output = String::new();
    if let StartExecResults::Attached {
        output: mut stream, ..
    } = docker
        .start_exec(&exec.id, None)
        .await
        .map_err(|e| e.to_string())?
    {
        while let Some(chunk) = stream.next().await {
            output.push_str(&chunk.map_err(|e| e.to_string())?.to_string());
        }
    }
    let code = docker
        .inspect_exec(&exec.id)
        .await
        .map_err(|e| e.to_string())?
        .exit_code;
    match code {
        Some(0) => Ok(()),
        Some(code) => Err(format!("exit code {code}: {}", output.trim())),
        None => Err(format!("no exit code: {}", output.trim())),
    }
}
