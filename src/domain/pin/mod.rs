//! Where a project names a base or service image that a digest can pin: every `FROM` (through
//! the global ARGs it uses) and every compose `image:` of a service that is not built here; and
//! the rewrite that pins them as `name:tag@sha256:…`. Resolving digests is the engine's job.

#[cfg(test)]
mod tests;

use std::ops::Range;
use std::sync::Arc;

use crate::domain::compose::yaml::{Node, parse_documents};
use crate::domain::dockerfile::words::key_values;
use crate::domain::dockerfile::{Body, Dockerfile, ImageRef};

/// One place an image reference is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    /// 1-based line of the reference.
    pub line: usize,
    /// The reference as the build or `up` sees it, ARGs substituted, without its digest.
    pub reference: String,
    /// The digest written there now (`sha256:…`), if any.
    pub pinned: Option<String>,
    /// What the rewrite replaces: the written reference (an ARG default, or the FROM word).
    edit: Range<usize>,
}

/// A reference that cannot be pinned where it is written, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub line: usize,
    pub written: String,
    pub why: String,
}

/// Everything pinnable in one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sites {
    pub sites: Vec<Site>,
    pub skipped: Vec<Skipped>,
}

impl Site {
    /// `reference@digest`, the pinned form.
    pub fn pinned_as(&self, digest: &str) -> String {
        format!("{}@{digest}", self.reference)
    }
}

/// The pinnable FROMs of a Dockerfile. A FROM that is exactly one ARG (`FROM ${BASE}`) is
/// pinned where the ARG's default is written, so a `--build-arg BASE=…` still replaces the
/// whole reference; any other FROM gets the digest appended to its word, ARGs kept.
pub fn dockerfile_sites(text: &str, df: &Dockerfile) -> Sites {
    let mut out = Sites::default();
    for stage in &df.stages {
        let (resolved, earlier) = df.resolved_base(stage);
        if earlier.is_some() {
            continue;
        }
        let line = line_of(text, stage.image.span.start);
        let written = stage.image.value.clone();
        let image = ImageRef::parse(&resolved);
        if image.is_scratch() {
            continue;
        }
        if resolved.contains('$') {
            out.skipped.push(Skipped {
                line,
                written,
                why: "an ARG it uses has no default: pin the value you pass with --build-arg"
                    .to_owned(),
            });
            continue;
        }
        let edit = match whole_arg(&written) {
            Some(name) => match arg_default_span(text, df, &name) {
                Some(span) => span,
                None => {
                    out.skipped.push(Skipped {
                        line,
                        written,
                        why: format!("the default of ARG {name} is not written as one word"),
                    });
                    continue;
                }
            },
            None => stage.image.span.clone(),
        };
        push_site(&mut out, text, &resolved, edit);
    }
    out
}

/// The pinnable `image:` values of a compose file: services that are not built here (a built
/// service's `image:` names what the build produces) and whose value has no `${…}`.
pub fn compose_sites(path: &str, text: &str) -> Result<Sites, String> {
    let file: Arc<str> = Arc::from(path);
    let docs = parse_documents(&file, text).map_err(|e| e.to_string())?;
    let mut out = Sites::default();
    for doc in &docs {
        let Some(services) = doc
            .as_map()
            .and_then(|m| m.get("services"))
            .and_then(Node::as_map)
        else {
            continue;
        };
        for service in services.values() {
            let Some(map) = service.as_map() else {
                continue;
            };
            if map.contains_key("build") {
                continue;
            }
            let Some(node) = map.get("image") else {
                continue;
            };
            let Some(value) = node.as_str() else { continue };
            let line = node.pos.line as usize;
            if value.contains('$') {
                out.skipped.push(Skipped {
                    line,
                    written: value.to_owned(),
                    why: "it is interpolated: pin the value where the variable is set".to_owned(),
                });
                continue;
            }
            match scalar_span(text, line, node.pos.col as usize, value) {
                Some(edit) => push_site(&mut out, text, value, edit),
                None => out.skipped.push(Skipped {
                    line,
                    written: value.to_owned(),
                    why: "it is not written on one line as a plain or quoted scalar".to_owned(),
                }),
            }
        }
    }
    Ok(out)
}

/// The text with each site's reference pinned to its digest (existing digests replaced).
pub fn rewrite(text: &str, pins: &[(&Site, &str)]) -> String {
    let mut edits: Vec<(Range<usize>, String)> = pins
        .iter()
        .map(|(site, digest)| {
            let written = &text[site.edit.clone()];
            let bare = written.split_once('@').map_or(written, |(r, _)| r);
            (site.edit.clone(), format!("{bare}@{digest}"))
        })
        .collect();
    edits.sort_by_key(|(range, _)| range.start);
    edits.dedup_by_key(|(range, _)| range.start);
    let mut out = String::with_capacity(text.len() + 80 * edits.len());
    let mut at = 0;
    for (range, replacement) in edits {
        out.push_str(&text[at..range.start]);
        out.push_str(&replacement);
        at = range.end;
    }
    out.push_str(&text[at..]);
    out
}

fn push_site(out: &mut Sites, text: &str, resolved: &str, edit: Range<usize>) {
    // One ARG default feeds several FROMs: it is one place to pin.
    if out.sites.iter().any(|s| s.edit == edit) {
        return;
    }
    let image = ImageRef::parse(resolved);
    let reference = resolved
        .split_once('@')
        .map_or(resolved, |(r, _)| r)
        .to_owned();
    out.sites.push(Site {
        line: line_of(text, edit.start),
        reference,
        pinned: image.digest,
        edit,
    });
}

/// `NAME` when the word is exactly `$NAME` or `${NAME}`.
fn whole_arg(word: &str) -> Option<String> {
    let name = word
        .strip_prefix("${")
        .and_then(|w| w.strip_suffix('}'))
        .or_else(|| word.strip_prefix('$'))?;
    (!name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .then(|| name.to_owned())
}

/// The span of the default value of the global `ARG name=value` (quotes excluded).
fn arg_default_span(text: &str, df: &Dockerfile, name: &str) -> Option<Range<usize>> {
    let arg = df.instructions.iter().rev().find(|ins| {
        ins.stage.is_none()
            && matches!(&ins.body, Body::Arg(s) if key_values(&s.value).iter().any(|(k, v)| k == name && v.is_some()))
    })?;
    let Body::Arg(s) = &arg.body else { return None };
    let raw = text.get(s.span.clone())?;
    let key = format!("{name}=");
    let mut from = 0;
    let start = loop {
        let at = raw[from..].find(&key)? + from;
        let boundary = at == 0 || raw[..at].ends_with(char::is_whitespace);
        if boundary {
            break at + key.len();
        }
        from = at + key.len();
    };
    let rest = &raw[start..];
    let (offset, len) = match rest.chars().next() {
        Some(q @ ('"' | '\'')) => (1, rest[1..].find(q)?),
        _ => (0, rest.find(char::is_whitespace).unwrap_or(rest.len())),
    };
    let begin = s.span.start + start + offset;
    (len > 0 && !rest[offset..offset + len].contains('\\')).then(|| begin..begin + len)
}

/// The byte span of `value` written on `line` at character column `col` (plain or quoted).
fn scalar_span(text: &str, line: usize, col: usize, value: &str) -> Option<Range<usize>> {
    let start = line_start(text, line)?;
    let line_text = text[start..].split('\n').next()?;
    let skip: usize = line_text
        .chars()
        .take(col.saturating_sub(1))
        .map(char::len_utf8)
        .sum();
    let rest = &line_text[skip..];
    let offset = match rest.chars().next() {
        Some('"' | '\'') => 1,
        _ => 0,
    };
    rest[offset..]
        .starts_with(value)
        .then(|| start + skip + offset..start + skip + offset + value.len())
}

fn line_start(text: &str, line: usize) -> Option<usize> {
    if line <= 1 {
        return Some(0);
    }
    text.match_indices('\n').nth(line - 2).map(|(i, _)| i + 1)
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}
