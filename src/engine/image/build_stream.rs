//! One build request's response stream: progress lines for the reporter (BuildKit vertexes,
//! the classic builder's and Buildah's `Step` lines), and on failure the failing step with the
//! last lines of its output.

use std::collections::{BTreeMap, HashMap, VecDeque};

use bollard::Docker;
use bollard::models::{BuildInfo, BuildInfoAux};
use bollard::query_parameters::BuildImageOptions;
use futures_util::StreamExt;

use crate::engine::error::{StackError, engine_message};
use crate::engine::progress::{Progress, Reporter};

/// Streams one build and turns its output into progress; on failure keeps the failing step and
/// the last lines of its output.
pub async fn run_build(
    docker: &Docker,
    service: &str,
    options: BuildImageOptions,
    tar: Vec<u8>,
    reporter: &dyn Reporter,
) -> Result<(), StackError> {
    let name = service.to_owned();
    let mut stream = docker.build_image(options, None, Some(bollard::body_full(tar.into())));
    let mut trace = Trace::default();
    while let Some(item) = stream.next().await {
        match item {
            Ok(info) => trace.absorb(&name, info, reporter),
            Err(err) => {
                let message = engine_message(&err);
                let (step, tail) = trace.failure();
                return Err(StackError::build_failed(name, step, message, tail));
            }
        }
    }
    if let Some((step, message)) = trace.vertex_error.take() {
        let (_, tail) = trace.failure();
        return Err(StackError::build_failed(name, step, message, tail));
    }
    Ok(())
}

/// What the build printed, enough to explain a failure.
#[derive(Default)]
struct Trace {
    last_step: String,
    legacy_tail: VecDeque<String>,
    vertex_names: BTreeMap<String, String>,
    vertex_logs: HashMap<String, VecDeque<String>>,
    vertex_error: Option<(String, String)>,
    reported: std::collections::HashSet<String>,
}

const TAIL: usize = 20;

impl Trace {
    fn absorb(&mut self, service: &str, info: BuildInfo, reporter: &dyn Reporter) {
        if let Some(line) = info.stream.as_deref() {
            for l in line.lines().filter(|l| !l.trim().is_empty()) {
                let clean = strip_ansi(l);
                // `Step 2/4 :` from the classic builder, `STEP 2/4:` from Buildah (Podman).
                if clean.starts_with("Step ") || clean.starts_with("STEP ") {
                    self.last_step = clean.clone();
                    self.legacy_tail.clear();
                    reporter.report(Progress::BuildLine {
                        service: service.to_owned(),
                        line: clean.clone(),
                    });
                }
                push_tail(&mut self.legacy_tail, clean);
            }
        }
        if let Some(BuildInfoAux::BuildKit(status)) = info.aux {
            for v in status.vertexes {
                self.vertex_names.insert(v.digest.clone(), v.name.clone());
                if v.started.is_some() && self.reported.insert(v.digest.clone()) {
                    reporter.report(Progress::BuildLine {
                        service: service.to_owned(),
                        line: if v.cached {
                            format!("{} (cached)", v.name)
                        } else {
                            v.name.clone()
                        },
                    });
                }
                if !v.error.is_empty() && self.vertex_error.is_none() {
                    self.vertex_error = Some((v.name.clone(), v.error.clone()));
                    self.last_step = v.name.clone();
                    self.legacy_tail = self.vertex_logs.get(&v.digest).cloned().unwrap_or_default();
                }
            }
            for log in status.logs {
                let text = String::from_utf8_lossy(&log.msg).to_string();
                let tail = self.vertex_logs.entry(log.vertex.clone()).or_default();
                for l in text.lines().filter(|l| !l.trim().is_empty()) {
                    push_tail(tail, strip_ansi(l));
                }
            }
        }
    }

    fn failure(&self) -> (String, String) {
        let step = if self.last_step.is_empty() {
            "the start of the build".to_owned()
        } else {
            self.last_step.clone()
        };
        let mut tail: Vec<String> = self.legacy_tail.iter().cloned().collect();
        if let Some((name, _)) = &self.vertex_error
            && let Some((digest, _)) = self.vertex_names.iter().find(|(_, n)| *n == name)
            && let Some(logs) = self.vertex_logs.get(digest)
        {
            tail = logs.iter().cloned().collect();
        }
        (
            step,
            tail.iter()
                .map(|l| format!("  | {l}"))
                .collect::<Vec<_>>()
                .join("\n"),
        )
    }
}

fn push_tail(tail: &mut VecDeque<String>, line: String) {
    tail.push_back(line);
    while tail.len() > TAIL {
        tail.pop_front();
    }
}

/// Drops ANSI colour sequences (the legacy builder wraps RUN stderr in `ESC[91m`).
pub fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            chars.next();
            for n in chars.by_ref() {
                if n.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ansi_colours_are_stripped() {
        assert_eq!(strip_ansi("\u{1b}[91moops\u{1b}[0m"), "oops");
    }
}
