//! Finding the engine (`DOCKER_HOST`, contexts, the default socket) and connecting to it.

pub mod client;
pub mod endpoint;
pub mod ssh;
