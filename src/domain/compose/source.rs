//! How the pure loader reaches files: the `FileSource` trait (the real file system lives in
//! `fsio::compose`) and an in-memory implementation for tests, fuzzing and `load_from_str`.

use std::collections::BTreeMap;

pub use crate::domain::input::ReadError;

/// Read access to files by absolute `/`-separated path.
pub trait FileSource {
    /// The file's text; a file of more than `max_bytes` is refused without being read whole.
    fn read(&self, path: &str, max_bytes: u64) -> Result<String, ReadError>;
    /// Whether a regular file exists at `path`.
    fn is_file(&self, path: &str) -> bool;
}

/// Files held in memory (absolute path → text).
#[derive(Debug, Clone, Default)]
pub struct MemorySource {
    pub files: BTreeMap<String, String>,
}

impl MemorySource {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn with(mut self, path: &str, text: &str) -> Self {
        self.files.insert(path.to_owned(), text.to_owned());
        self
    }
}

impl FileSource for MemorySource {
    fn read(&self, path: &str, max_bytes: u64) -> Result<String, ReadError> {
        let text = self.files.get(path).ok_or(ReadError::NotFound)?;
        if text.len() as u64 > max_bytes {
            return Err(ReadError::TooLarge {
                size: Some(text.len() as u64),
                max: max_bytes,
            });
        }
        Ok(text.clone())
    }

    fn is_file(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }
}

/// Parent directory of an absolute path (`/a/b.yaml` → `/a`).
pub fn parent_dir(path: &str) -> String {
    match path.rfind('/') {
        Some(0) => "/".to_owned(),
        Some(i) => path[..i].to_owned(),
        None => ".".to_owned(),
    }
}

/// Last path component (`/a/My App` → `My App`).
pub fn base_name(path: &str) -> &str {
    path.trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(path)
}
