//! How the pure loader reaches files: the `FileSource` trait (the real file system lives in
//! `fsio::compose`) and an in-memory implementation for tests, fuzzing and `load_from_str`.

use std::collections::BTreeMap;

/// Read access to files by absolute `/`-separated path.
pub trait FileSource {
    /// The file's text, or a short reason it cannot be read.
    fn read(&self, path: &str) -> Result<String, String>;
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
    fn read(&self, path: &str) -> Result<String, String> {
        self.files
            .get(path)
            .cloned()
            .ok_or_else(|| "no such file or directory".to_owned())
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
