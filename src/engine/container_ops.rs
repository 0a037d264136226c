//! Start, stop and restart of a service's containers for the TUI's action keys. Compose-level
//! operations (up, down, rebuild, recreate) belong to the stack engine.

use bollard::Docker;
use bollard::query_parameters::{RestartContainerOptions, StopContainerOptions};

/// What to do to each container.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Start,
    Stop,
    Restart,
}

/// Seconds a container gets to stop on SIGTERM before SIGKILL, as compose's default.
const STOP_TIMEOUT_SECS: i32 = 10;

/// Applies `op` to every container; the first failure names the container and the reason.
pub async fn apply(docker: &Docker, op: Op, ids: &[String]) -> Result<(), String> {
    for id in ids {
        let outcome = match op {
            Op::Start => docker.start_container(id, None).await,
            Op::Stop => {
                let options = StopContainerOptions {
                    signal: None,
                    t: Some(STOP_TIMEOUT_SECS),
                };
                docker.stop_container(id, Some(options)).await
            }
            Op::Restart => {
                let options = RestartContainerOptions {
                    signal: None,
                    t: Some(STOP_TIMEOUT_SECS),
                };
                docker.restart_container(id, Some(options)).await
            }
        };
        match outcome {
            Ok(()) => {}
            // Already in the asked state: the engine answers 304 Not Modified.
            Err(bollard::errors::Error::DockerResponseServerError {
                status_code: 304, ..
            }) => {}
            Err(err) => {
                let short = id.get(..12).unwrap_or(id);
                return Err(format!("container {short}: {err}"));
            }
        }
    }
    Ok(())
}
