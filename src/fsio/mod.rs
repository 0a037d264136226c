//! The file-system edge: atomic writes with backups, project scans, compose file reading, and
//! reading inputs under their size limits.

pub mod compose;
pub mod input;
pub mod scan;
pub mod write;
