//! Atomic file writes: every file of a set is rendered before any is written, each write goes to
//! a temp file in the same directory and is renamed over the target, and an overwritten file is
//! kept as `FILE.bak` when asked.

use std::io::Write;
use std::path::{Path, PathBuf};

/// A failed write, naming the file and what to do.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum WriteError {
    #[error("could not write {}: {source}", path.display())]
    #[diagnostic(help("check that the directory exists and that you may write to it"))]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("could not keep a backup of {} as {}: {source}", path.display(), backup.display())]
    #[diagnostic(help("free the name {} or remove it, then run the command again", backup.display()))]
    Backup {
        path: PathBuf,
        backup: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// One file to write, fully rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingFile {
    pub path: PathBuf,
    pub contents: String,
}

/// Whether an existing file is kept as `FILE.bak` before it is replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backup {
    Keep,
    Discard,
}

/// The path a backup of `path` is kept at.
pub fn backup_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".bak");
    path.with_file_name(name)
}

/// Writes `contents` to `path` atomically: temp file in the same directory, fsync, rename.
pub fn write_atomic(path: &Path, contents: &str) -> Result<(), WriteError> {
    let io = |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    };
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(&dir).map_err(io)?;
    tmp.write_all(contents.as_bytes()).map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    match std::fs::metadata(path) {
        // Keep the mode of the file being replaced (an executable entrypoint stays executable).
        Ok(meta) => std::fs::set_permissions(tmp.path(), meta.permissions()).map_err(io)?,
        // A temp file is created 0600; a new project file should be readable like any other
        // (a build context and a bind mount read it as another user).
        Err(_) => set_new_file_mode(tmp.path()).map_err(io)?,
    }
    tmp.persist(path).map_err(|err| io(err.error))?;
    Ok(())
}

#[cfg(unix)]
fn set_new_file_mode(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn set_new_file_mode(_path: &Path) -> std::io::Result<()> {
    Ok(())
}

/// Writes every file, keeping backups of replaced ones when asked. Stops at the first failure;
/// files already written stay written (each one whole), and the error names the one that failed.
pub fn write_all(files: &[PendingFile], backup: Backup) -> Result<Vec<PathBuf>, WriteError> {
    let mut written = Vec::with_capacity(files.len());
    for file in files {
        if backup == Backup::Keep && file.path.exists() {
            let bak = backup_path(&file.path);
            std::fs::copy(&file.path, &bak).map_err(|source| WriteError::Backup {
                path: file.path.clone(),
                backup: bak.clone(),
                source,
            })?;
        }
        write_atomic(&file.path, &file.contents)?;
        written.push(file.path.clone());
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_file_and_keeps_backup() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("Dockerfile");
        std::fs::write(&path, "old").unwrap();
        let files = vec![PendingFile {
            path: path.clone(),
            contents: "new".into(),
        }];
        write_all(&files, Backup::Keep).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(std::fs::read_to_string(backup_path(&path)).unwrap(), "old");
    }

    #[cfg(unix)]
    #[test]
    fn new_files_are_world_readable() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("compose.yaml");
        write_atomic(&path, "x").unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o644);
    }

    #[test]
    fn missing_directory_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nope").join("compose.yaml");
        let err = write_atomic(&path, "x").unwrap_err();
        assert!(err.to_string().contains("compose.yaml"), "{err}");
    }
}
