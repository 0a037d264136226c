//! Where a key path sits in the merged compose tree, for errors found after decoding
//! (normalize, validate, env files, dependencies): the error points at the key's line.

use super::error::{LoadError, Pos};
use super::yaml::{Node, Value};

/// Position of a key path in the merged tree (for errors found after decoding).
pub(super) fn pos_at(tree: &Node, path: &[&str]) -> Option<Pos> {
    let mut node = tree;
    for key in path {
        node = match &node.value {
            Value::Map(map) => map.get(*key)?,
            // A reference in list form: the item naming `key` (`db`, `db:alias`, `{source: db}`).
            Value::Seq(items) => items.iter().find(|item| names(item, key))?,
            _ => return None,
        };
    }
    Some(node.key_pos.clone())
}

fn names(item: &Node, key: &str) -> bool {
    let text = match item.as_map() {
        Some(map) => map.get("source").and_then(Node::scalar_text),
        None => item.scalar_text(),
    };
    text.is_some_and(|t| t == key || t.split(':').next() == Some(key))
}

pub(super) fn err_at(tree: &Node, path: &[&str], message: String) -> LoadError {
    let mut err = LoadError::global(message).with_path(path.join("."));
    let mut probe = path.len();
    while probe > 0 {
        if let Some(pos) = pos_at(tree, &path[..probe]) {
            err.pos = Some(pos);
            break;
        }
        probe -= 1;
    }
    err
}
