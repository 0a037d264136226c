//! Port detection: env files first (what the app will really read), then the server's own
//! listen call in the code (`listen`), then the framework default the language detector set.

use super::facts::{Fact, Reason};
use super::listen::{self, PORT_KEYS};
use super::{Detected, Language, ProjectScan};

const ENV_FILES: &[&str] = &[
    ".env",
    ".env.local",
    ".env.development",
    ".env.example",
    ".env.sample",
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
        from_env(scan).or_else(|| listen::from_code(scan, out.language.as_ref().map(|l| l.value)))
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
            if PORT_KEYS.contains(&key.trim())
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

fn parse_port(text: &str) -> Option<u16> {
    let port: u16 = text.parse().ok()?;
    (port == 80 || port >= 1024).then_some(port)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_files_name_the_port() {
        let scan =
            ProjectScan::from_files("p", [(".env", "REDIS_PORT=6379\nexport PORT=\"5050\"\n")]);
        let fact = from_env(&scan).unwrap();
        assert_eq!(
            (fact.value, fact.reason.to_string()),
            (5050, ".env:2: PORT=5050".into())
        );
        assert_eq!(parse_port("22"), None);
    }
}
