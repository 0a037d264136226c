//! Stopping one container, the one way every operation does it (down, stop, restart, rm -s, a
//! recreate, scale-down, orphans, a network change, attached `up`'s Ctrl-C): the service's
//! `pre_stop` hooks when asked, the stop signal, and a report of what the stop waits for when
//! the container outlives its signal.

use std::time::Duration;

use bollard::Docker;
use bollard::query_parameters::StopContainerOptions;

use crate::domain::compose::Service;

use super::hooks::{self, Hook};
use super::state::Observed;
use crate::engine::error::{StackError, status_code};
use crate::engine::progress::{Progress, Reporter};

/// How long a stop may take before it is explained.
const EXPLAIN_AFTER: Duration = Duration::from_secs(1);
/// The engine's stop timeout when the container sets none.
const ENGINE_STOP_TIMEOUT: i64 = 10;

/// The container to stop, and the service it belongs to (for progress).
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub service: &'a str,
}

impl<'a> From<&'a Observed> for Target<'a> {
    fn from(c: &'a Observed) -> Self {
        Self {
            id: &c.id,
            name: &c.name,
            service: &c.service,
        }
    }
}

/// Stops a container after its service's `pre_stop` hooks (a failing one fails the stop, as in
/// Compose); when it is still running a second after the signal, reports what it waits for
/// ("SIGTERM sent, killed in 9 s"), so a PID 1 that ignores its signal is not a silent wait.
pub async fn stop(
    docker: &Docker,
    c: Target<'_>,
    service: Option<&Service>,
    timeout: Option<i32>,
    reporter: &dyn Reporter,
) -> Result<(), StackError> {
    if let Some(s) = service {
        hooks::run(docker, s, c.id, c.name, Hook::PreStop, reporter).await?;
    }
    let (signal, own_timeout) = match docker.inspect_container(c.id, None).await {
        Ok(inspect) => {
            let config = inspect.config.unwrap_or_default();
            (
                signal_name(config.stop_signal.as_deref().unwrap_or("SIGTERM")),
                config.stop_timeout,
            )
        }
        Err(e) if status_code(&e) == Some(404) => return Ok(()),
        Err(e) => return Err(StackError::engine(format!("inspecting {}", c.name), e)),
    };
    let seconds = timeout
        .map(i64::from)
        .or(own_timeout)
        .unwrap_or(ENGINE_STOP_TIMEOUT);
    let options = StopContainerOptions {
        t: timeout,
        signal: None,
    };
    let stopping = docker.stop_container(c.id, Some(options));
    tokio::pin!(stopping);
    let outcome = tokio::select! {
        outcome = &mut stopping => outcome,
        () = tokio::time::sleep(EXPLAIN_AFTER) => {
            let left = u64::try_from(seconds).unwrap_or(0).saturating_sub(EXPLAIN_AFTER.as_secs());
            reporter.report(Progress::StopPending {
                service: c.service.to_owned(),
                name: c.name.to_owned(),
                signal,
                left,
            });
            stopping.await
        }
    };
    match outcome {
        Ok(()) => Ok(()),
        Err(e) if matches!(status_code(&e), Some(304) | Some(404)) => Ok(()),
        Err(e) => Err(StackError::engine(format!("stopping {}", c.name), e)),
    }
}

/// The signal's name: Podman reports the stop signal as a number (`15`), Docker as a name.
fn signal_name(signal: &str) -> String {
    let name = match signal.trim() {
        "1" => "SIGHUP",
        "2" => "SIGINT",
        "3" => "SIGQUIT",
        "6" => "SIGABRT",
        "9" => "SIGKILL",
        "10" => "SIGUSR1",
        "12" => "SIGUSR2",
        "15" => "SIGTERM",
        "28" => "SIGWINCH",
        other => return other.to_owned(),
    };
    name.to_owned()
}

#[cfg(test)]
mod tests {
    #[test]
    fn numeric_signals_get_their_names() {
        assert_eq!(super::signal_name("15"), "SIGTERM");
        assert_eq!(super::signal_name("9"), "SIGKILL");
        assert_eq!(super::signal_name("SIGINT"), "SIGINT");
        assert_eq!(super::signal_name("SIGRTMIN+3"), "SIGRTMIN+3");
    }
}
