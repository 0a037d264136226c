//! The pure core: no I/O, no clock, no async. Everything here is testable with plain values.

pub mod build_context;
pub mod compose;
pub mod detect;
pub mod dockerfile;
pub mod dockerignore;
pub mod doctor;
pub mod format;
pub mod input;
pub mod limits;
pub mod lint;
pub mod pin;
pub mod plan;
pub mod platform;
pub mod progress;
pub mod pull_meter;
pub mod size;
pub mod stack;
pub mod sync;
pub mod wizard;
