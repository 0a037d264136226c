//! The Docker Engine API edge (bollard): connecting, and everything that talks to the engine.

pub mod build;
pub mod cgroup;
pub mod client;
pub mod container_ops;
pub mod context;
pub mod converge;
pub mod convert;
pub mod create;
pub mod down;
pub mod endpoint;
pub mod error;
pub mod events;
pub mod images;
pub mod labels;
pub mod logs;
pub mod mounts;
pub mod progress;
pub mod resources;
pub mod size;
pub mod start;
pub mod state;
pub mod stats;
pub mod sync;
pub mod up;
pub mod wait;
pub mod watch_stack;
