//! The Docker Engine API edge (bollard), by what it does: `connect` (finding and reaching the
//! engine), `stack` (Compose's operations: up, down, the lifecycle verbs, one-offs, hooks),
//! `image` (builds, the build context, pulls, image size analysis), `observe` (event, log and
//! stats streams for `up`'s waits and the dashboard), `sync` (watch's file transfer into
//! containers); typed errors and progress shared by all.

pub mod connect;
pub mod error;
pub mod image;
pub mod observe;
pub mod progress;
pub mod stack;
pub mod sync;

pub use connect::client;
