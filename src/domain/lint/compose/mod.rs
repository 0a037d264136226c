//! Compose rules (DBX2xx) and their context: the raw compose file as a positioned YAML tree
//! (before interpolation and merging, so every finding points at what the user wrote).

pub mod dbx200;
pub mod dbx201;
pub mod dbx202;
pub mod dbx203;
pub mod dbx204;
pub mod dbx205;
pub mod dbx206;
pub mod dbx207;
pub mod dbx208;
pub mod dbx209;
pub mod dbx210;
pub mod dbx211;
pub mod dbx212;
pub mod dbx213;
pub mod parts;

use crate::domain::compose::yaml::{Node, Value};
use crate::domain::lint::text::LineIndex;
use std::ops::Range;

/// One compose file as the rules see it.
#[derive(Debug)]
pub struct ComposeCtx<'a> {
    pub path: &'a str,
    pub text: &'a str,
    /// The merged documents' root mapping (`None` when the file is empty or not a mapping).
    pub root: Option<&'a Node>,
    pub index: &'a LineIndex,
}

impl<'a> ComposeCtx<'a> {
    /// `(name, service node)` for every service.
    pub fn services(&self) -> Vec<(&'a str, &'a Node)> {
        self.root
            .and_then(|r| r.as_map())
            .and_then(|m| m.get("services"))
            .and_then(|s| s.as_map())
            .map(|m| m.iter().map(|(k, v)| (k.as_str(), v)).collect())
            .unwrap_or_default()
    }

    /// Span of a node's value: from its position to the end of that line.
    pub fn span(&self, node: &Node) -> Range<usize> {
        self.span_at(node.pos.line, node.pos.col)
    }

    /// Span of the key that holds a node.
    pub fn key_span(&self, node: &Node) -> Range<usize> {
        self.span_at(node.key_pos.line, node.key_pos.col)
    }

    fn span_at(&self, line: u32, col: u32) -> Range<usize> {
        if line == 0 {
            return 0..0;
        }
        let range = self.index.line_range(self.text, line as usize);
        let line_text = &self.text[range.clone()];
        let skip: usize = line_text
            .chars()
            .take(col.saturating_sub(1) as usize)
            .map(char::len_utf8)
            .sum();
        let start = range.start + skip.min(line_text.len());
        let end = line_text
            .find(" #")
            .map_or(range.end, |i| range.start + i)
            .max(start);
        start..end
    }
}

/// A mapping entry of a node.
pub fn get<'n>(node: &'n Node, key: &str) -> Option<&'n Node> {
    node.as_map().and_then(|m| m.get(key))
}

/// A scalar as text (numbers and booleans included).
pub fn text(node: &Node) -> Option<String> {
    node.scalar_text()
}

/// The items of a sequence (empty for anything else).
pub fn items(node: &Node) -> &[Node] {
    match &node.value {
        Value::Seq(v) => v,
        _ => &[],
    }
}

pub fn is_true(node: Option<&Node>) -> bool {
    node.is_some_and(|n| {
        matches!(n.value, Value::Bool(true))
            || n.as_str().is_some_and(|s| s.eq_ignore_ascii_case("true"))
    })
}
