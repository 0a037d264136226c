//! Port detection: env files first (what the app will really read), then the code, then the
//! framework default the language detector already set.

use super::facts::{Fact, Reason};
use super::{Detected, Language, ProjectScan};

const ENV_FILES: &[&str] = &[
    ".env",
    ".env.local",
    ".env.development",
    ".env.example",
    ".env.sample",
];
const ENV_KEYS: &[&str] = &["PORT", "APP_PORT", "HTTP_PORT", "SERVER_PORT"];

/// Markers after which a port number appears, per source extension.
const CODE_MARKERS: &[(&[&str], &[&str])] = &[
    (
        &[".js", ".mjs", ".cjs", ".ts", ".mts"],
        &[
            ".listen(", "PORT || ", "PORT ?? ", "PORT||", "port: ", "port:",
        ],
    ),
    (&[".py"], &["port=", "port = ", "--port ", "0.0.0.0:"]),
    (
        &[".go"],
        &[
            "ListenAndServe(\":",
            "Addr: \":",
            ".Run(\":",
            "Listen(\":",
            "PORT\", \"",
            "\":",
        ],
    ),
    (
        &[".rs"],
        &[
            "0.0.0.0:",
            "127.0.0.1:",
            "[0, 0, 0, 0], ",
            "\"PORT\").unwrap_or(",
        ],
    ),
];

pub(crate) fn detect(scan: &ProjectScan, out: &mut Detected) {
    // A static site is served by nginx/caddy on their fixed port, whatever its dev server uses.
    if out
        .language
        .as_ref()
        .is_some_and(|l| l.value == Language::Static)
    {
        return;
    }
    if let Some(fact) =
        from_env(scan).or_else(|| from_code(scan, out.language.as_ref().map(|l| l.value)))
    {
        out.port = Some(fact);
    }
}

fn from_env(scan: &ProjectScan) -> Option<Fact<u16>> {
    for file in ENV_FILES {
        let Some(text) = scan.text(file) else {
            continue;
        };
        for (index, line) in text.lines().enumerate() {
            let line = line.trim().trim_start_matches("export ").trim();
            let Some((key, value)) = line.split_once('=') else {
                continue;
            };
            if ENV_KEYS.contains(&key.trim())
                && let Some(port) = parse_port(value.trim().trim_matches(['"', '\'']))
            {
                return Some(Fact::new(
                    port,
                    Reason::at(file, Some(index + 1), format!("{}={port}", key.trim())),
                ));
            }
        }
    }
    None
}

fn from_code(scan: &ProjectScan, language: Option<Language>) -> Option<Fact<u16>> {
    let wanted: &[&str] = match language {
        Some(Language::Node) => CODE_MARKERS[0].0,
        Some(Language::Python) => CODE_MARKERS[1].0,
        Some(Language::Go) => CODE_MARKERS[2].0,
        Some(Language::Rust) => CODE_MARKERS[3].0,
        _ => return None,
    };
    let markers = CODE_MARKERS
        .iter()
        .find(|(exts, _)| *exts == wanted)
        .map(|(_, m)| *m)?;
    for (file, text) in &scan.contents {
        if !wanted.iter().any(|ext| file.ends_with(ext)) {
            continue;
        }
        for (index, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            for marker in markers {
                let mut rest = code;
                while let Some(at) = rest.find(marker) {
                    rest = &rest[at + marker.len()..];
                    if let Some(port) = leading_port(rest) {
                        return Some(Fact::new(
                            port,
                            Reason::at(file, Some(index + 1), line.trim().to_string()),
                        ));
                    }
                }
            }
        }
    }
    None
}

fn leading_port(text: &str) -> Option<u16> {
    let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
    let next = text[digits.len()..].chars().next();
    // `3000)` or `3000"` or end of line: a literal port, not the start of `3000ms` or an IP.
    if next.is_some_and(|c| c.is_ascii_alphanumeric() || c == '.') {
        return None;
    }
    parse_port(&digits)
}

fn parse_port(text: &str) -> Option<u16> {
    let port: u16 = text.parse().ok()?;
    (port == 80 || port >= 1024).then_some(port)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_need_a_literal_boundary() {
        assert_eq!(leading_port("3000);"), Some(3000));
        assert_eq!(leading_port("3000ms"), None);
        assert_eq!(leading_port("10.0.0.1"), None);
        assert_eq!(leading_port("22"), None);
    }
}
