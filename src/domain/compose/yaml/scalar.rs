//! Scalars as go-yaml resolves them: the YAML 1.2 core schema plus the 1.1 spellings go-yaml
//! v3 keeps, octal with a leading `0`, and tags that force a type.

use serde_saphyr::granit_parser::{ScalarStyle, Tag};

use super::Value;

/// go-yaml's resolution of untagged plain scalars (YAML 1.2 core schema plus the 1.1
/// spellings go-yaml v3 keeps for decoding into interfaces).
pub(super) fn resolve_scalar(text: &str, style: ScalarStyle, tag: Option<&Tag>) -> Value {
    if let Some(tag) = tag {
        if tag.handle() == "tag:yaml.org,2002:" {
            return match tag.suffix() {
                "str" => Value::Str(text.to_owned()),
                "null" => Value::Null,
                "bool" => resolve_plain(text),
                "int" | "float" => resolve_plain(text),
                _ => Value::Str(text.to_owned()),
            };
        }
        if tag.handle() == "!" && matches!(tag.suffix(), "reset" | "override") {
            // The tag only marks merge behaviour; the value resolves as usual.
        } else {
            return Value::Str(text.to_owned());
        }
    }
    if style != ScalarStyle::Plain {
        return Value::Str(text.to_owned());
    }
    resolve_plain(text)
}

fn resolve_plain(text: &str) -> Value {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Value::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return Value::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Value::Float(f64::NAN),
        _ => {}
    }
    if let Some(i) = parse_int(text) {
        return Value::Int(i);
    }
    let first = text.as_bytes()[0];
    if (first.is_ascii_digit() || matches!(first, b'-' | b'+' | b'.'))
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E'))
        && text.bytes().any(|b| b.is_ascii_digit())
        && let Ok(f) = text.parse::<f64>()
    {
        return Value::Float(f);
    }
    Value::Str(text.to_owned())
}

fn parse_int(text: &str) -> Option<i64> {
    let (neg, body) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    if body.is_empty() {
        return None;
    }
    // go-yaml resolves plain integers with Go's `strconv.ParseInt(s, 0, 64)`: a leading `0`
    // means octal (so `mode: 0440` is 288), `0x` hex, `0o` octal, `0b` binary.
    let (radix, digits) = if let Some(rest) = body.strip_prefix("0x") {
        (16, rest)
    } else if let Some(rest) = body.strip_prefix("0o") {
        (8, rest)
    } else if let Some(rest) = body.strip_prefix("0b") {
        (2, rest)
    } else if body.len() > 1 && body.starts_with('0') {
        (8, &body[1..])
    } else {
        (10, body)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = i64::from_str_radix(digits, radix).ok()?;
    Some(if neg { -magnitude } else { magnitude })
}
