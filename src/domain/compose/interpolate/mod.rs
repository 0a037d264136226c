//! Variable interpolation with Compose's grammar: `$VAR`, `${VAR}`, `${VAR:-d}`, `${VAR-d}`,
//! `${VAR:?e}`, `${VAR?e}`, `${VAR:+r}`, `${VAR+r}`, nesting in the default/replacement, `$$`.
//! Bounded: nesting deeper than the interpolation-depth limit and output longer than the
//! caller's allowance are errors, and every level writes into one output buffer, so memory is
//! linear in the output whatever the nesting. The walk over a YAML tree is in `tree.rs`.

mod tree;

pub use tree::{collect_variables, interpolate_tree};

use crate::domain::limits::{Limit, Limits};

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
    /// `${…}` nested deeper than `max` levels inside defaults and replacements.
    TooDeep { max: u64 },
    /// The result would be longer than `max` bytes.
    TooLong { max: u64 },
}

/// How far one expansion may go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bounds {
    pub max_depth: u64,
    pub max_len: u64,
}

impl Bounds {
    /// The depth limit of `limits`, and at most `max_len` bytes of output.
    pub fn new(limits: &Limits, max_len: u64) -> Self {
        Self {
            max_depth: limits.get(Limit::InterpolationDepth),
            max_len,
        }
    }
}

impl Default for Bounds {
    fn default() -> Self {
        let limits = Limits::default();
        Self::new(&limits, limits.get(Limit::ExpandedBytes))
    }
}

/// One variable reference found in a template (for `devbox config --variables`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VariableUse {
    pub name: String,
    pub default: Option<String>,
    pub alternate: Option<String>,
    pub required: bool,
}

/// Expands `template` under the default bounds; names of unset variables used without a
/// default go to `unset`.
pub fn substitute(
    template: &str,
    env: &dyn Lookup,
    unset: &mut Vec<String>,
) -> Result<String, TemplateError> {
    substitute_within(template, env, unset, Bounds::default())
}

/// Expands `template` within `bounds`.
pub fn substitute_within(
    template: &str,
    env: &dyn Lookup,
    unset: &mut Vec<String>,
    bounds: Bounds,
) -> Result<String, TemplateError> {
    let mut out = String::with_capacity(template.len().min(bounds.max_len as usize));
    Expander { env, unset, bounds }.expand(template, 0, &mut out)?;
    Ok(out)
}

struct Expander<'a> {
    env: &'a dyn Lookup,
    unset: &'a mut Vec<String>,
    bounds: Bounds,
}

impl Expander<'_> {
    fn push(&self, out: &mut String, text: &str) -> Result<(), TemplateError> {
        if (out.len() + text.len()) as u64 > self.bounds.max_len {
            return Err(TemplateError::TooLong {
                max: self.bounds.max_len,
            });
        }
        out.push_str(text);
        Ok(())
    }

    /// Appends the expansion of `template`, which sits `depth` defaults deep.
    fn expand(
        &mut self,
        template: &str,
        depth: u64,
        out: &mut String,
    ) -> Result<(), TemplateError> {
        if depth > self.bounds.max_depth {
            return Err(TemplateError::TooDeep {
                max: self.bounds.max_depth,
            });
        }
        let bytes = template.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let Some(offset) = template[i..].find('$') else {
                self.push(out, &template[i..])?;
                break;
            };
            self.push(out, &template[i..i + offset])?;
            i += offset;
            match bytes.get(i + 1) {
                Some(b'$') => {
                    self.push(out, "$")?;
                    i += 2;
                }
                Some(b'{') => {
                    let close = closing_brace(template, i + 2).ok_or(TemplateError::Invalid)?;
                    self.braced(&template[i + 2..close], depth, out)?;
                    i = close + 1;
                }
                Some(c) if c.is_ascii_alphabetic() || *c == b'_' => {
                    let len = name_len(&template[i + 1..]);
                    let name = &template[i + 1..i + 1 + len];
                    match self.env.get(name) {
                        Some(v) => self.push(out, v)?,
                        None => self.unset.push(name.to_owned()),
                    }
                    i += 1 + len;
                }
                _ => {
                    self.push(out, "$")?;
                    i += 1;
                }
            }
        }
        Ok(())
    }

    fn braced(&mut self, inner: &str, depth: u64, out: &mut String) -> Result<(), TemplateError> {
        let (name, op, arg) = split_braced(inner).ok_or(TemplateError::Invalid)?;
        let value = self.env.get(name);
        let set_non_empty = value.is_some_and(|v| !v.is_empty());
        match op {
            "" => match value {
                Some(v) => self.push(out, v),
                None => {
                    self.unset.push(name.to_owned());
                    Ok(())
                }
            },
            ":-" | ":?" if set_non_empty => self.push(out, value.unwrap_or_default()),
            "-" | "?" if value.is_some() => self.push(out, value.unwrap_or_default()),
            ":-" | "-" => self.expand(arg, depth + 1, out),
            ":?" | "?" => {
                let mut message = String::new();
                self.expand(arg, depth + 1, &mut message)?;
                Err(TemplateError::Required {
                    name: name.to_owned(),
                    message,
                })
            }
            ":+" if set_non_empty => self.expand(arg, depth + 1, out),
            "+" if value.is_some() => self.expand(arg, depth + 1, out),
            _ => Ok(()),
        }
    }
}

/// Index of the `}` closing a `${` whose content starts at `start` (braces counted).
fn closing_brace(text: &str, start: usize) -> Option<usize> {
    let mut depth = 1usize;
    for (offset, c) in text[start..].bytes().enumerate() {
        match c {
            b'{' => depth += 1,
            b'}' => {
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

/// Lists the variables a template refers to, with their defaults (nested ones too), within
/// `bounds`: `max_len` caps the bytes the listed defaults and alternates copy.
pub fn variables(
    template: &str,
    out: &mut Vec<VariableUse>,
    bounds: Bounds,
) -> Result<(), TemplateError> {
    let mut copied = 0;
    variables_at(template, out, 0, bounds, &mut copied)
}

fn variables_at(
    template: &str,
    out: &mut Vec<VariableUse>,
    depth: u64,
    bounds: Bounds,
    copied: &mut u64,
) -> Result<(), TemplateError> {
    if depth > bounds.max_depth {
        return Err(TemplateError::TooDeep {
            max: bounds.max_depth,
        });
    }
    let bytes = template.as_bytes();
    let mut i = 0;
    while let Some(offset) = template[i..].find('$') {
        i += offset;
        match bytes.get(i + 1) {
            Some(b'$') => i += 2,
            Some(b'{') => {
                let Some(close) = closing_brace(template, i + 2) else {
                    return Ok(());
                };
                let inner = &template[i + 2..close];
                if let Some((name, op, arg)) = split_braced(inner) {
                    *copied += (name.len() + arg.len()) as u64;
                    if *copied > bounds.max_len {
                        return Err(TemplateError::TooLong {
                            max: bounds.max_len,
                        });
                    }
                    out.push(VariableUse {
                        name: name.to_owned(),
                        default: matches!(op, ":-" | "-").then(|| arg.to_owned()),
                        alternate: matches!(op, ":+" | "+").then(|| arg.to_owned()),
                        required: matches!(op, ":?" | "?"),
                    });
                    variables_at(arg, out, depth + 1, bounds, copied)?;
                }
                i = close + 1;
            }
            Some(c) if c.is_ascii_alphabetic() || *c == b'_' => {
                let len = name_len(&template[i + 1..]);
                *copied += len as u64;
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
    Ok(())
}

#[cfg(test)]
mod tests;
