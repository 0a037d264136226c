//! /proc readings for the dashboard bench: CPU ticks and memory of a process, the engine's
//! processes (dockerd, containerd, the containers' shims), load average.

use std::collections::HashMap;
use std::process::Command;

pub fn env_or<T: std::str::FromStr>(key: &str, default: T) -> T {
    std::env::var(key)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

// ---------------------------------------------------------------------------------------------
// /proc accounting

/// Clock ticks per second for /proc/<pid>/stat; 100 on every Linux this runs on, asked anyway.
pub fn clk_tck() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
        .unwrap_or(100.0)
}

/// utime+stime+cutime+cstime of a process, in ticks: the children it reaped count too (runc
/// under a shim for every health probe, for instance).
pub fn cpu_ticks(pid: i32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name may hold spaces and parentheses: fields start after the last ')'.
    let rest = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // `rest` starts at field 3 (state); utime is field 14, cstime field 17.
    let sum = fields
        .get(11..15)?
        .iter()
        .map(|f| f.parse::<u64>().unwrap_or(0))
        .sum();
    Some(sum)
}

/// A `kB` line of /proc/<pid>/status, such as VmHWM (peak RSS) or VmRSS.
pub fn status_kib(pid: i32, key: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(key)?.strip_prefix(':'))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    Dockerd,
    Containerd,
    Shim,
}

pub const ROLES: [Role; 3] = [Role::Dockerd, Role::Containerd, Role::Shim];

/// CPU ticks of every engine process: dockerd, containerd, and the shims of our containers
/// (a shim of some other container — another run's — is not ours to charge).
pub fn engine_snapshot(container_ids: &[String]) -> HashMap<i32, (Role, u64)> {
    let mut out = HashMap::new();
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return out;
    };
    for entry in dir.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<i32>().ok())
        else {
            continue;
        };
        let Ok(comm) = std::fs::read_to_string(format!("/proc/{pid}/comm")) else {
            continue;
        };
        let role = match comm.trim() {
            "dockerd" => Role::Dockerd,
            "containerd" => Role::Containerd,
            c if c.starts_with("containerd-shim") => {
                let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
                let ours = cmdline
                    .split(|b| *b == 0)
                    .any(|arg| container_ids.iter().any(|id| id.as_bytes() == arg));
                if !ours {
                    continue;
                }
                Role::Shim
            }
            _ => continue,
        };
        if let Some(ticks) = cpu_ticks(pid) {
            out.insert(pid, (role, ticks));
        }
    }
    out
}

/// Engine CPU seconds per role between two snapshots; a process new since `start` counts whole.
pub fn engine_delta(
    start: &HashMap<i32, (Role, u64)>,
    end: &HashMap<i32, (Role, u64)>,
    tck: f64,
) -> [f64; 3] {
    let mut out = [0.0; 3];
    for (pid, (role, ticks)) in end {
        let before = start.get(pid).map_or(0, |(_, t)| *t);
        let i = ROLES.iter().position(|r| r == role).unwrap_or(0);
        out[i] += ticks.saturating_sub(before) as f64 / tck;
    }
    out
}

pub fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}
