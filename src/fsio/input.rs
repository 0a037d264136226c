//! Reading the files devbox takes as input (compose files, env files, Dockerfiles,
//! .dockerignore) under the size limit of their kind: never more than the limit plus one byte is
//! read, whatever the path is (a pipe, `/dev/zero`), and a symbolic link loop is named as one
//! instead of looking like a missing file.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use crate::domain::input::{ReadError, decode_utf8};

/// What is at a path, for discovery ("is there a Dockerfile here?").
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Presence {
    /// Nothing, or a link to nothing (Docker and Compose skip those too).
    Missing,
    File,
    Directory,
    /// Something is there but cannot be used (a link loop, no permission): reading it reports why.
    Broken(ReadError),
}

/// Looks at `path` the way discovery needs: a link loop is `Broken`, not `Missing`.
pub fn presence(path: &Path) -> Presence {
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => Presence::Directory,
        Ok(_) => Presence::File,
        Err(err) => match classify(&err) {
            ReadError::NotFound => Presence::Missing,
            other => Presence::Broken(other),
        },
    }
}

/// Reads `path` as UTF-8 text of at most `max` bytes.
pub fn read_text(path: &Path, max: u64) -> Result<String, ReadError> {
    decode_utf8(read_bytes(path, max)?)
}

/// Reads `path` whole, refusing it once it is known to hold more than `max` bytes.
pub fn read_bytes(path: &Path, max: u64) -> Result<Vec<u8>, ReadError> {
    let file = File::open(path).map_err(|e| classify(&e))?;
    let meta = file.metadata().map_err(|e| classify(&e))?;
    if meta.is_dir() {
        return Err(ReadError::IsDirectory);
    }
    // A regular file's size is known up front; anything else (a pipe, a device) is read
    // until it passes the limit.
    if meta.is_file() && meta.len() > max {
        return Err(ReadError::TooLarge {
            size: Some(meta.len()),
            max,
        });
    }
    let capacity = if meta.is_file() { meta.len() } else { 0 };
    let mut bytes = Vec::with_capacity(usize::try_from(capacity).unwrap_or(0));
    file.take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| classify(&e))?;
    if bytes.len() as u64 > max {
        return Err(ReadError::TooLarge { size: None, max });
    }
    Ok(bytes)
}

fn classify(err: &io::Error) -> ReadError {
    match err.kind() {
        io::ErrorKind::NotFound => ReadError::NotFound,
        io::ErrorKind::IsADirectory => ReadError::IsDirectory,
        // std has no stable `ErrorKind` for "too many levels of symbolic links" yet.
        _ if err.raw_os_error() == Some(libc::ELOOP) => ReadError::LinkLoop,
        _ => ReadError::Io(err.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stream_is_read_only_to_its_limit() {
        let err = read_bytes(Path::new("/dev/zero"), 4096).unwrap_err();
        assert_eq!(
            err,
            ReadError::TooLarge {
                size: None,
                max: 4096
            }
        );
    }

    #[test]
    fn a_regular_file_over_the_limit_is_refused_before_reading() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big");
        std::fs::write(&path, vec![b'x'; 5000]).unwrap();
        assert_eq!(
            read_bytes(&path, 4096).unwrap_err(),
            ReadError::TooLarge {
                size: Some(5000),
                max: 4096
            }
        );
        assert_eq!(read_bytes(&path, 5000).unwrap().len(), 5000);
    }

    #[test]
    fn a_link_loop_is_named_not_missing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("Dockerfile");
        std::os::unix::fs::symlink("Dockerfile", &path).unwrap();
        assert_eq!(presence(&path), Presence::Broken(ReadError::LinkLoop));
        assert_eq!(read_text(&path, 100).unwrap_err(), ReadError::LinkLoop);
        let dangling = dir.path().join("compose.yaml");
        std::os::unix::fs::symlink("nowhere.yaml", &dangling).unwrap();
        assert_eq!(presence(&dangling), Presence::Missing);
        assert_eq!(presence(dir.path()), Presence::Directory);
    }

    #[test]
    fn non_utf8_text_reports_where() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("compose.yaml");
        std::fs::write(&path, b"services:\n  # caf\xe9\n").unwrap();
        assert_eq!(read_text(&path, 100).unwrap_err().position(), Some((2, 8)));
    }
}
