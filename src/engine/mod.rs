//! The Docker Engine API edge (bollard): connecting, and everything that talks to the engine.

pub mod client;
pub mod context;
pub mod endpoint;
pub mod size;
pub mod sync;
pub mod convert;
pub mod events;
pub mod labels;
pub mod build;
pub mod error;
pub mod progress;
pub mod state;
pub mod watch_stack;
pub mod stats;
pub mod container_ops;
pub mod create;
pub mod wait;
pub mod resources;
pub mod images;
pub mod start;
pub mod up;
pub mod down;
pub mod logs;
pub mod converge;
pub mod mounts;
