//! Compose file reading (owner: compose loader).
