//! What a health check runs: its words, the URLs and hosts it probes.

use crate::domain::dockerfile::Command;
use crate::domain::dockerfile::shell::simple_commands;

/// The words of every simple command of a health check.
pub fn commands(cmd: &Command, escape: char) -> Vec<Vec<String>> {
    match cmd {
        Command::Exec { args, .. } => {
            let words: Vec<String> = args.iter().map(|a| a.value.clone()).collect();
            split_shell_words(words, escape)
        }
        Command::Shell { text, .. } => simple_commands(text, escape)
            .into_iter()
            .map(|c| c.words)
            .collect(),
    }
}

/// Compose-style `["CMD-SHELL", "..."]` and `sh -c "..."` run a script: split it further.
pub fn split_shell_words(words: Vec<String>, escape: char) -> Vec<Vec<String>> {
    let script = match words.as_slice() {
        [first, rest] if first == "CMD-SHELL" => Some(rest.clone()),
        [first, rest @ ..] if first == "CMD" => return split_shell_words(rest.to_vec(), escape),
        [sh, c, script, ..]
            if matches!(sh.rsplit('/').next(), Some("sh" | "bash")) && c == "-c" =>
        {
            Some(script.clone())
        }
        _ => None,
    };
    match script {
        Some(s) => simple_commands(&s, escape)
            .into_iter()
            .map(|c| c.words)
            .collect(),
        None => vec![words],
    }
}

/// The host of every `http(s)://` URL in the words.
pub fn url_hosts(words: &[String]) -> Vec<(String, String)> {
    words
        .iter()
        .filter_map(|w| {
            let start = w.find("://")?;
            let rest = &w[start + 3..];
            let end = rest.find(['/', '?']).unwrap_or(rest.len());
            let authority = &rest[..end];
            let host = if authority.starts_with('[') {
                authority
                    .split(']')
                    .next()
                    .map(|h| format!("{h}]"))
                    .unwrap_or_default()
            } else {
                authority
                    .rsplit_once(':')
                    .map_or(authority, |(h, _)| h)
                    .to_string()
            };
            Some((host, rest[end..].to_string()))
        })
        .collect()
}

pub fn is_local(host: &str) -> bool {
    matches!(
        host,
        "localhost" | "127.0.0.1" | "[::1]" | "::1" | "0.0.0.0" | ""
    ) || host.starts_with('$')
        || host.starts_with("127.")
}
