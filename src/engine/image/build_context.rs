//! The build-context tar: walks the context like the Docker CLI's legacy path (the
//! `.dockerignore` applied with Docker's exact semantics, excluded directories pruned when no
//! exception can reach inside, Dockerfile and `.dockerignore` always sent), in sorted order,
//! symlinks stored as links; streamed to the engine in chunks.

use std::fs;
use std::io::{self, Read as _, Write};
use std::path::{Path, PathBuf};

use bytes::Bytes;
use miette::Diagnostic;
use thiserror::Error;
use tokio::sync::mpsc;

use crate::domain::dockerignore::{IgnoreMatcher, PatternError};

/// Why the build context could not be read.
#[derive(Debug, Error, Diagnostic)]
pub enum ContextError {
    #[error("{path}: {error}")]
    #[diagnostic(
        code(devbox::context::ignore_file),
        help("Docker refuses this .dockerignore too; fix the pattern on that line")
    )]
    IgnoreFile { path: PathBuf, error: PatternError },
    #[error("cannot read {path} in the build context: {error}")]
    #[diagnostic(
        code(devbox::context::io),
        help("check that the file exists and is readable, or exclude it in .dockerignore")
    )]
    Io { path: PathBuf, error: io::Error },
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> ContextError + '_ {
    move |error| ContextError::Io {
        path: path.to_path_buf(),
        error,
    }
}

/// What one context entry is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryKind {
    File,
    Dir,
    Symlink(PathBuf),
}

/// One entry to send: its slash path relative to the context and its kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextEntry {
    pub rel: String,
    pub kind: EntryKind,
}

/// The ignore file a build uses: `<dockerfile>.dockerignore` beside the context root when it
/// exists (BuildKit's per-Dockerfile file), else `<context>/.dockerignore`.
pub fn ignore_file_for(context: &Path, dockerfile: &str) -> Option<PathBuf> {
    let specific = context.join(format!("{dockerfile}.dockerignore"));
    if specific.is_file() {
        return Some(specific);
    }
    let plain = context.join(".dockerignore");
    plain.is_file().then_some(plain)
}

/// Loads the matcher for a context (an empty one when there is no ignore file).
pub fn load_matcher(context: &Path, dockerfile: &str) -> Result<IgnoreMatcher, ContextError> {
    let Some(path) = ignore_file_for(context, dockerfile) else {
        return Ok(IgnoreMatcher::default());
    };
    let text = fs::read_to_string(&path).map_err(io_err(&path))?;
    IgnoreMatcher::parse(&text).map_err(|error| ContextError::IgnoreFile { path, error })
}

/// Who unpacks the context tar, which decides the files it must carry whatever the
/// `.dockerignore` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unpacker {
    /// The classic builder (and the Docker CLI's tar): the Dockerfile and `.dockerignore`
    /// always go, and the daemon deletes them after reading if they were excluded.
    Legacy,
    /// BuildKit given a tar: it applies no `.dockerignore` (checked on 20.10: an uploaded tar
    /// is copied whole) and reads only the Dockerfile, so a self-excluding `.dockerignore` stays
    /// out, as with the Docker CLI's file-sync session. The Dockerfile must still be sent, and
    /// `COPY . .` then copies it even when excluded: the CLI's session avoids that; a tar cannot.
    BuildKit,
}

/// Every entry Docker would send, in sorted (byte) order, parents before children.
pub fn collect(context: &Path, dockerfile: &str) -> Result<Vec<ContextEntry>, ContextError> {
    collect_for(context, dockerfile, Unpacker::Legacy)
}

/// `collect` for the builder that will unpack the tar.
pub fn collect_for(
    context: &Path,
    dockerfile: &str,
    unpacker: Unpacker,
) -> Result<Vec<ContextEntry>, ContextError> {
    let ignore = load_matcher(context, dockerfile)?;
    let matcher = match unpacker {
        Unpacker::Legacy => ignore.with_build_files(dockerfile),
        Unpacker::BuildKit => ignore.with_sent(&[dockerfile]),
    };
    let mut out = Vec::new();
    walk(context, &matcher, &mut |visit| {
        if let Visit::Sent { entry, .. } = visit {
            out.push(entry);
        }
        Ok(())
    })?;
    Ok(out)
}

/// What the context walk meets, in the order the tar is written.
#[derive(Debug)]
pub enum Visit<'a> {
    /// An entry the builder receives; `size` is a file's length (0 for the other kinds).
    Sent { entry: ContextEntry, size: u64 },
    /// A file or link left out, or an excluded directory still walked because an exception
    /// may reach inside it.
    Excluded { rel: &'a str, size: u64, dir: bool },
    /// An excluded directory skipped whole: nothing inside it is read for the build.
    Pruned { rel: &'a str, path: &'a Path },
}

/// Walks `context` with `matcher` exactly as the tar writer does (`collect` is this walk),
/// handing each entry to `visit`, so a report of the context counts what is really sent.
pub fn walk(
    context: &Path,
    matcher: &IgnoreMatcher,
    visit: &mut dyn FnMut(Visit<'_>) -> Result<(), ContextError>,
) -> Result<(), ContextError> {
    walk_dir(context, "", matcher, visit)
}

fn walk_dir(
    dir: &Path,
    rel_dir: &str,
    matcher: &IgnoreMatcher,
    visit: &mut dyn FnMut(Visit<'_>) -> Result<(), ContextError>,
) -> Result<(), ContextError> {
    let mut names: Vec<_> = fs::read_dir(dir)
        .map_err(io_err(dir))?
        .map(|entry| entry.map(|e| e.file_name()))
        .collect::<Result<_, _>>()
        .map_err(io_err(dir))?;
    names.sort();
    for name in names {
        let Some(name) = name.to_str() else {
            // Docker sends non-UTF-8 names; devbox's patterns are strings, so skip them.
            continue;
        };
        let rel = if rel_dir.is_empty() {
            name.to_string()
        } else {
            format!("{rel_dir}/{name}")
        };
        let path = dir.join(name);
        let meta = fs::symlink_metadata(&path).map_err(io_err(&path))?;
        let excluded = matcher.matches(&rel);
        let kind = if meta.file_type().is_symlink() {
            EntryKind::Symlink(fs::read_link(&path).map_err(io_err(&path))?)
        } else if meta.is_dir() {
            EntryKind::Dir
        } else if meta.is_file() {
            EntryKind::File
        } else {
            continue; // sockets, fifos, devices: Docker skips them too
        };
        let size = if kind == EntryKind::File {
            meta.len()
        } else {
            0
        };
        if kind == EntryKind::Dir {
            if excluded && matcher.can_skip_dir(&rel) {
                visit(Visit::Pruned {
                    rel: &rel,
                    path: &path,
                })?;
                continue;
            }
            if excluded {
                visit(Visit::Excluded {
                    rel: &rel,
                    size: 0,
                    dir: true,
                })?;
            } else {
                visit(Visit::Sent {
                    entry: ContextEntry {
                        rel: rel.clone(),
                        kind,
                    },
                    size: 0,
                })?;
            }
            walk_dir(&path, &rel, matcher, visit)?;
        } else if excluded {
            visit(Visit::Excluded {
                rel: &rel,
                size,
                dir: false,
            })?;
        } else {
            visit(Visit::Sent {
                entry: ContextEntry { rel, kind },
                size,
            })?;
        }
    }
    Ok(())
}

/// Appends one entry. A file is opened without following a link at its last component and
/// described from the open handle, and the handle's real path must be inside `root`: checking
/// the path and then opening it would race a rename of a symlink over the file (a watched tree
/// can be written by a container through a bind mount). A file that stopped being a regular
/// file inside `root` is left out; the change that did it is the next batch's.
pub fn append_path<W: Write>(
    builder: &mut tar::Builder<W>,
    root: &Path,
    host: &Path,
    name: &str,
    kind: &EntryKind,
    owner: (u64, u64),
) -> Result<(), ContextError> {
    if *kind == EntryKind::File {
        let Some((file, meta)) = open_regular(host, root).map_err(io_err(host))? else {
            return Ok(());
        };
        let mut header = header_for(&meta, owner);
        header.set_size(meta.len());
        return builder
            .append_data(&mut header, name, io::BufReader::new(file).take(meta.len()))
            .map_err(io_err(host));
    }
    let meta = fs::symlink_metadata(host).map_err(io_err(host))?;
    let mut header = header_for(&meta, owner);
    header.set_size(0);
    let result = match kind {
        EntryKind::Symlink(target) => {
            header.set_entry_type(tar::EntryType::Symlink);
            builder.append_link(&mut header, name, target)
        }
        _ => {
            header.set_entry_type(tar::EntryType::Directory);
            builder.append_data(&mut header, format!("{name}/"), io::empty())
        }
    };
    result.map_err(io_err(host))
}

fn header_for(meta: &fs::Metadata, owner: (u64, u64)) -> tar::Header {
    let mut header = tar::Header::new_gnu();
    header.set_metadata_in_mode(meta, tar::HeaderMode::Complete);
    header.set_uid(owner.0);
    header.set_gid(owner.1);
    header
}

/// Opens `host` read-only with `O_NOFOLLOW` (and `O_NONBLOCK`, so a FIFO swapped in cannot hang
/// the read), then checks on the handle that it is a regular file whose real path is under
/// `root` (an ancestor directory swapped for a link would move it). `None`: not such a file now.
pub(crate) fn open_regular(
    host: &Path,
    root: &Path,
) -> io::Result<Option<(fs::File, fs::Metadata)>> {
    use std::os::unix::fs::OpenOptionsExt as _;
    let opened = fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(host);
    let file = match opened {
        Ok(file) => file,
        Err(err) if err.raw_os_error() == Some(libc::ELOOP) => return Ok(None),
        Err(err) => return Err(err),
    };
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Ok(None);
    }
    // Linux names the open file's path in /proc; elsewhere only the last component is guarded.
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd as _;
        let real = fs::read_link(format!("/proc/self/fd/{}", file.as_raw_fd()))?;
        if !real.starts_with(root) {
            return Ok(None);
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = root;
    Ok(Some((file, meta)))
}

/// Writes the context tar (owned by 0:0, as the CLI sends it) into `sink`.
pub fn write_tar<W: Write>(
    context: &Path,
    entries: &[ContextEntry],
    sink: W,
) -> Result<W, ContextError> {
    let mut builder = tar::Builder::new(sink);
    builder.mode(tar::HeaderMode::Complete);
    let root = fs::canonicalize(context).map_err(io_err(context))?;
    for entry in entries {
        append_path(
            &mut builder,
            &root,
            &context.join(&entry.rel),
            &entry.rel,
            &entry.kind,
            (0, 0),
        )?;
    }
    builder.into_inner().map_err(io_err(context))
}

/// The whole context tar in memory, as the classic builder and the Docker CLI see it.
pub fn context_tar(context: &Path, dockerfile: &str) -> Result<Vec<u8>, ContextError> {
    context_tar_for(context, dockerfile, Unpacker::Legacy)
}

/// The whole context tar in memory for the builder that will unpack it.
pub fn context_tar_for(
    context: &Path,
    dockerfile: &str,
    unpacker: Unpacker,
) -> Result<Vec<u8>, ContextError> {
    let entries = collect_for(context, dockerfile, unpacker)?;
    write_tar(context, &entries, Vec::new())
}

/// Streams the context tar in 256 KiB chunks from a blocking task, so a large context is
/// never held in memory whole. Errors end the stream with an `io::Error` naming the path.
pub fn context_stream(
    context: PathBuf,
    dockerfile: String,
) -> impl futures_util::Stream<Item = Result<Bytes, io::Error>> + Send + 'static {
    let (tx, rx) = mpsc::channel::<Result<Bytes, io::Error>>(4);
    tokio::task::spawn_blocking(move || {
        let sink = ChunkWriter {
            tx: tx.clone(),
            buf: Vec::with_capacity(CHUNK),
        };
        let result = collect(&context, &dockerfile)
            .and_then(|entries| write_tar(&context, &entries, sink))
            .and_then(|mut sink| sink.flush().map_err(io_err(&context)));
        if let Err(err) = result {
            let _ = tx.blocking_send(Err(io::Error::other(err.to_string())));
        }
    });
    futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    })
}

const CHUNK: usize = 256 * 1024;

struct ChunkWriter {
    tx: mpsc::Sender<Result<Bytes, io::Error>>,
    buf: Vec<u8>,
}

impl Write for ChunkWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK {
            self.flush()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK)));
        self.tx
            .blocking_send(Ok(chunk))
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "build context reader gone"))
    }
}

#[cfg(test)]
#[path = "build_context_tests.rs"]
mod tests;
