//! Placeholder module; its owner fills it in.
