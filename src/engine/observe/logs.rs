//! Log streams of several containers merged into one stream of lines tagged with the service
//! and container (for `devbox logs` and attached `devbox up`); partial frames are joined so a
//! line is never split between two prefixes.

use bollard::Docker;
use bollard::container::LogOutput;
use bollard::query_parameters::LogsOptions;
use futures_util::stream::{self, BoxStream, select_all};
use futures_util::{Stream, StreamExt};

use crate::engine::error::StackError;

/// One container to follow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogSource {
    pub service: String,
    pub name: String,
    pub id: String,
}

/// `logs` options with the engine's meaning.
#[derive(Debug, Clone, Default)]
pub struct LogOptions {
    pub follow: bool,
    /// `all` or a number of lines.
    pub tail: Option<String>,
    /// Unix seconds.
    pub since: Option<i64>,
    pub timestamps: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogKind {
    Stdout,
    Stderr,
}

/// One line of output (without its newline), or the end of a container's stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogEvent {
    Line {
        service: String,
        name: String,
        kind: LogKind,
        text: String,
    },
    Ended {
        service: String,
        name: String,
        error: Option<String>,
    },
}

/// Merges the log streams of `sources`, line by line, in arrival order.
pub fn merged_logs(
    docker: &Docker,
    sources: &[LogSource],
    options: &LogOptions,
) -> impl Stream<Item = LogEvent> + use<> {
    let streams: Vec<BoxStream<'static, LogEvent>> = sources
        .iter()
        .map(|source| container_lines(docker, source.clone(), options).boxed())
        .collect();
    select_all(streams)
}

fn container_lines(
    docker: &Docker,
    source: LogSource,
    options: &LogOptions,
) -> impl Stream<Item = LogEvent> + use<> {
    let opts = LogsOptions {
        follow: options.follow,
        stdout: true,
        stderr: true,
        since: options
            .since
            .map_or(0, |s| i32::try_from(s).unwrap_or(i32::MAX)),
        timestamps: options.timestamps,
        tail: options.tail.clone().unwrap_or_else(|| "all".to_owned()),
        ..LogsOptions::default()
    };
    let raw = docker.logs(&source.id, Some(opts));
    let service = source.service.clone();
    let name = source.name.clone();
    // Carry partial lines per stream kind until their newline arrives.
    let state = (raw.boxed(), String::new(), String::new(), false);
    stream::unfold(state, move |(mut raw, mut out_buf, mut err_buf, done)| {
        let service = service.clone();
        let name = name.clone();
        async move {
            if done {
                return None;
            }
            let mut events = Vec::new();
            match raw.next().await {
                Some(Ok(frame)) => {
                    let (kind, bytes) = match frame {
                        LogOutput::StdErr { message } => (LogKind::Stderr, message),
                        LogOutput::StdOut { message }
                        | LogOutput::Console { message }
                        | LogOutput::StdIn { message } => (LogKind::Stdout, message),
                    };
                    let buf = if kind == LogKind::Stderr {
                        &mut err_buf
                    } else {
                        &mut out_buf
                    };
                    buf.push_str(&String::from_utf8_lossy(&bytes));
                    while let Some(pos) = buf.find('\n') {
                        let line: String = buf.drain(..=pos).collect();
                        events.push(LogEvent::Line {
                            service: service.clone(),
                            name: name.clone(),
                            kind,
                            text: line.trim_end_matches(['\n', '\r']).to_owned(),
                        });
                    }
                    Some((stream::iter(events), (raw, out_buf, err_buf, false)))
                }
                other => {
                    for (kind, rest) in [(LogKind::Stdout, &out_buf), (LogKind::Stderr, &err_buf)] {
                        if !rest.is_empty() {
                            events.push(LogEvent::Line {
                                service: service.clone(),
                                name: name.clone(),
                                kind,
                                text: rest.clone(),
                            });
                        }
                    }
                    let error = match other {
                        Some(Err(e)) => Some(crate::engine::error::engine_message(&e)),
                        _ => None,
                    };
                    events.push(LogEvent::Ended {
                        service,
                        name,
                        error,
                    });
                    Some((
                        stream::iter(events),
                        (raw, String::new(), String::new(), true),
                    ))
                }
            }
        }
    })
    .flatten()
}

/// `--since`: a Unix timestamp, an RFC 3339 time (`2026-01-02T15:04:05Z`) or a duration
/// before `now` (`10m`, `1h30m`).
pub fn parse_since(text: &str, now_unix: i64) -> Result<i64, StackError> {
    let text = text.trim();
    if let Ok(n) = text.parse::<f64>() {
        return Ok(n as i64);
    }
    if let Some(d) = crate::domain::compose::model::Duration::parse(text) {
        return Ok(now_unix - i64::try_from(d.0.as_secs()).unwrap_or(i64::MAX / 2));
    }
    rfc3339(text).ok_or_else(|| StackError::Invalid {
        service: String::new(),
        message: format!("--since {text}: not a timestamp, RFC 3339 date or duration"),
        help: "use e.g. --since 10m, --since 2026-01-02T15:04:05Z or --since 1767366245".to_owned(),
    })
}

fn rfc3339(text: &str) -> Option<i64> {
    let (date, time) = text.split_once(['T', ' '])?;
    let mut d = date.split('-').map(|p| p.parse::<i64>());
    let (y, m, day) = (d.next()?.ok()?, d.next()?.ok()?, d.next()?.ok()?);
    let (clock, offset) = if let Some(c) = time.strip_suffix('Z') {
        (c, 0)
    } else if let Some(pos) = time.rfind(['+', '-']) {
        let (c, off) = time.split_at(pos);
        let sign = if off.starts_with('-') { -1 } else { 1 };
        let (hh, mm) = off[1..].split_once(':')?;
        (
            c,
            sign * (hh.parse::<i64>().ok()? * 3600 + mm.parse::<i64>().ok()? * 60),
        )
    } else {
        (time, 0)
    };
    let mut t = clock.split(':');
    let (hh, mm) = (
        t.next()?.parse::<i64>().ok()?,
        t.next()?.parse::<i64>().ok()?,
    );
    let ss = t.next().map_or(Some(0.0), |s| s.parse::<f64>().ok())? as i64;
    let days = crate::domain::stack::days_from_civil(y, m, day);
    Some(days * 86_400 + hh * 3600 + mm * 60 + ss - offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_accepts_durations_dates_and_timestamps() {
        let now = 1_767_366_245;
        assert_eq!(parse_since("10m", now).ok(), Some(now - 600));
        assert_eq!(parse_since("1767366000", now).ok(), Some(1_767_366_000));
        assert_eq!(
            parse_since("2026-01-02T15:04:05Z", now).ok(),
            Some(1_767_366_245)
        );
        assert_eq!(
            parse_since("2026-01-02T16:04:05+01:00", now).ok(),
            Some(1_767_366_245)
        );
        assert!(parse_since("yesterday", now).is_err());
    }
}
