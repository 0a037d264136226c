//! User actions run as tasks: saving logs, container start/stop/restart through the engine,
//! and the compose-level ones (up, down, rebuild, recreate, watch) by running this binary's own
//! subcommands in the background, so the TUI and the CLI share one implementation. A child's
//! output lines become progress in the Stack tab (or the watch feed).

use std::process::Stdio;

use bollard::Docker;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;
use tokio::sync::mpsc;

use super::Incoming;
use crate::app::{ContainerOp, FeedEntry, Msg, ServiceOp};
use crate::engine::container_ops::{self, Op};

async fn done(tx: &mpsc::Sender<Incoming>, what: String, outcome: Result<(), String>) {
    let _ = tx
        .send(Incoming::Msg(Msg::ActionDone { what, outcome }))
        .await;
}

/// Writes the saved logs atomically in the current folder.
pub async fn save(tx: mpsc::Sender<Incoming>, path: String, text: String) {
    let target = std::path::PathBuf::from(&path);
    let written =
        tokio::task::spawn_blocking(move || crate::fsio::write::write_atomic(&target, &text)).await;
    let outcome = match written {
        Ok(Ok(())) => Ok(()),
        Ok(Err(err)) => Err(err.to_string()),
        Err(err) => Err(err.to_string()),
    };
    done(&tx, format!("save logs to {path}"), outcome).await;
}

pub async fn container(
    tx: mpsc::Sender<Incoming>,
    docker: Docker,
    op: ContainerOp,
    service: String,
    ids: Vec<String>,
) {
    let (op, verb) = match op {
        ContainerOp::Start => (Op::Start, "start"),
        ContainerOp::Stop => (Op::Stop, "stop"),
        ContainerOp::Restart => (Op::Restart, "restart"),
    };
    let outcome = container_ops::apply(&docker, op, &ids).await;
    done(&tx, format!("{verb} {service}"), outcome).await;
}

pub async fn up(tx: mpsc::Sender<Incoming>, project: String) {
    let outcome = run_devbox(&tx, &project, None, &["up", "--detach"]).await;
    done(&tx, "up".into(), outcome).await;
}

pub async fn down(tx: mpsc::Sender<Incoming>, project: String) {
    let outcome = run_devbox(&tx, &project, None, &["down"]).await;
    done(&tx, "down".into(), outcome).await;
}

pub async fn service(tx: mpsc::Sender<Incoming>, project: String, op: ServiceOp, service: String) {
    let (flag, verb) = match op {
        ServiceOp::Rebuild => ("--build", "rebuild"),
        ServiceOp::Recreate => ("--force-recreate", "recreate"),
    };
    let args = ["up", "--detach", "--no-deps", flag, service.as_str()];
    let outcome = run_devbox(&tx, &project, Some(&service), &args).await;
    let _ = tx
        .send(Incoming::Msg(Msg::Progress {
            service: service.clone(),
            text: None,
        }))
        .await;
    done(&tx, format!("{verb} {service}"), outcome).await;
}

/// Runs `devbox watch` until the task is aborted (watch turned off, or the app quits: the child
/// is killed with the task). Each output line is one feed entry.
pub async fn watch(tx: mpsc::Sender<Incoming>, project: String) {
    let outcome = run_devbox(&tx, &project, None, &["watch"]).await;
    done(&tx, "watch".into(), outcome).await;
}

/// Runs `devbox <args>` with the terminal kept away from it (stdin null, output piped) and
/// forwards its output lines: as the service's progress when `service` is given, as watch feed
/// entries for `watch`, else as progress of the whole stack. The error is the last line of output.
async fn run_devbox(
    tx: &mpsc::Sender<Incoming>,
    project: &str,
    service: Option<&str>,
    args: &[&str],
) -> Result<(), String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find the devbox binary: {e}"))?;
    let mut child = Command::new(exe)
        .args(args)
        .env("NO_COLOR", "1")
        .env(crate::error::PLAIN_ERRORS_ENV, "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| format!("could not run `devbox {}`: {e}", args.join(" ")))?;
    let (Some(stdout), Some(stderr)) = (child.stdout.take(), child.stderr.take()) else {
        return Err("the child's output could not be read".into());
    };
    let mut out = BufReader::new(stdout).lines();
    let mut err = BufReader::new(stderr).lines();
    // The last lines, to explain a failure.
    let mut tail: Vec<String> = Vec::new();
    let (mut out_open, mut err_open) = (true, true);
    while out_open || err_open {
        let line = tokio::select! {
            l = out.next_line(), if out_open => l.ok().flatten().or_else(|| { out_open = false; None }),
            l = err.next_line(), if err_open => l.ok().flatten().or_else(|| { err_open = false; None }),
        };
        let Some(line) = line.map(|l| l.trim().to_owned()).filter(|l| !l.is_empty()) else {
            continue;
        };
        if tail.len() == 50 {
            tail.remove(0);
        }
        tail.push(line.clone());
        let msg = if args.first() == Some(&"watch") {
            Msg::WatchActivity(FeedEntry {
                service: line_service(&line).unwrap_or(project).to_owned(),
                text: line.clone(),
                ok: !line.to_lowercase().contains("error") && !line.contains("failed"),
            })
        } else {
            Msg::Progress {
                service: service
                    .unwrap_or_else(|| line_service(&line).unwrap_or(""))
                    .to_owned(),
                text: Some(line),
            }
        };
        if tx.send(Incoming::Msg(msg)).await.is_err() {
            break;
        }
    }
    let status = child.wait().await.map_err(|e| e.to_string())?;
    if status.success() {
        Ok(())
    } else if tail.is_empty() {
        Err(format!("`devbox {}` ended with {status}", args.join(" ")))
    } else {
        Err(failure_message(&tail))
    }
}

/// The error of a failed child: its `error: …` line (see `PLAIN_ERRORS_ENV`), else miette's
/// `× message` with its `│` continuation lines, else the last line. The help is the CLI's
/// business, except that it is kept after the message when it names what to do.
fn failure_message(tail: &[String]) -> String {
    if let Some(at) = tail.iter().rposition(|l| l.starts_with("error: ")) {
        let mut message = tail[at].trim_start_matches("error: ").to_owned();
        for line in &tail[at + 1..] {
            if let Some(cause) = line.strip_prefix("caused by: ") {
                message.push_str(&format!(": {cause}"));
            } else if let Some(help) = line.strip_prefix("help: ") {
                message.push_str(&format!(" — {help}"));
            }
        }
        return message;
    }
    let Some(start) = tail.iter().rposition(|l| l.starts_with('×')) else {
        return tail.last().cloned().unwrap_or_default();
    };
    let mut message = tail[start].trim_start_matches('×').trim().to_owned();
    for line in tail[start + 1..].iter().take_while(|l| l.starts_with('│')) {
        message.push(' ');
        message.push_str(line.trim_start_matches('│').trim());
    }
    message
}

/// The service a progress line is about, when it starts with one (`web  Building`).
fn line_service(line: &str) -> Option<&str> {
    line.split_whitespace().next()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failure_message_takes_the_diagnostic_not_its_help() {
        let tail: Vec<String> = [
            "devbox::up::image",
            "× service \"web\": image nosuch/image:1 is not available locally and could not",
            "│ be pulled: no such host",
            "help: check the image name in the compose file (typo?), log in to the",
            "registry (`docker login`), or build it locally (`build:`)",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            failure_message(&tail),
            "service \"web\": image nosuch/image:1 is not available locally and could not be pulled: no such host"
        );
        assert_eq!(failure_message(&["plain".to_owned()]), "plain");
        let plain: Vec<String> = [
            " app build: [internal] load metadata for docker.io/library/node:22.12-slim",
            "error: building service \"app\" failed: its base image docker.io/library/node:22.12-slim could not be pulled: dial tcp: no such host",
            "help: check the network",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            failure_message(&plain),
            "building service \"app\" failed: its base image docker.io/library/node:22.12-slim could not be pulled: dial tcp: no such host — check the network"
        );
    }
}
