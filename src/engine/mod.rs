//! The Docker Engine API edge (bollard): connecting, and everything that talks to the engine.

pub mod client;
pub mod context;
pub mod endpoint;
pub mod sync;
