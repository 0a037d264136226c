//! Compose loader core (pure): the typed model, YAML tree with positions, interpolation,
//! merge of override files, `extends`, `include`, profiles, normalisation and the
//! dependency graph. File access goes through the `FileSource` trait (implemented in
//! `fsio::compose`), so everything here runs on plain values.

pub mod model;

pub use model::{Project, Service, ServiceName};
