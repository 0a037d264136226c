//! The file-system edge: atomic writes with backups, project scans, compose file reading.

pub mod compose;
pub mod scan;
pub mod write;
