//! Decoding of the merged YAML tree into the typed model: one reader per structure, every
//! key checked (unknown keys get a nearest-key hint), short syntax expanded.

pub mod build;
pub mod deploy;
pub mod parts;
pub mod project;
pub mod refs;
pub mod service;
pub mod short;
pub mod values;
