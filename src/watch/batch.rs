//! When to cut a batch: an isolated change goes out after a short quiet window, a burst is
//! coalesced, and no change waits longer than a hard cap even under a steady stream (Compose
//! waits for 500 ms of quiet with no upper bound). Time is passed in, so this is testable.

use std::time::{Duration, Instant};

use indexmap::IndexSet;

/// Timing of the batcher.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchTiming {
    /// Quiet time after the last event before a batch is cut.
    pub quiet: Duration,
    /// The longest any change waits after it arrived in an empty batch.
    pub max_wait: Duration,
}

impl Default for BatchTiming {
    fn default() -> Self {
        // 10 ms covers an editor's write+rename pair; 250 ms bounds a branch switch's batches.
        BatchTiming {
            quiet: Duration::from_millis(10),
            max_wait: Duration::from_millis(250),
        }
    }
}

/// Distinct changed paths waiting to be cut into a batch, in arrival order.
#[derive(Debug)]
pub struct Batcher {
    timing: BatchTiming,
    pending: IndexSet<String>,
    first_at: Option<Instant>,
    last_at: Option<Instant>,
}

impl Batcher {
    pub fn new(timing: BatchTiming) -> Batcher {
        Batcher {
            timing,
            pending: IndexSet::new(),
            first_at: None,
            last_at: None,
        }
    }

    /// Adds a change seen at `at` (when the watcher saw it, not when it was read: a change
    /// that queued while the previous batch was being applied has already waited).
    pub fn push(&mut self, path: String, at: Instant) {
        self.pending.insert(path);
        self.first_at = Some(self.first_at.map_or(at, |first| first.min(at)));
        self.last_at = Some(self.last_at.map_or(at, |last| last.max(at)));
    }

    pub fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }

    /// When the pending batch is due: quiet after the last event, or the cap, whichever is
    /// first. `None` when nothing is pending.
    pub fn deadline(&self) -> Option<Instant> {
        let first = self.first_at?;
        let last = self.last_at.unwrap_or(first);
        Some((last + self.timing.quiet).min(first + self.timing.max_wait))
    }

    /// Cuts the batch if it is due at `now`.
    pub fn take_due(&mut self, now: Instant) -> Option<Vec<String>> {
        if self.deadline()? > now {
            return None;
        }
        self.first_at = None;
        self.last_at = None;
        Some(std::mem::take(&mut self.pending).into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn isolated_change_goes_after_the_quiet_window() {
        let t0 = Instant::now();
        let mut b = Batcher::new(BatchTiming::default());
        b.push("/p/a".into(), t0);
        assert_eq!(b.deadline(), Some(t0 + ms(10)));
        assert_eq!(b.take_due(t0 + ms(9)), None);
        assert_eq!(b.take_due(t0 + ms(10)), Some(vec!["/p/a".to_string()]));
        assert!(b.is_empty());
        assert_eq!(b.deadline(), None);
    }

    #[test]
    fn burst_is_coalesced_and_deduplicated() {
        let t0 = Instant::now();
        let mut b = Batcher::new(BatchTiming::default());
        for i in 0..50u64 {
            b.push(format!("/p/{}", i % 20), t0 + ms(i / 10));
        }
        assert_eq!(b.take_due(t0 + ms(10)), None);
        let batch = b.take_due(t0 + ms(14)).unwrap();
        assert_eq!(batch.len(), 20);
        assert_eq!(batch[0], "/p/0");
    }

    #[test]
    fn steady_stream_is_cut_at_the_cap() {
        let t0 = Instant::now();
        let mut b = Batcher::new(BatchTiming::default());
        let mut cut_at = None;
        for i in 0..1000u64 {
            let now = t0 + ms(i);
            b.push(format!("/p/{i}"), now);
            if let Some(batch) = b.take_due(now) {
                cut_at = Some((i, batch.len()));
                break;
            }
        }
        assert_eq!(cut_at, Some((250, 251)));
    }

    #[test]
    fn changes_that_queued_during_an_apply_are_due_at_once() {
        let t0 = Instant::now();
        let mut b = Batcher::new(BatchTiming::default());
        // Seen while the previous batch was applied (300 ms), read afterwards.
        b.push("/p/b".into(), t0 + ms(40));
        b.push("/p/a".into(), t0 + ms(5));
        assert_eq!(b.deadline(), Some(t0 + ms(50)));
        assert_eq!(b.take_due(t0 + ms(300)).map(|v| v.len()), Some(2));
        // A stream still going on is cut at the cap counted from its first change.
        b.push("/p/c".into(), t0 + ms(100));
        b.push("/p/d".into(), t0 + ms(345));
        assert_eq!(b.deadline(), Some(t0 + ms(350)));
    }
}
