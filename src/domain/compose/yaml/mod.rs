//! YAML → `Node` tree with file/line/column on every node and key: the tree's types here,
//! the builder over the granit-parser event stream (anchors and aliases expanded against the
//! load's byte budget, `<<` merge keys, `!reset` / `!override`, the nesting-depth limit) in
//! `build.rs`, go-yaml's scalar resolution in `scalar.rs`.

mod build;
mod scalar;

use indexmap::IndexMap;

use super::error::Pos;

pub use build::{parse_documents, parse_documents_within};

/// A YAML value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(IndexMap<String, Node>),
}

/// Compose's merge-control tags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Directive {
    /// `!reset`: drop the value inherited from earlier files / the extended service.
    Reset,
    /// `!override`: replace the inherited value instead of merging.
    Override,
}

/// A value with where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    /// Position of the value.
    pub pos: Pos,
    /// Position of the mapping key that holds this value (same as `pos` for list items).
    pub key_pos: Pos,
    pub directive: Option<Directive>,
}

impl Node {
    pub fn new(value: Value, pos: Pos) -> Self {
        Self {
            value,
            key_pos: pos.clone(),
            pos,
            directive: None,
        }
    }

    pub fn as_map(&self) -> Option<&IndexMap<String, Node>> {
        match &self.value {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_map_mut(&mut self) -> Option<&mut IndexMap<String, Node>> {
        match &mut self.value {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    /// A scalar's text as Compose sees it after decoding into a string field.
    pub fn scalar_text(&self) -> Option<String> {
        match &self.value {
            Value::Str(s) => Some(s.clone()),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(f) => Some(format_float(*f)),
            Value::Bool(b) => Some(b.to_string()),
            Value::Null | Value::Seq(_) | Value::Map(_) => None,
        }
    }

    /// Short description of the kind, for "expected X, found Y" messages.
    pub fn kind_name(&self) -> &'static str {
        match &self.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "a number",
            Value::Float(_) => "a number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }

    /// Converts to JSON (extensions are kept verbatim in the model).
    pub fn to_json(&self) -> serde_json::Value {
        match &self.value {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Int(i) => serde_json::Value::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f)
                .map(serde_json::Value::Number)
                .unwrap_or(serde_json::Value::Null),
            Value::Str(s) => serde_json::Value::String(s.clone()),
            Value::Seq(items) => items.iter().map(Node::to_json).collect(),
            Value::Map(map) => map
                .iter()
                .map(|(k, v)| (k.clone(), v.to_json()))
                .collect::<serde_json::Map<_, _>>()
                .into(),
        }
    }
}

/// Prints a float the way Go's `strconv.FormatFloat(f, 'g', -1, 64)` mostly does for the
/// values people write in compose files (`0.5`, `1.5`, `2`).
pub fn format_float(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    }
}

#[cfg(test)]
mod tests;
