//! Word-level helpers for instruction arguments: `KEY=value` lists (ENV, ARG, LABEL) and
//! `$VAR` / `${VAR}` / `${VAR:-default}` substitution with known values, and the variable
//! references of a word as the builder's expansion sees them.

use std::ops::Range;

/// Splits `ENV`/`ARG`/`LABEL` arguments into pairs. Handles `K=V K2="v 2"`, the legacy
/// `ENV K value with spaces` form and bare `ARG NAME` (value `None`).
pub fn key_values(text: &str) -> Vec<(String, Option<String>)> {
    let tokens = tokenize(text);
    let Some(first) = tokens.first() else {
        return vec![];
    };
    if !first.contains('=') && tokens.len() > 1 {
        // Legacy `ENV KEY value words...`: everything after the first token is the value.
        let rest = text.trim_start()[first.len()..].trim().to_string();
        return vec![(first.clone(), Some(unquote(&rest)))];
    }
    tokens
        .into_iter()
        .map(|t| match t.split_once('=') {
            Some((k, v)) => (k.to_string(), Some(unquote(v))),
            None => (t, None),
        })
        .collect()
}

/// Splits on unquoted whitespace, keeping quotes in the tokens.
fn tokenize(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (None, c) if c.is_whitespace() => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            (None, '"' | '\'') => {
                quote = Some(c);
                cur.push(c);
            }
            (Some(q), c) if c == q => {
                quote = None;
                cur.push(c);
            }
            (_, '\\') => {
                cur.push(c);
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            (_, c) => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn unquote(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    let mut quote: Option<char> = None;
    let mut chars = v.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (Some('\''), c) => out.push(c),
            (_, '\\') => {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            }
            (_, c) => out.push(c),
        }
    }
    out
}

/// Replaces `$NAME`, `${NAME}` and `${NAME:-default}` with known values; unknown names with a
/// default take the default, others are left as written (so callers can tell they are dynamic).
pub fn substitute(text: &str, known: &[(String, Option<String>)]) -> String {
    let lookup = |name: &str| {
        known
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .and_then(|(_, v)| v.clone())
    };
    let mut out = String::with_capacity(text.len());
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < text.len() {
        if bytes[i] == b'$' {
            if bytes.get(i + 1) == Some(&b'{') {
                if let Some(close) = text[i + 2..].find('}') {
                    let inner = &text[i + 2..i + 2 + close];
                    let (name, default) =
                        match inner.split_once(":-").or_else(|| inner.split_once('-')) {
                            Some((n, d)) => (n, Some(d)),
                            None => (inner, None),
                        };
                    match lookup(name).or_else(|| default.map(str::to_string)) {
                        Some(v) => out.push_str(&v),
                        None => out.push_str(&text[i..i + 3 + close]),
                    }
                    i += 3 + close;
                    continue;
                }
            } else {
                let len = text[i + 1..]
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(text.len() - i - 1);
                if len > 0 {
                    let name = &text[i + 1..i + 1 + len];
                    match lookup(name) {
                        Some(v) => out.push_str(&v),
                        None => out.push_str(&text[i..i + 1 + len]),
                    }
                    i += 1 + len;
                    continue;
                }
            }
        }
        let ch_len = text[i..].chars().next().map_or(1, char::len_utf8);
        out.push_str(&text[i..i + ch_len]);
        i += ch_len;
    }
    out
}

/// One `$NAME` / `${NAME…}` in a word, with its byte range inside that word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VarRef {
    pub name: String,
    pub range: Range<usize>,
}

/// The variable names in `text`, as BuildKit's word expansion sees them: an escaped `$` and
/// anything in single quotes is literal; `${X:-d}` still references `X` (BuildKit reports it
/// when `X` is undeclared, so do we).
pub fn references(text: &str, escape: char) -> Vec<VarRef> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut single = false;
    let mut i = 0;
    while i < bytes.len() {
        let c = text[i..].chars().next().unwrap_or('\0');
        if c == escape && !single {
            // The escaped character, whatever it is, is literal.
            i += c.len_utf8();
            i += text[i..].chars().next().map_or(0, char::len_utf8);
            continue;
        }
        if c == '\'' {
            single = !single;
        } else if c == '$'
            && !single
            && let Some((name, end)) = name_after(text, i)
        {
            out.push(VarRef {
                name,
                range: i..end,
            });
            i = end;
            continue;
        }
        i += c.len_utf8();
    }
    out
}

/// The name referenced by the `$` at `at`, and where the reference ends.
fn name_after(text: &str, at: usize) -> Option<(String, usize)> {
    let rest = &text[at + 1..];
    let is_name = |c: char| c.is_ascii_alphanumeric() || c == '_';
    if let Some(inner) = rest.strip_prefix('{') {
        let close = inner.find('}')?;
        let len = inner[..close].find(|c: char| !is_name(c)).unwrap_or(close);
        (len > 0).then(|| (inner[..len].to_owned(), at + 2 + close + 1))
    } else {
        let len = rest.find(|c: char| !is_name(c)).unwrap_or(rest.len());
        (len > 0).then(|| (rest[..len].to_owned(), at + 1 + len))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_skip_escapes_and_single_quotes() {
        let names =
            |t: &str| -> Vec<String> { references(t, '\\').into_iter().map(|r| r.name).collect() };
        assert_eq!(names("a$X/${Y:-d}/\\$Z/'$W'"), ["X", "Y"]);
        assert_eq!(names("$ {} ${} $1"), ["1"]);
    }

    fn kv(k: &str, v: Option<&str>) -> (String, Option<String>) {
        (k.to_string(), v.map(str::to_string))
    }

    #[test]
    fn pairs_and_legacy_form() {
        assert_eq!(
            key_values(r#"A=1 B="two words" C"#),
            vec![
                kv("A", Some("1")),
                kv("B", Some("two words")),
                kv("C", None)
            ]
        );
        assert_eq!(
            key_values("PATH /usr/bin:/bin"),
            vec![kv("PATH", Some("/usr/bin:/bin"))]
        );
        assert_eq!(key_values("NAME"), vec![kv("NAME", None)]);
    }

    #[test]
    fn substitution_uses_known_values_and_defaults() {
        let known = vec![kv("V", Some("22")), kv("EMPTY", None)];
        assert_eq!(substitute("node:${V}-alpine", &known), "node:22-alpine");
        assert_eq!(substitute("node:$V", &known), "node:22");
        assert_eq!(substitute("x:${EMPTY:-1.2}", &known), "x:1.2");
        assert_eq!(substitute("x:$UNKNOWN", &known), "x:$UNKNOWN");
        assert_eq!(substitute("x:${UNKNOWN}", &known), "x:${UNKNOWN}");
    }
}
