//! What looks like a credential: names made of credential words (not settings about them) and
//! values that cannot be one. Shared by the Dockerfile (DBX113) and compose (DBX209) rules.

/// Whole words of a name (split at `_`, `-`, `.`) that make it a credential, alone or as a pair.
const WORDS: &[&str] = &[
    "PASSWORD",
    "PASSWD",
    "PWD",
    "SECRET",
    "TOKEN",
    "APIKEY",
    "CREDENTIALS",
];
const PAIRS: &[(&str, &str)] = &[("API", "KEY"), ("PRIVATE", "KEY"), ("ACCESS", "KEY")];

/// Words after which the name is a setting about the secret, not the secret itself
/// (`PASSWORD_MIN_LENGTH`, `ACCESS_TOKEN_EXPIRE_MINUTES`, `SECRET_KEY_BASE_DUMMY`,
/// `PASSWORD_HASHERS`, `TOKEN_URL`, `DB_PASSWORD_FILE`).
const QUALIFIERS: &[&str] = &[
    "LENGTH",
    "LEN",
    "MIN",
    "MAX",
    "EXPIRE",
    "EXPIRES",
    "EXPIRY",
    "EXPIRATION",
    "TTL",
    "LIFETIME",
    "MINUTES",
    "SECONDS",
    "HOURS",
    "DAYS",
    "TIMEOUT",
    "HASHER",
    "HASHERS",
    "ALGORITHM",
    "ALGO",
    "POLICY",
    "DUMMY",
    "ENABLED",
    "DISABLED",
    "REQUIRED",
    "RESET",
    "URL",
    "URI",
    "ENDPOINT",
    "HEADER",
    "NAME",
    "TYPE",
    "FILE",
    "PATH",
    "DIR",
    "LOCATION",
    "ID",
    "PARALLELISM",
];

pub fn secret_name(name: &str) -> bool {
    let up = name.to_ascii_uppercase();
    let words: Vec<&str> = up
        .split(['_', '-', '.'])
        .filter(|w| !w.is_empty())
        .collect();
    let at = words.iter().position(|w| WORDS.contains(w)).or_else(|| {
        words
            .windows(2)
            .position(|p| PAIRS.contains(&(p[0], p[1])))
            .map(|i| i + 1)
    });
    let Some(at) = at else {
        return false;
    };
    !words[at + 1..].iter().any(|w| QUALIFIERS.contains(w))
}

/// A value that cannot be a credential: a flag, a small number, or a path to one (a file the
/// container reads, like `GOOGLE_APPLICATION_CREDENTIALS=/var/secrets/key.json`).
pub fn harmless_value(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    matches!(
        lower.as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "none" | "null" | "changeme"
    ) || (value.len() <= 4 && value.chars().all(|c| c.is_ascii_digit()))
        || (value.starts_with('/') && !value.contains(char::is_whitespace))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_are_credentials_and_names_that_are_not() {
        for name in [
            "DB_PASSWORD",
            "NPM_TOKEN",
            "SECRET_KEY",
            "STRIPE_API_KEY",
            "AWS_SECRET_ACCESS_KEY",
            "GITHUB_TOKEN",
            "MYSQL_ROOT_PASSWORD",
            "GOOGLE_APPLICATION_CREDENTIALS",
        ] {
            assert!(secret_name(name), "{name}");
        }
        for name in [
            "TOKENIZERS_PARALLELISM",
            "ACCESS_TOKEN_EXPIRE_MINUTES",
            "SECRET_KEY_BASE_DUMMY",
            "PASSWORD_HASHERS",
            "PASSWORD_MIN_LENGTH",
            "JWT_SECRET_LENGTH",
            "DB_PASSWORD_FILE",
            "AWS_ACCESS_KEY_ID",
            "KEYCLOAK_URL",
            "PASSPORT_STRATEGY",
        ] {
            assert!(!secret_name(name), "{name}");
        }
    }

    #[test]
    fn values_that_cannot_be_credentials() {
        assert!(harmless_value("false"));
        assert!(harmless_value("1"));
        assert!(harmless_value("/var/secrets/key.json"));
        assert!(!harmless_value("hunter2"));
        assert!(!harmless_value("s3cr3t-value"));
    }
}
