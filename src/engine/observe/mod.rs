//! Streams from the engine: a project's typed container events (what `up` waits on), logs,
//! stats and cgroup readings, and the dashboard's feed of one project.

pub mod cgroup;
pub mod events;
pub mod feed;
pub mod logs;
pub mod projects;
pub mod stats;
