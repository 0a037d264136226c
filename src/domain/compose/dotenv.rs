//! `.env` / `env_file` parsing with compose-go's dotenv rules: `export`, `=` or `:`
//! separators, bare keys taken from the environment, unquoted values with ` #` comments,
//! literal single quotes, double quotes with escapes and line breaks, `${VAR}` interpolation
//! (bounded: the values of one file expand to at most the caller's allowance).

use std::collections::BTreeMap;

use indexmap::IndexMap;

use super::interpolate::{Bounds, Lookup, TemplateError, substitute_within};
use crate::domain::limits::{Limit, Limits};

/// A `.env` syntax error: line number (1-based) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DotenvError {
    pub line: usize,
    pub message: String,
}

struct Chain<'a> {
    parsed: &'a IndexMap<String, String>,
    outer: &'a dyn Lookup,
}

impl Lookup for Chain<'_> {
    fn get(&self, name: &str) -> Option<&str> {
        // The outer environment (shell) wins over values defined earlier in the file.
        self.outer
            .get(name)
            .or_else(|| self.parsed.get(name).map(String::as_str))
    }
}

/// Parses `text` under the default limits. `outer` supplies values for bare keys and `${VAR}`
/// references. With `raw` (env_file `format: raw`) values are taken verbatim after the first `=`.
pub fn parse(
    text: &str,
    outer: &dyn Lookup,
    raw: bool,
) -> Result<IndexMap<String, String>, DotenvError> {
    let limits = Limits::default();
    parse_within(text, outer, raw, &limits, limits.get(Limit::ExpandedBytes))
}

/// Parses `text`; its values may expand to `max_len` bytes in all (a line of `${BIG}${BIG}…`
/// must not turn a small file into gigabytes).
pub fn parse_within(
    text: &str,
    outer: &dyn Lookup,
    raw: bool,
    limits: &Limits,
    max_len: u64,
) -> Result<IndexMap<String, String>, DotenvError> {
    let mut left = max_len;
    let mut expand_value = |value: &str, out: &IndexMap<String, String>, line: usize| {
        let bounds = Bounds::new(limits, left);
        let expanded = expand(value, out, outer, bounds).map_err(|err| DotenvError {
            line,
            message: match err {
                TemplateError::TooDeep { max } => format!(
                    "`${{…}}` nested more than {} deep ({})",
                    Limit::InterpolationDepth.format(max),
                    limits.describe(Limit::InterpolationDepth)
                ),
                _ => format!(
                    "the values expand past {} ({})",
                    Limit::ExpandedBytes.format(max_len),
                    limits.describe(Limit::ExpandedBytes)
                ),
            },
        })?;
        left = left.saturating_sub(expanded.len() as u64);
        Ok(expanded)
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out: IndexMap<String, String> = IndexMap::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    let mut line = 1;
    while i < chars.len() {
        // Skip blank space and comment lines.
        while i < chars.len() && chars[i].is_whitespace() {
            if chars[i] == '\n' {
                line += 1;
            }
            i += 1;
        }
        if i >= chars.len() {
            break;
        }
        if chars[i] == '#' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            continue;
        }
        let start_line = line;
        let rest: String = chars[i..chars.len().min(i + 7)].iter().collect();
        if rest.starts_with("export ") || rest.starts_with("export\t") {
            i += 7;
            while i < chars.len() && (chars[i] == ' ' || chars[i] == '\t') {
                i += 1;
            }
        }
        let key_start = i;
        while i < chars.len() && is_key_char(chars[i]) {
            i += 1;
        }
        let key: String = chars[key_start..i].iter().collect();
        while i < chars.len() && (chars[i] == ' ' || chars[i] == '\t') {
            i += 1;
        }
        let at_end = i >= chars.len() || chars[i] == '\n' || chars[i] == '#';
        if key.is_empty() {
            let bad: String = chars[i..].iter().take_while(|c| **c != '\n').collect();
            return Err(DotenvError {
                line: start_line,
                message: format!("unexpected character in variable name near {bad:?}"),
            });
        }
        if at_end {
            // A bare `KEY` takes its value from the environment, if any.
            let value = Chain {
                parsed: &out,
                outer,
            }
            .get(&key)
            .map(str::to_owned);
            if let Some(value) = value {
                out.insert(key, value);
            }
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            continue;
        }
        if chars[i] != '=' && chars[i] != ':' {
            return Err(DotenvError {
                line: start_line,
                message: format!(
                    "unexpected character {:?} in variable name {key:?}",
                    chars[i]
                ),
            });
        }
        i += 1;
        while i < chars.len() && (chars[i] == ' ' || chars[i] == '\t') {
            i += 1;
        }
        let value = if raw {
            let end = chars[i..]
                .iter()
                .position(|c| *c == '\n')
                .map_or(chars.len(), |p| i + p);
            let v: String = chars[i..end].iter().collect();
            i = end;
            v.trim_end_matches('\r').to_owned()
        } else {
            match chars.get(i) {
                Some('\'') => {
                    let (v, next, lines) = quoted(&chars, i + 1, '\'', start_line)?;
                    i = next;
                    line += lines;
                    v.replace("\\'", "'")
                }
                Some('"') => {
                    let (v, next, lines) = quoted(&chars, i + 1, '"', start_line)?;
                    i = next;
                    line += lines;
                    let unescaped = unescape(&v);
                    expand_value(&unescaped, &out, start_line)?
                }
                _ => {
                    let end = chars[i..]
                        .iter()
                        .position(|c| *c == '\n')
                        .map_or(chars.len(), |p| i + p);
                    let mut v: String = chars[i..end].iter().collect();
                    i = end;
                    if let Some(pos) = v.find(" #") {
                        v.truncate(pos);
                    }
                    expand_value(v.trim_end(), &out, start_line)?
                }
            }
        };
        // Anything after a closing quote up to the end of the line is ignored (comments).
        while i < chars.len() && chars[i] != '\n' {
            i += 1;
        }
        out.insert(key, value);
    }
    Ok(out)
}

fn is_key_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '.' | '-' | '[' | ']')
}

/// Reads a quoted value starting after the opening quote; returns (text, next index, newlines).
fn quoted(
    chars: &[char],
    start: usize,
    quote: char,
    line: usize,
) -> Result<(String, usize, usize), DotenvError> {
    let mut i = start;
    let mut newlines = 0;
    let mut out = String::new();
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' && i + 1 < chars.len() {
            out.push(c);
            out.push(chars[i + 1]);
            i += 2;
            continue;
        }
        if c == quote {
            return Ok((out, i + 1, newlines));
        }
        if c == '\n' {
            newlines += 1;
        }
        out.push(c);
        i += 1;
    }
    Err(DotenvError {
        line,
        message: format!("unterminated quoted value (missing closing {quote})"),
    })
}

fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('a') => out.push('\u{7}'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some('v') => out.push('\u{b}'),
            Some('\\') => out.push('\\'),
            Some('"') => out.push('"'),
            // Keep `\$` as `$$` so interpolation leaves a literal dollar.
            Some('$') => out.push_str("$$"),
            Some('0') => {
                let mut digits = String::new();
                while digits.len() < 3 && chars.peek().is_some_and(|d| d.is_digit(8)) {
                    digits.extend(chars.next());
                }
                match u32::from_str_radix(&digits, 8)
                    .ok()
                    .and_then(char::from_u32)
                {
                    Some(ch) if !digits.is_empty() => out.push(ch),
                    _ => out.push('\0'),
                }
            }
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

fn expand(
    value: &str,
    parsed: &IndexMap<String, String>,
    outer: &dyn Lookup,
    bounds: Bounds,
) -> Result<String, TemplateError> {
    let chain = Chain { parsed, outer };
    // Unset variables expand to "" like Compose; malformed templates are kept verbatim, but
    // not ones past the bounds (kept, they would hide the limit).
    match substitute_within(value, &chain, &mut Vec::new(), bounds) {
        Ok(expanded) => Ok(expanded),
        Err(err @ (TemplateError::TooDeep { .. } | TemplateError::TooLong { .. })) => Err(err),
        Err(TemplateError::Invalid | TemplateError::Required { .. }) => Ok(value.to_owned()),
    }
}

/// Convenience for tests and callers with a plain map as the outer environment.
pub fn parse_with_map(
    text: &str,
    outer: &BTreeMap<String, String>,
) -> Result<IndexMap<String, String>, DotenvError> {
    parse(text, outer, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env() -> BTreeMap<String, String> {
        [
            ("HOME".to_owned(), "/home/me".to_owned()),
            ("SHELLVAR".to_owned(), "shell".to_owned()),
        ]
        .into_iter()
        .collect()
    }

    #[test]
    fn syntax() {
        let text = "\u{feff}# comment\nA=1\nexport B = two words # comment\nC='lit $HOME \\' x'\nD=\"line1\\nline2 ${HOME}\"\nE: colon\nSHELLVAR\nMISSING\nF=${A}-${E}\nG=\"multi\nline\"\nH=a#b\n";
        let out = parse_with_map(text, &env()).unwrap();
        assert_eq!(out["A"], "1");
        assert_eq!(out["B"], "two words");
        assert_eq!(out["C"], "lit $HOME ' x");
        assert_eq!(out["D"], "line1\nline2 /home/me");
        assert_eq!(out["E"], "colon");
        assert_eq!(out["SHELLVAR"], "shell");
        assert!(!out.contains_key("MISSING"));
        assert_eq!(out["F"], "1-colon");
        assert_eq!(out["G"], "multi\nline");
        assert_eq!(out["H"], "a#b");
    }

    #[test]
    fn errors_name_the_line() {
        let err = parse_with_map("A=1\nB=\"open\n", &env()).unwrap_err();
        assert_eq!(err.line, 2);
        let err = parse_with_map("A=1\n!!=2\n", &env()).unwrap_err();
        assert_eq!(err.line, 2);
    }

    #[test]
    fn raw_format_keeps_values() {
        let out = parse("A=\"$x\" # c\n", &env(), true).unwrap();
        assert_eq!(out["A"], "\"$x\" # c");
    }
}
