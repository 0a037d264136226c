//! Variable interpolation with Compose's grammar: `$VAR`, `${VAR}`, `${VAR:-d}`, `${VAR-d}`,
//! `${VAR:?e}`, `${VAR?e}`, `${VAR:+r}`, `${VAR+r}`, nesting in the default/replacement, `$$`.
//! Applied to YAML values only (never keys), per file, before merging.

use super::error::{LoadError, Warning, join};
use super::yaml::{Node, Value};

/// Where variable values come from.
pub trait Lookup {
    fn get(&self, name: &str) -> Option<&str>;
}

impl Lookup for std::collections::BTreeMap<String, String> {
    fn get(&self, name: &str) -> Option<&str> {
        std::collections::BTreeMap::get(self, name).map(String::as_str)
    }
}

impl Lookup for std::collections::HashMap<String, String> {
    fn get(&self, name: &str) -> Option<&str> {
        std::collections::HashMap::get(self, name).map(String::as_str)
    }
}

/// Why a template could not be expanded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateError {
    /// Malformed `${...}`.
    Invalid,
    /// `${VAR?msg}` / `${VAR:?msg}` with the variable missing.
    Required { name: String, message: String },
}

/// One variable reference found in a template (for `devbox config --variables`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VariableUse {
    pub name: String,
    pub default: Option<String>,
    pub alternate: Option<String>,
    pub required: bool,
}

/// Expands `template`; names of unset variables used without a default go to `unset`.
pub fn substitute(
    template: &str,
    env: &dyn Lookup,
    unset: &mut Vec<String>,
) -> Result<String, TemplateError> {
    let mut out = String::with_capacity(template.len());
    let bytes = template.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let Some(offset) = template[i..].find('$') else {
            out.push_str(&template[i..]);
            break;
        };
        out.push_str(&template[i..i + offset]);
        i += offset;
        match bytes.get(i + 1) {
            Some(b'$') => {
                out.push('$');
                i += 2;
            }
            Some(b'{') => {
                let close = closing_brace(template, i + 2).ok_or(TemplateError::Invalid)?;
                let inner = &template[i + 2..close];
                out.push_str(&braced(inner, env, unset)?);
                i = close + 1;
            }
            Some(c) if c.is_ascii_alphabetic() || *c == b'_' => {
                let len = name_len(&template[i + 1..]);
                let name = &template[i + 1..i + 1 + len];
                match env.get(name) {
                    Some(v) => out.push_str(v),
                    None => unset.push(name.to_owned()),
                }
                i += 1 + len;
            }
            _ => {
                out.push('$');
                i += 1;
            }
        }
    }
    Ok(out)
}

/// Index of the `}` closing a `${` whose content starts at `start` (braces counted).
fn closing_brace(text: &str, start: usize) -> Option<usize> {
    let mut depth = 1usize;
    for (offset, c) in text[start..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(start + offset);
                }
            }
            _ => {}
        }
    }
    None
}

fn name_len(text: &str) -> usize {
    let mut chars = text.char_indices();
    match chars.next() {
        Some((_, c)) if c.is_ascii_alphabetic() || c == '_' => {}
        _ => return 0,
    }
    text.char_indices()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '_'))
        .map_or(text.len(), |(i, _)| i)
}

/// Splits `NAME<op>rest` into its parts; `None` if malformed.
fn split_braced(inner: &str) -> Option<(&str, &str, &str)> {
    let len = name_len(inner);
    if len == 0 {
        return None;
    }
    let (name, rest) = inner.split_at(len);
    if rest.is_empty() {
        return Some((name, "", ""));
    }
    for op in [":-", ":?", ":+", "-", "?", "+"] {
        if let Some(arg) = rest.strip_prefix(op) {
            return Some((name, op, arg));
        }
    }
    None
}

fn braced(inner: &str, env: &dyn Lookup, unset: &mut Vec<String>) -> Result<String, TemplateError> {
    let (name, op, arg) = split_braced(inner).ok_or(TemplateError::Invalid)?;
    let value = env.get(name);
    let set_non_empty = value.is_some_and(|v| !v.is_empty());
    match op {
        "" => match value {
            Some(v) => Ok(v.to_owned()),
            None => {
                unset.push(name.to_owned());
                Ok(String::new())
            }
        },
        ":-" if set_non_empty => Ok(value.unwrap_or_default().to_owned()),
        "-" if value.is_some() => Ok(value.unwrap_or_default().to_owned()),
        ":-" | "-" => substitute(arg, env, unset),
        ":?" if set_non_empty => Ok(value.unwrap_or_default().to_owned()),
        "?" if value.is_some() => Ok(value.unwrap_or_default().to_owned()),
        ":?" | "?" => Err(TemplateError::Required {
            name: name.to_owned(),
            message: substitute(arg, env, unset)?,
        }),
        ":+" if set_non_empty => substitute(arg, env, unset),
        "+" if value.is_some() => substitute(arg, env, unset),
        _ => Ok(String::new()),
    }
}

/// Lists the variables a template refers to, with their defaults (nested ones too).
pub fn variables(template: &str, out: &mut Vec<VariableUse>) {
    let bytes = template.as_bytes();
    let mut i = 0;
    while let Some(offset) = template[i..].find('$') {
        i += offset;
        match bytes.get(i + 1) {
            Some(b'$') => i += 2,
            Some(b'{') => {
                let Some(close) = closing_brace(template, i + 2) else {
                    return;
                };
                let inner = &template[i + 2..close];
                if let Some((name, op, arg)) = split_braced(inner) {
                    out.push(VariableUse {
                        name: name.to_owned(),
                        default: matches!(op, ":-" | "-").then(|| arg.to_owned()),
                        alternate: matches!(op, ":+" | "+").then(|| arg.to_owned()),
                        required: matches!(op, ":?" | "?"),
                    });
                    variables(arg, out);
                }
                i = close + 1;
            }
            Some(c) if c.is_ascii_alphabetic() || *c == b'_' => {
                let len = name_len(&template[i + 1..]);
                out.push(VariableUse {
                    name: template[i + 1..i + 1 + len].to_owned(),
                    default: None,
                    alternate: None,
                    required: false,
                });
                i += 1 + len;
            }
            _ => i += 1,
        }
    }
}

/// Interpolates every string value in `node` (keys are left alone, as in Compose).
/// `path` is the key path of `node`, used in error messages.
pub fn interpolate_tree(
    node: &mut Node,
    path: &str,
    env: &dyn Lookup,
    warnings: &mut Vec<Warning>,
) -> Result<(), LoadError> {
    // The walk carries no key path (building one per node dominated load time); the path of
    // a failing value is recovered afterwards from its unique position.
    walk(node, env, warnings).map_err(|mut err| {
        if let Some(pos) = &err.pos
            && let Some(found) = path_to(node, pos, path)
        {
            err.path = found;
        }
        err
    })
}

fn path_to(node: &Node, pos: &super::error::Pos, prefix: &str) -> Option<String> {
    match &node.value {
        Value::Str(_) if node.pos == *pos => Some(prefix.to_owned()),
        Value::Seq(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, item)| path_to(item, pos, &format!("{prefix}[{i}]"))),
        Value::Map(map) => map
            .iter()
            .find_map(|(k, v)| path_to(v, pos, &join(prefix, k))),
        _ => None,
    }
}

fn walk(node: &mut Node, env: &dyn Lookup, warnings: &mut Vec<Warning>) -> Result<(), LoadError> {
    match &mut node.value {
        Value::Str(text) => {
            if !text.contains('$') {
                return Ok(());
            }
            let mut unset = Vec::new();
            match substitute(text, env, &mut unset) {
                Ok(expanded) => *text = expanded,
                Err(TemplateError::Invalid) => {
                    return Err(LoadError::at(
                        node.pos.clone(),
                        "",
                        format!(
                            "invalid interpolation format {text:?}; you may need to escape any $ with another $"
                        ),
                    )
                    .with_help("write `$$` for a literal `$`, or use `${NAME}`, `${NAME:-default}`, `${NAME:?error}`"));
                }
                Err(TemplateError::Required { name, message }) => {
                    let detail = if message.is_empty() {
                        String::new()
                    } else {
                        format!(": {message}")
                    };
                    return Err(LoadError::at(
                        node.pos.clone(),
                        "",
                        format!("required variable {name} is missing a value{detail}"),
                    )
                    .with_help(format!(
                        "set {name} in the shell or in the project's .env file"
                    )));
                }
            }
            for name in unset {
                warnings.push(Warning {
                    pos: Some(node.pos.clone()),
                    message: format!(
                        "The \"{name}\" variable is not set. Defaulting to a blank string."
                    ),
                });
            }
            Ok(())
        }
        Value::Seq(items) => items
            .iter_mut()
            .try_for_each(|item| walk(item, env, warnings)),
        Value::Map(map) => map
            .values_mut()
            .try_for_each(|value| walk(value, env, warnings)),
        Value::Null | Value::Bool(_) | Value::Int(_) | Value::Float(_) => Ok(()),
    }
}

/// Collects every variable referenced by string values in `node`.
pub fn collect_variables(node: &Node, out: &mut Vec<VariableUse>) {
    match &node.value {
        Value::Str(text) => variables(text, out),
        Value::Seq(items) => items.iter().for_each(|n| collect_variables(n, out)),
        Value::Map(map) => map.values().for_each(|n| collect_variables(n, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn env() -> BTreeMap<String, String> {
        [("A", "a"), ("EMPTY", ""), ("N", "3")]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
    }

    fn sub(t: &str) -> Result<String, TemplateError> {
        substitute(t, &env(), &mut Vec::new())
    }

    #[test]
    fn the_grammar() {
        let ok = |t: &str, want: &str| assert_eq!(sub(t).as_deref(), Ok(want), "{t}");
        ok("$A ${A}", "a a");
        ok("${EMPTY:-d} ${EMPTY-d} ${UNSET-d}", "d  d");
        ok("${A:+r} ${EMPTY:+r} ${EMPTY+r} ${UNSET+r}", "r  r ");
        ok("$$A $$$A", "$A $a");
        ok("${UNSET:-${A}-x}", "a-x");
        ok("${UNSET:-${UNSET2:-deep}}", "deep");
        ok("$1 $ $-", "$1 $ $-");
        ok("${A-b:-c}", "a");
        ok("${UNSET-b:-c}", "b:-c");
        ok("x$Ay", "x");
    }

    #[test]
    fn errors() {
        assert_eq!(sub("${foo.bar}"), Err(TemplateError::Invalid));
        assert_eq!(sub("${A"), Err(TemplateError::Invalid));
        assert_eq!(sub("${}"), Err(TemplateError::Invalid));
        assert_eq!(
            sub("${UNSET:?need it}"),
            Err(TemplateError::Required {
                name: "UNSET".into(),
                message: "need it".into()
            })
        );
        assert_eq!(sub("${EMPTY?x}"), Ok(String::new()));
        assert!(sub("${EMPTY:?x}").is_err());
    }

    #[test]
    fn unset_variables_are_reported() {
        let mut unset = Vec::new();
        let out = substitute("${X}-$Y-${Z:-z}", &env(), &mut unset).unwrap();
        assert_eq!(out, "--z");
        assert_eq!(unset, vec!["X".to_owned(), "Y".to_owned()]);
    }

    #[test]
    fn variables_are_listed_with_defaults() {
        let mut out = Vec::new();
        variables(
            "${TAG:-latest} $FOO ${X-${Y:-deep}} ${R:?m} ${E:+set} $$NOT",
            &mut out,
        );
        let names: Vec<_> = out.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names, ["TAG", "FOO", "X", "Y", "R", "E"]);
        assert_eq!(out[2].default.as_deref(), Some("${Y:-deep}"));
        assert!(out[4].required);
        assert_eq!(out[5].alternate.as_deref(), Some("set"));
    }
}
