//! Stats and logs streams of one container for the TUI: a streaming stats request per running
//! container (the engine samples about once a second and shares the sample between
//! subscribers), and a followed log stream split into lines.

use bollard::Docker;
use bollard::container::LogOutput;
use bollard::models::ContainerStatsResponse;
use bollard::query_parameters::{LogsOptions, StatsOptions};
use futures_util::{Stream, StreamExt};

use super::feed::StreamEnded;
use crate::domain::stack::{IoCounters, StatsSample, rfc3339_unix};

/// Lines of history fetched when a container's logs are first followed; more would stall the
/// first frame on a container that has printed millions of lines.
pub const LOG_TAIL: &str = "1000";

/// Stats frames of a running container until it stops (the stream then ends) or the engine
/// goes away (an error).
pub fn stats(
    docker: &Docker,
    id: &str,
) -> impl Stream<Item = Result<StatsSample, StreamEnded>> + use<> {
    let options = StatsOptions {
        stream: true,
        one_shot: false,
    };
    docker
        .stats(id, Some(options))
        .map(|frame| frame.map(|f| convert_stats(&f)).map_err(StreamEnded::from))
}

/// The figures of one stats frame.
pub fn convert_stats(f: &ContainerStatsResponse) -> StatsSample {
    let cpu = f.cpu_stats.as_ref();
    let pre = f.precpu_stats.as_ref();
    let usage = |c: Option<&bollard::models::ContainerCpuStats>| {
        c.and_then(|c| c.cpu_usage.as_ref())
            .and_then(|u| u.total_usage)
            .unwrap_or(0)
    };
    let mem = f.memory_stats.as_ref();
    let mem_stat = |key: &str| {
        mem.and_then(|m| m.stats.as_ref())
            .and_then(|s| s.get(key).copied())
    };
    StatsSample {
        read_unix: f.read.map(|r| r.unix_timestamp()).unwrap_or(0),
        cpu_total: usage(cpu),
        cpu_system: cpu.and_then(|c| c.system_cpu_usage),
        precpu_total: usage(pre),
        precpu_system: pre.and_then(|c| c.system_cpu_usage),
        online_cpus: cpu.and_then(|c| c.online_cpus).unwrap_or(0),
        percpu_len: cpu
            .and_then(|c| c.cpu_usage.as_ref())
            .and_then(|u| u.percpu_usage.as_ref())
            .map_or(0, |p| p.len() as u32),
        mem_usage: mem.and_then(|m| m.usage),
        mem_total_inactive_file: mem_stat("total_inactive_file"),
        mem_inactive_file: mem_stat("inactive_file"),
        mem_limit: mem.and_then(|m| m.limit),
        read_ms: f
            .read
            .map(|r| i64::try_from(r.unix_timestamp_nanos() / 1_000_000).unwrap_or(0))
            .unwrap_or(0),
        io: io_counters(f),
    }
}

/// Network bytes summed over the container's interfaces, block bytes over its devices (the
/// op is `Read`/`Write` on cgroup v1 and `read`/`write` on v2).
fn io_counters(f: &ContainerStatsResponse) -> IoCounters {
    let networks = f.networks.as_ref();
    let net = |pick: fn(&bollard::models::ContainerNetworkStats) -> Option<u64>| {
        networks.map(|n| n.values().filter_map(pick).sum())
    };
    let entries = f
        .blkio_stats
        .as_ref()
        .and_then(|b| b.io_service_bytes_recursive.as_ref());
    let blk = |op: &str| {
        entries.map(|e| {
            e.iter()
                .filter(|x| x.op.as_deref().is_some_and(|o| o.eq_ignore_ascii_case(op)))
                .filter_map(|x| x.value)
                .sum()
        })
    };
    IoCounters {
        net_rx: net(|n| n.rx_bytes),
        net_tx: net(|n| n.tx_bytes),
        blk_read: blk("read"),
        blk_write: blk("write"),
    }
}

/// One log line: the engine's timestamp, the text without its newline, and whether it came on
/// stderr.
pub type LogRecord = (Option<String>, String, bool);

/// A container's logs, followed: the last `LOG_TAIL` lines (or those after `since`, an RFC 3339
/// timestamp already shown, which is skipped), then new lines as they come. Ends when the
/// container stops.
pub fn logs(
    docker: &Docker,
    id: &str,
    since: Option<String>,
) -> impl Stream<Item = Result<LogRecord, StreamEnded>> + use<> {
    let since_unix = since.as_deref().and_then(rfc3339_unix);
    let options = LogsOptions {
        follow: true,
        stdout: true,
        stderr: true,
        since: since_unix.map_or(0, |s| i32::try_from(s).unwrap_or(i32::MAX)),
        until: 0,
        timestamps: true,
        tail: if since_unix.is_some() {
            "all".into()
        } else {
            LOG_TAIL.into()
        },
    };
    let mut partial = Splitter::default();
    docker.logs(id, Some(options)).flat_map(move |frame| {
        let records: Vec<Result<LogRecord, StreamEnded>> = match frame {
            Ok(output) => partial
                .feed(&output)
                .into_iter()
                // `since` is inclusive and in whole seconds: drop what was already shown.
                .filter(|(ts, _, _)| match (&since, ts) {
                    (Some(after), Some(ts)) => ts > after,
                    _ => true,
                })
                .map(Ok)
                .collect(),
            Err(err) => vec![Err(StreamEnded::from(err))],
        };
        futures_util::stream::iter(records)
    })
}

/// Splits log frames into lines. A TTY container's frames are arbitrary chunks, so a line may
/// span frames; other containers send one line per frame.
#[derive(Default)]
struct Splitter {
    pending: Vec<u8>,
}

impl Splitter {
    fn feed(&mut self, output: &LogOutput) -> Vec<LogRecord> {
        let (bytes, stderr) = match output {
            LogOutput::StdErr { message } => (message, true),
            LogOutput::StdOut { message }
            | LogOutput::Console { message }
            | LogOutput::StdIn { message } => (message, false),
        };
        self.pending.extend_from_slice(bytes);
        let mut out = Vec::new();
        while let Some(end) = self.pending.iter().position(|b| *b == b'\n') {
            let line: Vec<u8> = self.pending.drain(..=end).collect();
            let text = String::from_utf8_lossy(&line[..end]);
            let text = text.strip_suffix('\r').unwrap_or(&text);
            out.push(split_timestamp(text, stderr));
        }
        out
    }
}

/// `2026-11-27T00:00:10.123456789Z text` → (timestamp, text).
fn split_timestamp(line: &str, stderr: bool) -> LogRecord {
    match line.split_once(' ') {
        Some((ts, text)) if rfc3339_unix(ts).is_some() => {
            (Some(ts.to_owned()), text.to_owned(), stderr)
        }
        _ => (None, line.to_owned(), stderr),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;

    #[test]
    fn converts_a_cgroup_v1_frame() {
        let frame: ContainerStatsResponse = serde_json::from_str(
            r#"{"read":"2026-11-27T00:00:01.5Z","preread":"2026-11-27T00:00:00.5Z",
            "cpu_stats":{"cpu_usage":{"total_usage":3000,"percpu_usage":[1,2]},"system_cpu_usage":20000,"online_cpus":2},
            "precpu_stats":{"cpu_usage":{"total_usage":1000},"system_cpu_usage":10000},
            "memory_stats":{"usage":1000,"limit":8000,"stats":{"total_inactive_file":200}}}"#,
        )
        .unwrap();
        let s = convert_stats(&frame);
        assert_eq!(s.read_unix, 1_795_737_601);
        assert!((crate::domain::stack::cpu_percent(&s) - 40.0).abs() < 1e-9);
        assert_eq!(crate::domain::stack::memory_used(&s), Some(800));
        assert_eq!((s.percpu_len, s.mem_limit), (2, Some(8000)));
    }

    #[test]
    fn splits_frames_into_timestamped_lines() {
        let mut s = Splitter::default();
        let out = s.feed(&LogOutput::Console {
            message: Bytes::from(
                "2026-11-27T00:00:10.000000001Z hello\r\n2026-11-27T00:00:10.000000002Z par",
            ),
        });
        assert_eq!(
            out,
            vec![(
                Some("2026-11-27T00:00:10.000000001Z".into()),
                "hello".into(),
                false
            )]
        );
        let out = s.feed(&LogOutput::StdErr {
            message: Bytes::from("tial\nplain line\n"),
        });
        assert_eq!(
            out,
            vec![
                (
                    Some("2026-11-27T00:00:10.000000002Z".into()),
                    "partial".into(),
                    true
                ),
                (None, "plain line".into(), true),
            ]
        );
    }
}
