//! Dockerfile text the build needs before it starts: whether a `# syntax=` directive asks for
//! a frontend image, a copy without it when that image cannot be fetched, and recognising that
//! failure in the engine's answer.

use crate::engine::error::StackError;

/// A `# syntax=` parser directive: only at the top, before any instruction or other comment.
pub fn has_syntax_directive(text: &str) -> bool {
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        let Some(comment) = trimmed.strip_prefix('#') else {
            return false;
        };
        let Some((key, _)) = comment.split_once('=') else {
            return false;
        };
        let key = key.trim().to_ascii_lowercase();
        if key == "syntax" {
            return true;
        }
        if key != "escape" && key != "check" {
            return false;
        }
    }
    false
}

pub fn first_line(text: &str) -> String {
    let tail = text.rsplit(": ").next().unwrap_or(text);
    tail.lines().next().unwrap_or_default().to_owned()
}

/// The Dockerfile with its `# syntax=` directive line replaced by an empty comment.
pub fn without_syntax_directive(text: &str) -> String {
    let mut out = Vec::new();
    let mut in_directives = true;
    for line in text.split('\n') {
        let trimmed = line.trim();
        if in_directives {
            let is_syntax = trimmed
                .strip_prefix('#')
                .and_then(|c| c.split_once('='))
                .is_some_and(|(k, _)| k.trim().eq_ignore_ascii_case("syntax"));
            if is_syntax {
                out.push("#".to_owned());
                continue;
            }
            if !trimmed.is_empty() && !trimmed.starts_with('#') {
                in_directives = false;
            }
        }
        out.push(line.to_owned());
    }
    out.join("\n")
}

pub fn is_frontend_fetch_error(err: &StackError) -> bool {
    let text = err.to_string();
    text.contains("docker/dockerfile")
        || text.contains("failed to resolve source metadata")
        || text.contains("frontend")
}

/// Appends one file to a finished tar (Builder writes two zero blocks at the end).
pub fn append_file(mut tar: Vec<u8>, name: &str, data: &[u8]) -> Vec<u8> {
    if tar.len() >= 1024 && tar[tar.len() - 1024..].iter().all(|b| *b == 0) {
        tar.truncate(tar.len() - 1024);
    }
    let mut builder = tar::Builder::new(tar);
    let mut header = tar::Header::new_gnu();
    header.set_size(data.len() as u64);
    header.set_mode(0o644);
    header.set_cksum();
    if builder.append_data(&mut header, name, data).is_err() {
        return Vec::new();
    }
    builder.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_directive_only_counts_at_the_top() {
        assert!(has_syntax_directive(
            "# syntax=docker/dockerfile:1\nFROM x\n"
        ));
        assert!(has_syntax_directive(
            "# escape=`\n# syntax = docker/dockerfile:1.4\nFROM x"
        ));
        assert!(!has_syntax_directive(
            "FROM x\n# syntax=docker/dockerfile:1\n"
        ));
        assert!(!has_syntax_directive(
            "# a comment\n# syntax=docker/dockerfile:1\nFROM x"
        ));
    }

    #[test]
    fn the_syntax_line_is_blanked_and_lines_keep_their_numbers() {
        let text = "# syntax=docker/dockerfile:1\nFROM x\n# syntax=not-a-directive\n";
        assert_eq!(
            without_syntax_directive(text),
            "#\nFROM x\n# syntax=not-a-directive\n"
        );
    }
}
