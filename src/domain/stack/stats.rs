//! Stats maths, as `docker stats` does it: CPU% from the deltas between a frame and the one
//! before it, memory as usage minus inactive file pages.

/// The figures devbox keeps from one stats frame (converted from the engine's JSON by the edge).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatsSample {
    /// When the engine read the sample, Unix seconds.
    pub read_unix: i64,
    pub cpu_total: u64,
    pub cpu_system: Option<u64>,
    pub precpu_total: u64,
    pub precpu_system: Option<u64>,
    /// `online_cpus`; 0 when the engine did not say.
    pub online_cpus: u32,
    /// `len(percpu_usage)` (cgroup v1 only), used when `online_cpus` is 0.
    pub percpu_len: u32,
    pub mem_usage: Option<u64>,
    /// `stats.total_inactive_file` (cgroup v1).
    pub mem_total_inactive_file: Option<u64>,
    /// `stats.inactive_file` (cgroup v2).
    pub mem_inactive_file: Option<u64>,
    pub mem_limit: Option<u64>,
    /// When the sample was read, Unix milliseconds (rates need more than whole seconds).
    pub read_ms: i64,
    /// Cumulative network and block I/O bytes, when the source has them.
    pub io: IoCounters,
}

/// Cumulative bytes a container moved: received and sent on its networks, read from and
/// written to block devices.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IoCounters {
    pub net_rx: Option<u64>,
    pub net_tx: Option<u64>,
    pub blk_read: Option<u64>,
    pub blk_write: Option<u64>,
}

/// Bytes per second between two readings of the counters.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct IoRates {
    pub net_rx: Option<f64>,
    pub net_tx: Option<f64>,
    pub blk_read: Option<f64>,
    pub blk_write: Option<f64>,
}

/// The rates between `before` and `after` (read `ms` apart); `None` when no time passed. A
/// counter that went down (the container restarted) gives no rate for that counter.
pub fn io_rates(before: &IoCounters, after: &IoCounters, ms: i64) -> Option<IoRates> {
    if ms <= 0 {
        return None;
    }
    let rate = |a: Option<u64>, b: Option<u64>| match (a, b) {
        (Some(a), Some(b)) if b >= a => Some((b - a) as f64 * 1000.0 / ms as f64),
        _ => None,
    };
    Some(IoRates {
        net_rx: rate(before.net_rx, after.net_rx),
        net_tx: rate(before.net_tx, after.net_tx),
        blk_read: rate(before.blk_read, after.blk_read),
        blk_write: rate(before.blk_write, after.blk_write),
    })
}

/// CPU% where 100% is one core: `Δtotal / Δsystem × cpus × 100`, and 0 unless both deltas
/// are positive (the first frame of a stream has an empty `precpu_stats`).
pub fn cpu_percent(s: &StatsSample) -> f64 {
    let (Some(system), Some(presystem)) = (s.cpu_system, s.precpu_system) else {
        return 0.0;
    };
    let cpu_delta = s.cpu_total.saturating_sub(s.precpu_total);
    let system_delta = system.saturating_sub(presystem);
    if cpu_delta == 0 || system_delta == 0 || s.precpu_total == 0 && presystem == 0 {
        return 0.0;
    }
    let cpus = if s.online_cpus > 0 {
        s.online_cpus
    } else {
        s.percpu_len
    };
    cpu_delta as f64 / system_delta as f64 * f64::from(cpus) * 100.0
}

/// Memory in use as the CLI shows it: usage minus inactive file pages (v1 key if present and
/// below usage, else the v2 key).
pub fn memory_used(s: &StatsSample) -> Option<u64> {
    let usage = s.mem_usage?;
    if let Some(inactive) = s.mem_total_inactive_file
        && inactive < usage
    {
        return Some(usage - inactive);
    }
    if let Some(inactive) = s.mem_inactive_file
        && inactive < usage
    {
        return Some(usage - inactive);
    }
    Some(usage)
}

pub use crate::domain::format::human_bytes;

/// `45s`, `12m`, `3h04m`, `2d03h`: short enough for a table column.
pub fn human_duration(secs: i64) -> String {
    let secs = secs.max(0);
    match secs {
        0..60 => format!("{secs}s"),
        60..3600 => format!("{}m", secs / 60),
        3600..86400 => format!("{}h{:02}m", secs / 3600, secs % 3600 / 60),
        _ => format!("{}d{:02}h", secs / 86400, secs % 86400 / 3600),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> StatsSample {
        StatsSample {
            cpu_total: 2_000_000_000,
            precpu_total: 1_000_000_000,
            cpu_system: Some(20_000_000_000),
            precpu_system: Some(18_000_000_000),
            online_cpus: 2,
            ..StatsSample::default()
        }
    }

    #[test]
    fn io_rates_per_second_and_restarts() {
        let before = IoCounters {
            net_rx: Some(1000),
            net_tx: Some(500),
            blk_read: Some(4096),
            blk_write: None,
        };
        let after = IoCounters {
            net_rx: Some(3000),
            net_tx: Some(100),
            blk_read: Some(4096),
            blk_write: Some(10),
        };
        let r = io_rates(&before, &after, 500).unwrap();
        assert_eq!(r.net_rx, Some(4000.0));
        assert_eq!(r.net_tx, None, "a counter that went down");
        assert_eq!(r.blk_read, Some(0.0));
        assert_eq!(r.blk_write, None);
        assert!(io_rates(&before, &after, 0).is_none());
    }

    #[test]
    fn cpu_percent_is_delta_ratio_times_cpus() {
        // 1 s of CPU over 2 s of system time on 2 CPUs = one core = 100%.
        assert!((cpu_percent(&sample()) - 100.0).abs() < 1e-9);
    }

    #[test]
    fn cpu_percent_falls_back_to_percpu_len_and_is_zero_without_deltas() {
        let s = StatsSample {
            online_cpus: 0,
            percpu_len: 4,
            ..sample()
        };
        assert!((cpu_percent(&s) - 200.0).abs() < 1e-9);
        let first_frame = StatsSample {
            precpu_total: 0,
            precpu_system: None,
            ..sample()
        };
        assert_eq!(cpu_percent(&first_frame), 0.0);
        let idle = StatsSample {
            cpu_total: 1_000_000_000,
            ..sample()
        };
        assert_eq!(cpu_percent(&idle), 0.0);
    }

    #[test]
    fn memory_subtracts_inactive_file_v1_then_v2() {
        let mut s = StatsSample {
            mem_usage: Some(1000),
            mem_total_inactive_file: Some(300),
            mem_inactive_file: Some(100),
            ..StatsSample::default()
        };
        assert_eq!(memory_used(&s), Some(700));
        s.mem_total_inactive_file = Some(5000);
        assert_eq!(memory_used(&s), Some(900));
        s.mem_inactive_file = None;
        assert_eq!(memory_used(&s), Some(1000));
        s.mem_usage = None;
        assert_eq!(memory_used(&s), None);
    }

    #[test]
    fn human_units() {
        assert_eq!(human_bytes(512), "512 B");
        assert_eq!(human_bytes(1536), "1.5 KiB");
        assert_eq!(human_bytes(12 * 1024 * 1024), "12.0 MiB");
        assert_eq!(human_duration(45), "45s");
        assert_eq!(human_duration(754), "12m");
        assert_eq!(human_duration(3 * 3600 + 4 * 60), "3h04m");
        assert_eq!(human_duration(2 * 86400 + 3 * 3600), "2d03h");
        assert_eq!(human_duration(-5), "0s");
    }
}
