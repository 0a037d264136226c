//! `.devbox-lint.toml`: ignored rules, severity overrides and the failure threshold.

use super::Severity;
use std::collections::BTreeMap;

/// Lint settings. `fail_on = None` means findings never fail the run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LintConfig {
    pub ignore: Vec<String>,
    /// Opt-in rules turned on (see `registry::OPT_IN`).
    pub enable: Vec<String>,
    pub severity: BTreeMap<String, Severity>,
    pub fail_on: Option<Severity>,
}

impl Default for LintConfig {
    fn default() -> Self {
        LintConfig {
            ignore: vec![],
            enable: vec![],
            severity: BTreeMap::new(),
            fail_on: Some(Severity::Warning),
        }
    }
}

/// Why a `.devbox-lint.toml` was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error("invalid TOML: {0}")]
    Toml(String),
    #[error("unknown rule `{0}`")]
    UnknownRule(String),
    #[error("unknown severity `{value}` for `{key}` (expected error, warning or info)")]
    BadSeverity { key: String, value: String },
    #[error("unknown key `{0}` (expected ignore, enable, fail-on, severity)")]
    UnknownKey(String),
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Raw {
    #[serde(default)]
    ignore: Vec<String>,
    #[serde(default)]
    enable: Vec<String>,
    #[serde(default)]
    severity: BTreeMap<String, String>,
    fail_on: Option<String>,
}

impl LintConfig {
    /// Parses the TOML text; rule IDs and severities are checked against the registry.
    pub fn parse(text: &str) -> Result<LintConfig, ConfigError> {
        let raw: Raw = toml::from_str(text).map_err(|e| {
            let msg = e.message().to_string();
            match msg.strip_prefix("unknown field `") {
                Some(rest) => {
                    ConfigError::UnknownKey(rest.split('`').next().unwrap_or(rest).to_string())
                }
                None => ConfigError::Toml(msg),
            }
        })?;
        let known = |id: &str| {
            super::meta(id)
                .map(|m| m.id.to_string())
                .ok_or_else(|| ConfigError::UnknownRule(id.to_string()))
        };
        let ignore = raw
            .ignore
            .iter()
            .map(|id| known(id))
            .collect::<Result<Vec<_>, _>>()?;
        let enable = raw
            .enable
            .iter()
            .map(|id| known(id))
            .collect::<Result<Vec<_>, _>>()?;
        let mut severity = BTreeMap::new();
        for (id, value) in &raw.severity {
            let level = Severity::parse(value).ok_or_else(|| ConfigError::BadSeverity {
                key: id.clone(),
                value: value.clone(),
            })?;
            severity.insert(known(id)?, level);
        }
        let fail_on = match raw.fail_on.as_deref() {
            None => Some(Severity::Warning),
            Some("never" | "none") => None,
            Some(v) => Some(Severity::parse(v).ok_or_else(|| ConfigError::BadSeverity {
                key: "fail-on".into(),
                value: v.into(),
            })?),
        };
        Ok(LintConfig {
            ignore,
            enable,
            severity,
            fail_on,
        })
    }

    /// Ignored by the file, or an opt-in rule the file did not enable.
    pub fn is_ignored(&self, id: &str) -> bool {
        self.ignore.iter().any(|i| i == id)
            || (super::registry::OPT_IN.contains(&id) && !self.enable.iter().any(|e| e == id))
    }

    pub fn severity_of(&self, id: &str, default: Severity) -> Severity {
        self.severity.get(id).copied().unwrap_or(default)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_all_keys() {
        let c = LintConfig::parse(
            "ignore = [\"dbx117\"]\nfail-on = \"error\"\n[severity]\nDBX119 = \"error\"\n",
        )
        .unwrap();
        assert!(c.is_ignored("DBX117"));
        assert!(
            c.is_ignored("DBX150"),
            "opt-in rules are off unless enabled"
        );
        let on = LintConfig::parse("enable = [\"dbx150\"]").unwrap();
        assert!(!on.is_ignored("DBX150"));
        assert_eq!(c.fail_on, Some(Severity::Error));
        assert_eq!(c.severity_of("DBX119", Severity::Info), Severity::Error);
        assert_eq!(
            LintConfig::parse("fail-on = \"never\"").unwrap().fail_on,
            None
        );
    }

    #[test]
    fn rejects_unknown_things() {
        assert_eq!(
            LintConfig::parse("ignore = [\"DBX999\"]"),
            Err(ConfigError::UnknownRule("DBX999".into()))
        );
        assert!(matches!(
            LintConfig::parse("[severity]\nDBX101 = \"fatal\""),
            Err(ConfigError::BadSeverity { .. })
        ));
        assert_eq!(
            LintConfig::parse("ignores = []"),
            Err(ConfigError::UnknownKey("ignores".into()))
        );
    }
}
