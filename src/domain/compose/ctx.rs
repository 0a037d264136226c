//! The loader's state for one load (file source, budget, warnings, variables seen) and the
//! file reading every step shares; `LoadOther` is how `include` and `extends` load another
//! file through the loader without depending on it.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::budget::Budget;
use super::error::{LoadError, Pos, Warning};
use super::interpolate::VariableUse;
use super::merge::merge_documents;
use super::source::{FileSource, ReadError, parent_dir};
use super::yaml::{Node, Value, parse_documents_within};
use crate::domain::limits::{Limit, Limits};

/// Loads another compose file for `include` or `extends`, with paths resolved against
/// `base_dir` (implemented by the loader).
pub trait LoadOther {
    fn load_other(
        &mut self,
        file: &str,
        base_dir: &str,
        env: &BTreeMap<String, String>,
        stack: &mut Vec<String>,
        referrer: &Pos,
    ) -> Result<Node, LoadError>;
}

/// Loader state shared by the pipeline steps.
pub struct Ctx<'a> {
    pub source: &'a dyn FileSource,
    pub display_base: String,
    pub home: Option<String>,
    pub warnings: Vec<Warning>,
    pub variables: Vec<VariableUse>,
    pub budget: Budget,
}

impl Ctx<'_> {
    /// How a file is named in messages: relative to the project directory when inside it.
    pub fn display(&self, path: &str) -> Arc<str> {
        let base = format!("{}/", self.display_base.trim_end_matches('/'));
        Arc::from(path.strip_prefix(&base).unwrap_or(path))
    }

    /// Reads and parses a file; several YAML documents are merged in order.
    pub fn parse_file(&mut self, path: &str, referrer: Option<&Pos>) -> Result<Node, LoadError> {
        let display = self.display(path);
        let text = self.read(path, Limit::ComposeFileBytes, referrer)?;
        let docs = parse_documents_within(&display, &text, &mut self.budget)?;
        if docs.iter().all(|d| matches!(d.value, Value::Null)) {
            return Err(LoadError::at(
                Pos::new(display.clone(), 1, 1),
                "",
                "empty compose file".to_owned(),
            )
            .with_help("add a `services:` section, or leave the file out of -f / COMPOSE_FILE"));
        }
        let mut merged: Option<Node> = None;
        for doc in docs {
            if !matches!(doc.value, Value::Map(_) | Value::Null) {
                return Err(LoadError::at(
                    doc.pos.clone(),
                    "",
                    format!(
                        "top-level object must be a mapping, found {}",
                        doc.kind_name()
                    ),
                )
                .with_help("a compose file starts with keys such as `services:`"));
            }
            merged = Some(match merged {
                None => doc,
                Some(base) => merge_documents(base, doc),
            });
        }
        Ok(merged
            .unwrap_or_else(|| Node::new(Value::Map(Default::default()), Pos::new(display, 1, 1))))
    }

    pub fn dir_of(file: &str) -> String {
        parent_dir(file)
    }

    /// Reads an input of `kind` (its size limit); the error points at the bad byte when the
    /// file is not UTF-8, else at `referrer` (the line naming the file), else at the file.
    pub fn read(
        &mut self,
        path: &str,
        kind: Limit,
        referrer: Option<&Pos>,
    ) -> Result<String, LoadError> {
        let limits = self.budget.limits();
        self.source
            .read(path, limits.get(kind))
            .map_err(|err| read_error(&err, &self.display(path), kind, limits, referrer))
    }
}

fn read_error(
    err: &ReadError,
    display: &std::sync::Arc<str>,
    kind: Limit,
    limits: &Limits,
    referrer: Option<&Pos>,
) -> LoadError {
    let pos = match err.position() {
        Some((line, col)) => Pos::new(display.clone(), line, col),
        None => referrer
            .cloned()
            .unwrap_or_else(|| Pos::new(display.clone(), 0, 0)),
    };
    // When the position is the file itself, the message need not name it again.
    let message = match (err, referrer) {
        (ReadError::NotUtf8 { byte, .. }, _) => {
            format!("the file is not UTF-8 text (byte 0x{byte:02X} here)")
        }
        (other, Some(_)) => other.message(display, kind, limits),
        (other, None) => other.message("the file", kind, limits),
    };
    let help = err.help(kind, limits).unwrap_or_else(|| {
        "check the path (relative paths are resolved against the file that names them)".to_owned()
    });
    LoadError::at(pos, "", message).with_help(help)
}
