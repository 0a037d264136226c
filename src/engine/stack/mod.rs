//! Compose's stack operations on the engine: `up` (images → networks and volumes → converge →
//! start → wait), `down`, the lifecycle verbs, one-off containers and hooks, with Compose's
//! names, labels and config hash so either tool can manage what the other made.

pub mod converge;
pub mod convert;
pub mod create;
pub mod down;
pub mod down_volumes;
pub mod hooks;
pub mod labels;
pub mod lifecycle;
pub mod mounts;
pub mod network_copies;
pub mod oneoff;
pub mod order;
pub mod resources;
pub mod start;
pub mod state;
pub mod stop;
pub mod up;
pub mod wait;
