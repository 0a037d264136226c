//! The file-watching edge (notify): directory registration that skips ignored trees, OS limit
//! handling with a polling fallback, a bounded channel, and batching with a hard latency cap.

pub mod batch;
pub mod watcher;

pub use batch::{BatchTiming, Batcher};
pub use watcher::{FileWatcher, LimitHit, WatchError, WatchOptions, WatchStats, stat_change};
