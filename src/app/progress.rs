//! A running operation's typed progress, folded into the Stack tab: each step shows in its
//! service's state column (`build: [2/4] RUN npm ci`, `web-1 healthy`) until the operation's
//! outcome clears it; warnings go to the feed.

use super::model::{FeedEntry, Model};
use crate::domain::progress::{Progress, Resource, Step};

/// Longest build line kept in the state column; the rest is in the build's own log.
const MAX_LINE: usize = 120;

pub fn apply(model: &mut Model, progress: Progress) {
    match progress {
        Progress::Step {
            service,
            resource,
            name,
            step,
            detail,
        } if !service.is_empty() => {
            if resource == Resource::Image && step != Step::Pulling {
                model.pulls.remove(&service);
            }
            let text = match resource {
                Resource::Image if step == Step::Building && !detail.is_empty() => {
                    format!("building image ({detail})")
                }
                Resource::Image => format!("{} image", word(step)),
                _ => format!("{name} {}", word(step)),
            };
            model.stack.set_progress(&service, Some(text));
        }
        // Networks and volumes belong to the stack, not a row.
        Progress::Step { .. } => {}
        Progress::PullLayer {
            service,
            layer,
            status,
            current,
            total,
            ..
        } => {
            let meter = model.pulls.entry(service.clone()).or_default();
            meter.update(&layer, &status, current, total);
            let line = meter.summary();
            model.stack.set_progress(&service, Some(line));
        }
        Progress::BuildLine { service, line } => {
            let line: String = line.chars().take(MAX_LINE).collect();
            model
                .stack
                .set_progress(&service, Some(format!("build: {line}")));
        }
        // A stop that outlives its signal says what it waits for.
        Progress::StopPending {
            service,
            signal,
            left,
            ..
        } => model.stack.set_progress(
            &service,
            Some(format!("stopping: {signal} sent, killed in {left} s")),
        ),
        Progress::HookLine {
            service,
            name,
            line,
        } => {
            // The feed keeps its own bound; what falls off is in the container's logs.
            let _ = model.feed.push(FeedEntry {
                service,
                text: format!("{name} -> {line}"),
                ok: true,
            });
        }
        Progress::Warning(text) => {
            let service = model.stack.project.clone();
            model.feed.push(FeedEntry {
                service,
                text,
                ok: true,
            });
        }
    }
}

fn word(step: Step) -> String {
    step.word().to_lowercase()
}
