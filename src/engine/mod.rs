//! The Docker Engine API edge (bollard): connecting, and everything that talks to the engine.

pub mod client;
pub mod endpoint;
pub mod size;
