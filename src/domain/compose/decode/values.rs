//! Typed readers over `Node`s used by the decoders: each reads one shape (string, int, bool,
//! list, `K=V` map, duration, size) and fails with the key path, position and what was expected.

use std::collections::BTreeMap;

use indexmap::IndexMap;

use super::super::error::{LoadError, index, join, nearest};
use super::super::model::{Duration, Environment, StringMap, UnitBytes};
use super::super::yaml::{Node, Value, format_float};

pub type Result<T> = std::result::Result<T, LoadError>;

pub fn expected(node: &Node, path: &str, what: &str) -> LoadError {
    let found = match &node.value {
        Value::Str(s) => format!("{s:?}"),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => format_float(*f),
        Value::Bool(b) => b.to_string(),
        _ => node.kind_name().to_owned(),
    };
    LoadError::at(
        node.pos.clone(),
        path,
        format!("expected {what}, found {found}"),
    )
}

/// The entries of a mapping node, or an error naming the key path.
pub fn map<'n>(node: &'n Node, path: &str) -> Result<&'n IndexMap<String, Node>> {
    node.as_map()
        .ok_or_else(|| expected(node, path, "a mapping"))
}

/// Error for a key a struct does not have, with the nearest valid key as a hint.
pub fn unknown_key(key: &str, value: &Node, path: &str, valid: &[&str]) -> LoadError {
    let err = LoadError::at(
        value.key_pos.clone(),
        join(path, key),
        format!("unknown key {key:?}"),
    );
    match nearest(key, valid.iter().copied()) {
        Some(best) => err.with_help(format!("did you mean `{best}`?")),
        None => err.with_help(format!("valid keys here: {}", valid.join(", "))),
    }
}

/// Whether a key is an `x-` extension (allowed everywhere, kept aside).
pub fn is_extension(key: &str) -> bool {
    key.starts_with("x-")
}

pub fn string(node: &Node, path: &str) -> Result<String> {
    match &node.value {
        Value::Null => Ok(String::new()),
        Value::Seq(_) | Value::Map(_) => Err(expected(node, path, "a string")),
        _ => Ok(node.scalar_text().unwrap_or_default()),
    }
}

pub fn int(node: &Node, path: &str) -> Result<i64> {
    match &node.value {
        Value::Int(i) => Ok(*i),
        Value::Float(f) if f.fract() == 0.0 && f.is_finite() => Ok(*f as i64),
        Value::Str(s) => s
            .trim()
            .parse::<i64>()
            .map_err(|_| expected(node, path, "an integer")),
        _ => Err(expected(node, path, "an integer")),
    }
}

pub fn uint(node: &Node, path: &str) -> Result<u64> {
    let value = int(node, path)?;
    u64::try_from(value).map_err(|_| expected(node, path, "a non-negative integer"))
}

pub fn float(node: &Node, path: &str) -> Result<f64> {
    match &node.value {
        Value::Int(i) => Ok(*i as f64),
        Value::Float(f) => Ok(*f),
        Value::Str(s) => s
            .trim()
            .parse::<f64>()
            .map_err(|_| expected(node, path, "a number")),
        _ => Err(expected(node, path, "a number")),
    }
}

/// Booleans as Compose casts them: YAML booleans, and after interpolation the strings
/// true/false plus the YAML 1.1 spellings y/yes/on/n/no/off.
pub fn boolean(node: &Node, path: &str) -> Result<bool> {
    match &node.value {
        Value::Bool(b) => Ok(*b),
        Value::Str(s) => match s.to_ascii_lowercase().as_str() {
            "true" | "y" | "yes" | "on" => Ok(true),
            "false" | "n" | "no" | "off" => Ok(false),
            _ => Err(expected(node, path, "a boolean (true or false)")),
        },
        _ => Err(expected(node, path, "a boolean (true or false)")),
    }
}

/// A list of scalars; a single string is accepted as a one-item list where Compose allows it.
pub fn string_list(node: &Node, path: &str, single_ok: bool) -> Result<Vec<String>> {
    match &node.value {
        Value::Seq(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| scalar_item(item, &index(path, i)))
            .collect(),
        Value::Null => Ok(Vec::new()),
        Value::Str(_) | Value::Int(_) | Value::Float(_) if single_ok => {
            Ok(vec![string(node, path)?])
        }
        _ => Err(expected(node, path, "a list of strings")),
    }
}

fn scalar_item(node: &Node, path: &str) -> Result<String> {
    match &node.value {
        Value::Seq(_) | Value::Map(_) | Value::Null => Err(expected(node, path, "a string")),
        _ => string(node, path),
    }
}

/// `K: V` mapping or `["K=V", ...]` list → map. Null values become "" (labels, options).
pub fn string_map(node: &Node, path: &str) -> Result<StringMap> {
    let env = env_map(node, path)?;
    Ok(env
        .into_iter()
        .map(|(k, v)| (k, v.unwrap_or_default()))
        .collect())
}

/// Like `string_map` but keeps "declared without value" as `None` (environment, args).
pub fn env_map(node: &Node, path: &str) -> Result<Environment> {
    let mut out = BTreeMap::new();
    match &node.value {
        Value::Map(entries) => {
            for (key, value) in entries {
                let item_path = join(path, key);
                let v = match &value.value {
                    Value::Null => None,
                    Value::Seq(_) | Value::Map(_) => {
                        return Err(expected(value, &item_path, "a string, number or boolean"));
                    }
                    _ => Some(string(value, &item_path)?),
                };
                out.insert(key.clone(), v);
            }
        }
        Value::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                let entry = scalar_item(item, &index(path, i))?;
                match entry.split_once('=') {
                    Some((k, v)) => out.insert(k.to_owned(), Some(v.to_owned())),
                    None => out.insert(entry, None),
                };
            }
        }
        Value::Null => {}
        _ => {
            return Err(expected(
                node,
                path,
                "a mapping or a list of KEY=VALUE strings",
            ));
        }
    }
    Ok(out)
}

pub fn duration(node: &Node, path: &str) -> Result<Duration> {
    let text = string(node, path)?;
    Duration::parse(&text).ok_or_else(|| {
        expected(node, path, "a duration such as 30s, 1m30s or 500ms").with_help(
            "durations are a number followed by a unit: ns, us, ms, s, m, h (e.g. `1m30s`)",
        )
    })
}

pub fn bytes(node: &Node, path: &str) -> Result<UnitBytes> {
    if let Value::Int(i) = node.value {
        return Ok(UnitBytes(i));
    }
    let text = string(node, path)?;
    UnitBytes::parse(&text)
        .ok_or_else(|| expected(node, path, "a size such as 512m, 1g or a number of bytes"))
}

/// Checks a string against a closed set of values, suggesting the nearest on a typo.
pub fn one_of(node: &Node, path: &str, allowed: &[&str]) -> Result<String> {
    let text = string(node, path)?;
    if allowed.contains(&text.as_str()) {
        return Ok(text);
    }
    let err = expected(node, path, &format!("one of {}", allowed.join(", ")));
    Err(match nearest(&text, allowed.iter().copied()) {
        Some(best) => err.with_help(format!("did you mean `{best}`?")),
        None => err,
    })
}

/// Octal file mode: a YAML integer is taken as is, a string is read as octal.
pub fn file_mode(node: &Node, path: &str) -> Result<u32> {
    match &node.value {
        Value::Int(i) => {
            u32::try_from(*i).map_err(|_| expected(node, path, "a file mode such as 0440"))
        }
        _ => {
            let text = string(node, path)?;
            u32::from_str_radix(text.trim(), 8)
                .map_err(|_| expected(node, path, "an octal file mode such as \"0440\""))
        }
    }
}

/// `cpu_rt_period` / `cpu_rt_runtime`: microseconds as a number or a duration string.
pub fn micros(node: &Node, path: &str) -> Result<i64> {
    match &node.value {
        Value::Int(i) => Ok(*i),
        _ => Ok((duration(node, path)?.as_nanos() / 1000) as i64),
    }
}
