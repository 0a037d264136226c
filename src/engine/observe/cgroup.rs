//! CPU and memory of a container on this machine read from its cgroup files, the same numbers
//! the engine's stats endpoint reports. A stats stream makes the engine sample the container
//! every second through containerd and its shim (measured here: ~0.35 s of engine CPU per
//! container-minute, as much as the app itself); reading a few files costs the engine nothing.
//! Only for a container whose cgroup path names its id (a local engine, same cgroup view);
//! anything else keeps the engine's stream.

use std::path::{Path, PathBuf};

use crate::domain::stack::{IoCounters, StatsSample};

/// Where one container's counters are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CgroupFiles {
    version: Version,
    cpu_dir: PathBuf,
    memory_dir: PathBuf,
    /// v1's blkio controller directory (v2 keeps io.stat with the rest).
    blkio_dir: Option<PathBuf>,
    /// `/proc/<pid>/net/dev`: the container's network namespace as its init process sees it.
    net_dev: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Version {
    V1,
    V2,
}

const ROOT: &str = "/sys/fs/cgroup";

/// Finds the cgroup of the container whose init process is `pid` (from inspect), checking
/// that the path names the container `id`: a remote engine's pid is some unrelated local
/// process, or none.
pub fn locate(id: &str, pid: i64) -> Option<CgroupFiles> {
    if pid <= 0 || id.len() < 12 {
        return None;
    }
    let text = std::fs::read_to_string(format!("/proc/{pid}/cgroup")).ok()?;
    let files = from_proc_cgroup(
        &text,
        Path::new(ROOT),
        Path::new(ROOT).join("cgroup.controllers").exists(),
    )?;
    let mut files = files;
    files.net_dev = PathBuf::from(format!("/proc/{pid}/net/dev"));
    let names_id = |dir: &Path| dir.to_string_lossy().contains(id);
    (names_id(&files.cpu_dir) && names_id(&files.memory_dir) && files.cpu_dir.is_dir())
        .then_some(files)
}

/// The directories named by `/proc/<pid>/cgroup` under `root`: the unified line `0::/path` on
/// cgroup v2, the `cpuacct` and `memory` controllers' lines on v1.
fn from_proc_cgroup(text: &str, root: &Path, unified: bool) -> Option<CgroupFiles> {
    let join = |sub: &str, path: &str| root.join(sub).join(path.trim_start_matches('/'));
    if unified {
        let path = text.lines().find_map(|l| l.strip_prefix("0::"))?;
        let dir = join("", path);
        return Some(CgroupFiles {
            version: Version::V2,
            cpu_dir: dir.clone(),
            memory_dir: dir,
            blkio_dir: None,
            net_dev: PathBuf::new(),
        });
    }
    let controller = |name: &str| {
        text.lines().find_map(|l| {
            let mut parts = l.splitn(3, ':');
            let (_, controllers, path) = (parts.next()?, parts.next()?, parts.next()?);
            controllers
                .split(',')
                .any(|c| c == name)
                .then(|| path.to_owned())
        })
    };
    Some(CgroupFiles {
        version: Version::V1,
        cpu_dir: join("cpuacct", &controller("cpuacct")?),
        memory_dir: join("memory", &controller("memory")?),
        blkio_dir: controller("blkio").map(|p| join("blkio", &p)),
        net_dev: PathBuf::new(),
    })
}

/// The container's counters now, with the previous sample's as `precpu` so the domain's CPU%
/// maths applies unchanged. `None` once the files are gone (the container stopped).
pub fn sample(files: &CgroupFiles, previous: Option<&StatsSample>) -> Option<StatsSample> {
    let read = |dir: &Path, name: &str| std::fs::read_to_string(dir.join(name)).ok();
    let (cpu_total, mem_usage, inactive, limit) = match files.version {
        Version::V2 => {
            let usec = stat_value(&read(&files.cpu_dir, "cpu.stat")?, "usage_usec")?;
            let stat = read(&files.memory_dir, "memory.stat").unwrap_or_default();
            (
                usec.saturating_mul(1000),
                number(&read(&files.memory_dir, "memory.current")?),
                stat_value(&stat, "inactive_file"),
                read(&files.memory_dir, "memory.max").and_then(|m| number(&m)),
            )
        }
        Version::V1 => {
            let stat = read(&files.memory_dir, "memory.stat").unwrap_or_default();
            (
                number(&read(&files.cpu_dir, "cpuacct.usage")?)?,
                number(&read(&files.memory_dir, "memory.usage_in_bytes")?),
                stat_value(&stat, "total_inactive_file"),
                read(&files.memory_dir, "memory.limit_in_bytes").and_then(|m| number(&m)),
            )
        }
    };
    let host = host_counters()?;
    // An unlimited cgroup reports a huge number (v1) or `max` (v2); the engine then reports
    // the host's memory, and so do we.
    let limit = match limit {
        Some(l) if l < host.memory => Some(l),
        _ => Some(host.memory),
    };
    let (v1_inactive, v2_inactive) = match files.version {
        Version::V1 => (inactive, None),
        Version::V2 => (None, inactive),
    };
    Some(StatsSample {
        read_unix: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX)),
        cpu_total,
        cpu_system: Some(host.cpu_ns),
        precpu_total: previous.map_or(0, |p| p.cpu_total),
        precpu_system: previous.and_then(|p| p.cpu_system),
        online_cpus: host.cpus,
        percpu_len: 0,
        mem_usage,
        mem_total_inactive_file: v1_inactive,
        mem_inactive_file: v2_inactive,
        mem_limit: limit,
        read_ms: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX)),
        io: io_counters(files),
    })
}

/// Block bytes from `io.stat` (v2: `rbytes=`/`wbytes=` per device) or
/// `blkio.throttle.io_service_bytes` (v1: `MAJ:MIN Read N`), network bytes from the namespace's
/// `net/dev` (every interface but loopback, as the engine counts them).
fn io_counters(files: &CgroupFiles) -> IoCounters {
    let (blk_read, blk_write) = match (&files.version, &files.blkio_dir) {
        (Version::V2, _) => std::fs::read_to_string(files.cpu_dir.join("io.stat"))
            .map(|t| (v2_io(&t, "rbytes="), v2_io(&t, "wbytes=")))
            .unwrap_or_default(),
        (Version::V1, Some(dir)) => {
            std::fs::read_to_string(dir.join("blkio.throttle.io_service_bytes"))
                .map(|t| (v1_io(&t, "Read"), v1_io(&t, "Write")))
                .unwrap_or_default()
        }
        (Version::V1, None) => (None, None),
    };
    let (net_rx, net_tx) = std::fs::read_to_string(&files.net_dev)
        .ok()
        .map(|t| net_dev(&t))
        .unwrap_or_default();
    IoCounters {
        net_rx,
        net_tx,
        blk_read,
        blk_write,
    }
}

fn v2_io(text: &str, key: &str) -> Option<u64> {
    Some(
        text.split_whitespace()
            .filter_map(|w| w.strip_prefix(key))
            .filter_map(|n| n.parse::<u64>().ok())
            .sum(),
    )
}

fn v1_io(text: &str, op: &str) -> Option<u64> {
    Some(
        text.lines()
            .filter_map(|l| {
                let mut words = l.split_whitespace();
                let (_, kind, n) = (words.next()?, words.next()?, words.next()?);
                (kind == op).then(|| n.parse::<u64>().ok()).flatten()
            })
            .sum(),
    )
}

/// Received and sent bytes over every interface but `lo` in a `/proc/net/dev` table.
fn net_dev(text: &str) -> (Option<u64>, Option<u64>) {
    let (mut rx, mut tx, mut seen) = (0u64, 0u64, false);
    for line in text.lines().skip(2) {
        let Some((name, counters)) = line.split_once(':') else {
            continue;
        };
        if name.trim() == "lo" {
            continue;
        }
        let numbers: Vec<u64> = counters
            .split_whitespace()
            .filter_map(|n| n.parse().ok())
            .collect();
        if let (Some(r), Some(t)) = (numbers.first(), numbers.get(8)) {
            rx = rx.saturating_add(*r);
            tx = tx.saturating_add(*t);
            seen = true;
        }
    }
    if seen {
        (Some(rx), Some(tx))
    } else {
        (None, None)
    }
}

fn number(text: &str) -> Option<u64> {
    text.trim().parse().ok()
}

/// A `key value` line of a flat-keyed cgroup file (`cpu.stat`, `memory.stat`).
fn stat_value(text: &str, key: &str) -> Option<u64> {
    text.lines().find_map(|l| {
        let (k, v) = l.split_once(' ')?;
        (k == key).then(|| v.trim().parse().ok()).flatten()
    })
}

struct Host {
    /// All CPU time since boot in ns, as the engine computes `system_cpu_usage`.
    cpu_ns: u64,
    cpus: u32,
    memory: u64,
}

fn host_counters() -> Option<Host> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let meminfo = std::fs::read_to_string("/proc/meminfo").ok()?;
    parse_host(&stat, &meminfo)
}

/// The engine's `system_cpu_usage`: the sum of the first `cpu` line's fields in clock ticks
/// (USER_HZ, 100 on Linux) as ns; `online_cpus`: the `cpuN` lines.
fn parse_host(stat: &str, meminfo: &str) -> Option<Host> {
    const NS_PER_TICK: u64 = 10_000_000;
    let total_ticks: u64 = stat
        .lines()
        .find(|l| l.starts_with("cpu "))?
        .split_whitespace()
        .skip(1)
        .take(8)
        .filter_map(|v| v.parse::<u64>().ok())
        .sum();
    let cpus = stat
        .lines()
        .filter(|l| l.starts_with("cpu") && l.as_bytes().get(3).is_some_and(u8::is_ascii_digit))
        .count();
    let memory_kib = meminfo.lines().find_map(|l| {
        l.strip_prefix("MemTotal:")?
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse::<u64>()
            .ok()
    })?;
    Some(Host {
        cpu_ns: total_ticks.saturating_mul(NS_PER_TICK),
        cpus: u32::try_from(cpus).unwrap_or(u32::MAX),
        memory: memory_kib.saturating_mul(1024),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    #[test]
    fn io_counters_from_v1_v2_and_net_dev() {
        let v2 =
            "8:0 rbytes=4096 wbytes=100 rios=1 wios=2 dbytes=0 dios=0\n8:16 rbytes=4 wbytes=0\n";
        assert_eq!(
            (v2_io(v2, "rbytes="), v2_io(v2, "wbytes=")),
            (Some(4100), Some(100))
        );
        let v1 = "8:0 Read 4096\n8:0 Write 512\n8:0 Sync 1\n8:0 Total 4608\nTotal 4608\n";
        assert_eq!(
            (v1_io(v1, "Read"), v1_io(v1, "Write")),
            (Some(4096), Some(512))
        );
        let dev = "Inter-|   Receive                                                |  Transmit\n face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n    lo:     100       1    0    0    0     0          0         0      100       1    0    0    0     0       0          0\n  eth0:    2048      10    0    0    0     0          0         0      512       4    0    0    0     0       0          0\n";
        assert_eq!(net_dev(dev), (Some(2048), Some(512)));
    }

    #[test]
    fn v1_paths_come_from_the_cpuacct_and_memory_lines() {
        let text = format!(
            "12:pids:/docker/{ID}\n4:cpu,cpuacct:/docker/{ID}\n9:memory:/docker/{ID}\n1:name=systemd:/docker/{ID}\n"
        );
        let files = from_proc_cgroup(&text, Path::new("/sys/fs/cgroup"), false).unwrap();
        assert_eq!(
            files.cpu_dir,
            Path::new(&format!("/sys/fs/cgroup/cpuacct/docker/{ID}"))
        );
        assert_eq!(
            files.memory_dir,
            Path::new(&format!("/sys/fs/cgroup/memory/docker/{ID}"))
        );
        assert_eq!(files.version, Version::V1);
    }

    #[test]
    fn v2_paths_come_from_the_unified_line() {
        let text = format!("0::/system.slice/docker-{ID}.scope\n");
        let files = from_proc_cgroup(&text, Path::new("/sys/fs/cgroup"), true).unwrap();
        assert_eq!(
            files.cpu_dir,
            Path::new(&format!("/sys/fs/cgroup/system.slice/docker-{ID}.scope"))
        );
        assert_eq!(files.version, Version::V2);
        assert!(from_proc_cgroup("1:name=systemd:/\n", Path::new("/x"), true).is_none());
    }

    #[test]
    fn a_process_outside_any_container_is_not_taken() {
        // Our own process: its cgroup does not name a container id.
        let pid = i64::from(std::process::id());
        assert!(locate(ID, pid).is_none());
        assert!(locate(ID, 0).is_none());
    }

    #[test]
    fn host_counters_as_the_engine_computes_them() {
        let stat = "cpu  100 2 30 400 5 0 6 0 0 0\ncpu0 50 1 15 200 2 0 3 0 0 0\ncpu1 50 1 15 200 3 0 3 0 0 0\nintr 1\n";
        let host = parse_host(stat, "MemTotal:       2048 kB\nMemFree: 1 kB\n").unwrap();
        assert_eq!(host.cpu_ns, 543 * 10_000_000);
        assert_eq!(host.cpus, 2);
        assert_eq!(host.memory, 2048 * 1024);
        assert_eq!(
            stat_value("usage_usec 42\nuser_usec 1\n", "usage_usec"),
            Some(42)
        );
        assert_eq!(stat_value("total_inactive_file 7\n", "inactive_file"), None);
    }
}
