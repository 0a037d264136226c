//! Why an input file could not be read, as a value the edges return and the commands render:
//! missing, a link loop, over its size limit, not UTF-8 (with the line and column of the first
//! bad byte). Pure, so the compose loader and `devbox lint` word these the same way.

use crate::domain::format::human_bytes;
use crate::domain::limits::{Limit, Limits};

/// A failed read of one input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    NotFound,
    /// The path resolves through a symbolic link that points back at itself.
    LinkLoop,
    IsDirectory,
    /// Over the size limit of its kind; `size` is `None` for a stream (a pipe, `/dev/zero`)
    /// that went on past the limit.
    TooLarge {
        size: Option<u64>,
        max: u64,
    },
    /// The first byte that is not UTF-8, 1-based line and column (column in characters).
    NotUtf8 {
        line: u32,
        col: u32,
        byte: u8,
    },
    Io(String),
}

impl ReadError {
    /// `(line, column)` when the error points into the file.
    pub fn position(&self) -> Option<(u32, u32)> {
        match self {
            ReadError::NotUtf8 { line, col, .. } => Some((*line, *col)),
            _ => None,
        }
    }

    /// What happened, for `path` read as a `kind` input (`kind` names its size limit).
    pub fn message(&self, path: &str, kind: Limit, limits: &Limits) -> String {
        match self {
            ReadError::NotFound => format!("cannot read {path}: no such file or directory"),
            ReadError::LinkLoop => format!(
                "cannot read {path}: it is a symbolic link loop (too many levels of symbolic links)"
            ),
            ReadError::IsDirectory => format!("cannot read {path}: it is a directory"),
            ReadError::TooLarge { size, max } => {
                let size = match size {
                    Some(s) => human_bytes(*s),
                    None => format!("more than {}", human_bytes(*max)),
                };
                format!(
                    "{path} is {size}, larger than devbox reads ({})",
                    limits.describe(kind)
                )
            }
            ReadError::NotUtf8 { line, col, byte } => {
                format!("{path}:{line}:{col}: the file is not UTF-8 text (byte 0x{byte:02X} here)")
            }
            ReadError::Io(why) => format!("cannot read {path}: {why}"),
        }
    }

    /// What to do about it; `None` when only the caller knows (a missing file).
    pub fn help(&self, kind: Limit, limits: &Limits) -> Option<String> {
        match self {
            ReadError::NotFound | ReadError::Io(_) => None,
            ReadError::LinkLoop => {
                Some("point the link at a real file (`ls -l` shows where it points)".to_owned())
            }
            ReadError::IsDirectory => Some("name a file, not a directory".to_owned()),
            ReadError::TooLarge { size, .. } => {
                let hint = limits.raise_hint_to(kind, size.unwrap_or(0));
                Some(hint.unwrap_or_else(|| {
                    "this limit is fixed; split the file into smaller ones".to_owned()
                }))
            }
            ReadError::NotUtf8 { .. } => Some(
                "save the file as UTF-8 (e.g. `iconv -f latin1 -t utf-8 FILE > FILE.new`)"
                    .to_owned(),
            ),
        }
    }
}

/// Decodes `bytes` as UTF-8, or says where the first invalid byte is.
pub fn decode_utf8(bytes: Vec<u8>) -> Result<String, ReadError> {
    String::from_utf8(bytes).map_err(|err| {
        let bytes = err.as_bytes();
        let at = err.utf8_error().valid_up_to();
        // Everything before `at` is valid, so counting lines and characters there is exact.
        let before = std::str::from_utf8(&bytes[..at]).unwrap_or_default();
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        ReadError::NotUtf8 {
            line: (before.matches('\n').count() + 1) as u32,
            col: (before[line_start..].chars().count() + 1) as u32,
            byte: bytes.get(at).copied().unwrap_or(0),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_bad_byte_is_located() {
        let err = decode_utf8(b"a: 1\nb: caf\xe9\n".to_vec()).unwrap_err();
        assert_eq!(
            err,
            ReadError::NotUtf8 {
                line: 2,
                col: 7,
                byte: 0xE9
            }
        );
        let err = decode_utf8(b"\xc3\xa9\n\xc3\xa9x\xff".to_vec()).unwrap_err();
        assert_eq!(err.position(), Some((2, 3)));
        assert_eq!(decode_utf8(b"ok".to_vec()).as_deref(), Ok("ok"));
    }

    #[test]
    fn messages_name_the_limit_and_the_way_out() {
        let limits = Limits::default();
        let err = ReadError::TooLarge {
            size: None,
            max: limits.get(Limit::DockerfileBytes),
        };
        let message = err.message("/dev/zero", Limit::DockerfileBytes, &limits);
        assert_eq!(
            message,
            "/dev/zero is more than 2.0 MiB, larger than devbox reads (limit: Dockerfile size, 2.0 MiB)"
        );
        let help = err.help(Limit::DockerfileBytes, &limits).unwrap();
        assert!(help.contains("DEVBOX_LIMIT_DOCKERFILE_BYTES="), "{help}");
    }
}
