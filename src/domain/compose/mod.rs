//! Compose loader core (pure): the typed model, YAML tree with positions, interpolation,
//! merge of override files, `extends`, `include`, profiles, normalisation and the
//! dependency graph. File access goes through the `FileSource` trait (implemented in
//! `fsio::compose`), so everything here runs on plain values.

pub mod budget;
pub mod model;

pub use model::{Project, Service, ServiceName};
mod ctx;
pub mod decode;
mod dependencies;
pub mod diff;
pub mod dotenv;
mod envfiles;
pub mod error;
pub mod extends;
pub mod graph;
pub mod hash;
pub mod include;
pub mod interpolate;
pub mod loader;
pub mod merge;
pub mod normalize;
pub mod options;
pub mod paths;
pub mod source;
mod tree_pos;
mod validate;
pub mod yaml;

pub use error::{LoadError, Pos, Warning};
pub use loader::{LoadOptions, Loaded, load, load_from_str, normalize_project_name};
pub use source::{FileSource, MemorySource};
pub mod profiles;
pub mod pull;

#[cfg(test)]
mod limits_tests;
