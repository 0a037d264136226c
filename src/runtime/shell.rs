//! An interactive shell in a container: the app leaves the alternate screen and raw mode, the
//! Docker CLI runs `exec -it` on the real terminal (on an `ssh://` engine, the remote host's CLI
//! through devbox's own ssh command, so the same key, port and `DEVBOX_SSH_OPTS` apply), and
//! the app takes the terminal back.

use std::process::Command;

use super::terminal;
use crate::engine::connect::ssh::SshTarget;

/// The shell to run: bash when the image has it, else sh.
const SHELL: &str = "command -v bash >/dev/null 2>&1 && exec bash || exec sh";

/// `docker exec -it`, here or (for an ssh endpoint) on the engine's host.
fn shell_command(id: &str) -> Command {
    let ssh = crate::engine::connect::client::resolve_endpoint()
        .ok()
        .and_then(|e| SshTarget::parse(&e.host));
    match ssh {
        Some(target) => {
            let mut command = Command::new("ssh");
            // The remote shell parses the command line again: the script is quoted once.
            let remote = format!("docker exec -it {id} sh -c '{SHELL}'");
            command.args(target.args(true)).arg(remote);
            command
        }
        None => {
            let mut command = Command::new("docker");
            command.args(["exec", "-it", id, "sh", "-c", SHELL]);
            command
        }
    }
}

/// Runs the shell with the terminal handed over; returns what to tell the user afterwards.
/// Blocking: call it while no task reads the terminal.
pub fn run(term: &mut terminal::Term, id: &str, name: &str) -> Result<(), String> {
    terminal::suspend();
    // The terminal is the user's again; if it is gone, the shell will say so.
    let _ = crate::outln!("devbox: shell in {name} (exit or Ctrl-D to come back)\r");
    let status = shell_command(id).status();
    let resumed = terminal::resume(term);
    let outcome = match status {
        Ok(status) if status.success() || status.code() == Some(130) => Ok(()),
        Ok(status) => Err(format!(
            "the shell in {name} ended with {status}; `docker exec -it {name} sh` runs it by hand"
        )),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Err(format!(
            "the docker CLI is not on PATH; install it to open shells, or run a shell in {name} from another terminal"
        )),
        Err(err) => Err(format!("could not run the docker CLI: {err}")),
    };
    resumed.map_err(|e| e.to_string())?;
    outcome
}
