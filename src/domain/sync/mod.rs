//! Sync rules for `develop.watch` and Docker's `.dockerignore` pattern semantics (pure).

pub mod ignore;
pub mod pattern;

pub use ignore::{IgnoreLine, IgnoreMatcher, PatternError, PatternSyntax};
