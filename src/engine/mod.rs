//! The Docker Engine API edge (bollard): connecting, and everything that talks to the engine.

pub mod client;
pub mod context;
pub mod endpoint;
pub mod size;
pub mod sync;
pub mod build;
pub mod convert;
pub mod create;
pub mod down;
pub mod error;
pub mod events;
pub mod images;
pub mod labels;
pub mod logs;
pub mod progress;
pub mod resources;
pub mod start;
pub mod state;
pub mod up;
pub mod wait;
pub mod converge;
pub mod mounts;
