//! Build-time variables as BuildKit expands them: the `$NAME` references in an instruction's
//! words, expansion with known values, "did you mean" suggestions, image-reference syntax, the
//! builder's platform ARGs and FROM's `--platform` value — shared by DBX139, DBX140 and DBX142.

use super::DockerfileCtx;
use crate::domain::dockerfile::words::references;
use crate::domain::dockerfile::{Body, Instruction};

/// Expands `text` with `value_of` (None = unset); `${X:-d}` / `${X-d}` / `${X:+w}` / `${X+w}`
/// follow the shell's rules, anything unset expands to nothing.
pub fn expand(text: &str, escape: char, value_of: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for r in references(text, escape) {
        out.push_str(&text[last..r.range.start]);
        last = r.range.end;
        let written = &text[r.range.clone()];
        let value = value_of(&r.name);
        let Some(inner) = written.strip_prefix("${").and_then(|w| w.strip_suffix('}')) else {
            out.push_str(value.as_deref().unwrap_or(""));
            continue;
        };
        let modifier = &inner[r.name.len()..];
        let set = value.is_some();
        let non_empty = value.as_deref().is_some_and(|v| !v.is_empty());
        let expanded = if let Some(word) = modifier.strip_prefix(":-") {
            if non_empty {
                value
            } else {
                Some(word.to_owned())
            }
        } else if let Some(word) = modifier.strip_prefix('-') {
            if set { value } else { Some(word.to_owned()) }
        } else if let Some(word) = modifier.strip_prefix(":+") {
            non_empty.then(|| word.to_owned())
        } else if let Some(word) = modifier.strip_prefix('+') {
            set.then(|| word.to_owned())
        } else {
            value
        };
        out.push_str(expanded.as_deref().unwrap_or(""));
    }
    out.push_str(&text[last..]);
    out
}

/// A defined name close enough to `name` to be what was meant (a typo or a case slip).
pub fn suggest<'a>(name: &str, defined: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).clamp(1, 2);
    // Names longer than any real variable are not typos worth a quadratic comparison.
    if name.len() > 256 {
        return None;
    }
    defined
        .into_iter()
        .filter(|d| *d != name && d.len().abs_diff(name.len()) <= limit)
        .map(|d| {
            let distance = if d.eq_ignore_ascii_case(name) {
                0
            } else {
                edit_distance(name, d)
            };
            (distance, d)
        })
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, d)| d)
}

/// Edit distance counting a swap of two neighbours as one edit (`PAHT` is one from `PATH`).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let width = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * width];
    for (j, cell) in d.iter_mut().enumerate().take(width) {
        *cell = j;
    }
    for i in 1..=a.len() {
        d[i * width] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[(i - 1) * width + j] + 1)
                .min(d[i * width + j - 1] + 1)
                .min(d[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[(i - 2) * width + j - 2] + 1);
            }
            d[i * width + j] = best;
        }
    }
    d[a.len() * width + b.len()]
}

/// Whether `image` is a syntactically valid image reference (`[registry/]path[:tag][@digest]`),
/// as the builder checks before resolving it.
pub fn valid_reference(image: &str) -> bool {
    let (name, digest) = match image.split_once('@') {
        Some((n, d)) => (n, Some(d)),
        None => (image, None),
    };
    if let Some(d) = digest {
        let Some((algorithm, hex)) = d.split_once(':') else {
            return false;
        };
        if algorithm.is_empty() || hex.len() < 32 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return false;
        }
    }
    let slash = name.rfind('/').map_or(0, |i| i + 1);
    let (path, tag) = match name[slash..].rfind(':') {
        Some(i) => (&name[..slash + i], Some(&name[slash + i + 1..])),
        None => (name, None),
    };
    if let Some(tag) = tag {
        let first_ok = tag
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        let rest_ok = tag
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
        if !first_ok || !rest_ok || tag.len() > 128 {
            return false;
        }
    }
    let mut parts = path.split('/');
    let first = parts.next().unwrap_or("");
    let registry =
        path.contains('/') && (first.contains('.') || first.contains(':') || first == "localhost");
    let components: Vec<&str> = if registry {
        parts.collect()
    } else {
        path.split('/').collect()
    };
    !components.is_empty() && components.iter().all(|c| path_component(c))
}

/// `[a-z0-9]+` runs joined by `.`, `_`, `__` or dashes.
fn path_component(c: &str) -> bool {
    let alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let bytes = c.as_bytes();
    if bytes.is_empty() || !alnum(bytes[0]) || !alnum(bytes[bytes.len() - 1]) {
        return false;
    }
    c.bytes()
        .all(|b| alnum(b) || matches!(b, b'.' | b'_' | b'-'))
        && !c.contains("..")
        && !c.contains("___")
        && !c.contains("._")
        && !c.contains("_.")
}

/// ARGs the builder declares in the global scope itself.
pub const PLATFORM_ARGS: &[(&str, &str)] = &[
    ("BUILDPLATFORM", "linux/amd64"),
    ("BUILDOS", "linux"),
    ("BUILDOSVERSION", ""),
    ("BUILDARCH", "amd64"),
    ("BUILDVARIANT", ""),
    ("TARGETPLATFORM", "linux/amd64"),
    ("TARGETOS", "linux"),
    ("TARGETOSVERSION", ""),
    ("TARGETARCH", "amd64"),
    ("TARGETVARIANT", ""),
    ("TARGETSTAGE", ""),
];

/// The `--platform` value of a FROM and where it is.
pub fn platform_value(
    cx: &DockerfileCtx<'_>,
    ins: &Instruction,
) -> Option<(String, std::ops::Range<usize>)> {
    if !matches!(ins.body, Body::From { .. }) {
        return None;
    }
    let flag = ins.flag("platform")?;
    let value = flag.value.clone()?;
    let written = cx.text.get(flag.span.clone()).unwrap_or("");
    let span = match written.rfind(value.as_str()) {
        Some(at) if !value.is_empty() => flag.span.start + at..flag.span.start + at + value.len(),
        _ => flag.span.clone(),
    };
    Some((value, span))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expansion_follows_the_shell() {
        let value_of = |n: &str| match n {
            "SET" => Some("v".to_owned()),
            "EMPTY" => Some(String::new()),
            _ => None,
        };
        assert_eq!(expand("a:${SET}", '\\', &value_of), "a:v");
        assert_eq!(expand("a:$UNSET", '\\', &value_of), "a:");
        assert_eq!(expand("${EMPTY:-d} ${EMPTY-d}", '\\', &value_of), "d ");
        assert_eq!(expand("${SET:+w}${UNSET:+w}", '\\', &value_of), "w");
    }

    #[test]
    fn suggestions_are_close_names_only() {
        assert_eq!(suggest("PAHT", ["PATH", "HOME"]), Some("PATH"));
        assert_eq!(suggest("DIR_ASSET", ["DIR_ASSETS"]), Some("DIR_ASSETS"));
        assert_eq!(suggest("version", ["VERSION"]), Some("VERSION"));
        assert_eq!(suggest("A", ["B"]), Some("B"));
        assert_eq!(suggest("APP_HOME", ["NODE_ENV"]), None);
    }

    #[test]
    fn image_references() {
        for ok in [
            "alpine",
            "alpine:3.20",
            "ghcr.io/org/app:1.2",
            "localhost:5000/app",
            "python:3.12-slim@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        ] {
            assert!(valid_reference(ok), "{ok}");
        }
        for bad in [
            "",
            "busybox:",
            "Alpine:3",
            ":3",
            "app:-x",
            "a//b",
            "app@sha256:xyz",
        ] {
            assert!(!valid_reference(bad), "{bad}");
        }
    }
}
