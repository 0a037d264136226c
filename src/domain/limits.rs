//! The resource limits devbox enforces on what it reads, in one table: each limit's name, default,
//! unit and the environment variable that raises it (none where raising it would only trade a
//! clean error for a crash). Pure: the edge reads the environment and hands the values in.

use crate::domain::format::human_bytes;

/// One enforced limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Limit {
    /// Bytes of one compose file (also each `include`d or `extends` file).
    ComposeFileBytes,
    /// Bytes of one env file (`.env`, `--env-file`, `env_file:`, `label_file:`).
    EnvFileBytes,
    /// Bytes of one Dockerfile.
    DockerfileBytes,
    /// Bytes of one `.dockerignore` or lint configuration file.
    IgnoreFileBytes,
    /// Bytes a project may grow to once YAML aliases, `extends`, interpolation, env files and port
    /// ranges are expanded: the text of every value plus a fixed cost per value.
    ExpandedBytes,
    /// Services in one project.
    Services,
    /// Build stages (`FROM` lines) in one Dockerfile.
    DockerfileStages,
    /// Nested YAML mappings and lists.
    YamlDepth,
    /// Nested `${VAR:-${OTHER:-…}}` defaults.
    InterpolationDepth,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Bytes,
    Count,
    Levels,
}

struct Spec {
    name: &'static str,
    default: u64,
    unit: Unit,
    env: Option<&'static str>,
}

const MIB: u64 = 1024 * 1024;

impl Limit {
    pub const ALL: [Limit; 9] = [
        Limit::ComposeFileBytes,
        Limit::EnvFileBytes,
        Limit::DockerfileBytes,
        Limit::IgnoreFileBytes,
        Limit::ExpandedBytes,
        Limit::Services,
        Limit::DockerfileStages,
        Limit::YamlDepth,
        Limit::InterpolationDepth,
    ];

    // The defaults keep any input up to 10 MB under 256 MB of memory (tests/limits.rs holds each
    // one to that) while staying far above what hand-written projects reach: the largest
    // public compose files are a few hundred KiB, with tens of services and < 15 levels.
    const fn spec(self) -> Spec {
        match self {
            Limit::ComposeFileBytes => Spec {
                name: "compose file size",
                default: 16 * MIB,
                unit: Unit::Bytes,
                env: Some("DEVBOX_LIMIT_COMPOSE_BYTES"),
            },
            Limit::EnvFileBytes => Spec {
                name: "env file size",
                default: MIB,
                unit: Unit::Bytes,
                env: Some("DEVBOX_LIMIT_ENV_FILE_BYTES"),
            },
            Limit::DockerfileBytes => Spec {
                name: "Dockerfile size",
                default: 2 * MIB,
                unit: Unit::Bytes,
                env: Some("DEVBOX_LIMIT_DOCKERFILE_BYTES"),
            },
            Limit::IgnoreFileBytes => Spec {
                name: ".dockerignore and lint config size",
                default: MIB,
                unit: Unit::Bytes,
                env: Some("DEVBOX_LIMIT_IGNORE_FILE_BYTES"),
            },
            Limit::ExpandedBytes => Spec {
                name: "expanded size",
                default: 64 * MIB,
                unit: Unit::Bytes,
                env: Some("DEVBOX_LIMIT_EXPANDED_BYTES"),
            },
            Limit::Services => Spec {
                name: "services per project",
                default: 10_000,
                unit: Unit::Count,
                env: Some("DEVBOX_LIMIT_SERVICES"),
            },
            Limit::DockerfileStages => Spec {
                name: "Dockerfile stages",
                default: 1_000,
                unit: Unit::Count,
                env: Some("DEVBOX_LIMIT_DOCKERFILE_STAGES"),
            },
            // Fixed: the tree is walked recursively, and a deeper limit would trade this error
            // for a stack overflow.
            Limit::YamlDepth => Spec {
                name: "YAML nesting depth",
                default: 64,
                unit: Unit::Levels,
                env: None,
            },
            Limit::InterpolationDepth => Spec {
                name: "interpolation depth",
                default: 16,
                unit: Unit::Levels,
                env: None,
            },
        }
    }

    /// The limit's name as errors and the README write it.
    pub fn name(self) -> &'static str {
        self.spec().name
    }

    pub fn default_value(self) -> u64 {
        self.spec().default
    }

    /// The variable that raises the limit; `None` when it is fixed.
    pub fn env_var(self) -> Option<&'static str> {
        self.spec().env
    }

    /// `16.0 MiB`, `10000 services`, `64 levels`.
    pub fn format(self, value: u64) -> String {
        match self.spec().unit {
            Unit::Bytes => human_bytes(value),
            Unit::Count => value.to_string(),
            Unit::Levels => format!("{value} levels"),
        }
    }

    fn index(self) -> usize {
        Limit::ALL.iter().position(|l| *l == self).unwrap_or(0)
    }
}

/// The values in force for one run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    values: [u64; 9],
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            values: Limit::ALL.map(Limit::default_value),
        }
    }
}

/// A `DEVBOX_LIMIT_*` variable that is not a number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
#[error("{var}={value:?} is not a valid limit: {why}")]
#[diagnostic(
    code(devbox::limits),
    help(
        "set {var} to a whole number{suffixes}, e.g. {var}={example}, or unset it for the default ({default})"
    )
)]
pub struct LimitEnvError {
    pub var: &'static str,
    pub value: String,
    pub why: &'static str,
    suffixes: &'static str,
    example: u64,
    default: String,
}

impl Limits {
    pub fn get(&self, limit: Limit) -> u64 {
        self.values[limit.index()]
    }

    /// The same limits with one value changed (tests, and callers that tighten a limit).
    pub fn with(mut self, limit: Limit, value: u64) -> Self {
        self.values[limit.index()] = value;
        self
    }

    /// Reads the `DEVBOX_LIMIT_*` variables through `lookup`; unset ones keep their default.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, LimitEnvError> {
        let mut limits = Limits::default();
        for limit in Limit::ALL {
            let Some(var) = limit.env_var() else { continue };
            let Some(raw) = lookup(var) else { continue };
            let bytes = limit.spec().unit == Unit::Bytes;
            let error = |why| LimitEnvError {
                var,
                value: raw.clone(),
                why,
                suffixes: if bytes {
                    " (or with KiB, MiB, GiB)"
                } else {
                    ""
                },
                example: limit.default_value() * 2,
                default: limit.format(limit.default_value()),
            };
            let value = parse_value(raw.trim(), bytes).map_err(error)?;
            limits.values[limit.index()] = value;
        }
        Ok(limits)
    }

    /// `limit: compose file size, 16.0 MiB`: how an error names the limit it hit.
    pub fn describe(&self, limit: Limit) -> String {
        format!("limit: {}, {}", limit.name(), limit.format(self.get(limit)))
    }

    /// How to raise the limit, for the help line; `None` when it is fixed.
    pub fn raise_hint(&self, limit: Limit) -> Option<String> {
        self.raise_hint_to(limit, 0)
    }

    /// How to raise the limit to at least `needed` (the size or count the input has).
    pub fn raise_hint_to(&self, limit: Limit, needed: u64) -> Option<String> {
        limit.env_var().map(|var| {
            format!(
                "if the input is what you meant, raise the limit: {var}={} (now {})",
                self.get(limit).saturating_mul(2).max(needed),
                self.get(limit)
            )
        })
    }
}

fn parse_value(text: &str, bytes: bool) -> Result<u64, &'static str> {
    let lower = text.to_ascii_lowercase();
    let (digits, factor) = if !bytes {
        (lower.as_str(), 1)
    } else if let Some(d) = lower.strip_suffix("gib").or(lower.strip_suffix('g')) {
        (d, 1024 * MIB)
    } else if let Some(d) = lower.strip_suffix("mib").or(lower.strip_suffix('m')) {
        (d, MIB)
    } else if let Some(d) = lower.strip_suffix("kib").or(lower.strip_suffix('k')) {
        (d, 1024)
    } else {
        (lower.as_str(), 1)
    };
    let value: u64 = digits
        .trim()
        .parse()
        .map_err(|_| "expected a whole number")?;
    let value = value.checked_mul(factor).ok_or("the number is too large")?;
    if value == 0 {
        return Err("a limit of 0 would refuse every input");
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from(pairs: &[(&str, &str)]) -> Result<Limits, LimitEnvError> {
        Limits::from_lookup(|k| {
            pairs
                .iter()
                .find(|(name, _)| *name == k)
                .map(|(_, v)| (*v).to_owned())
        })
    }

    #[test]
    fn unset_variables_keep_the_defaults() {
        assert_eq!(from(&[]).unwrap(), Limits::default());
        assert_eq!(Limits::default().get(Limit::ComposeFileBytes), 16 * MIB);
    }

    #[test]
    fn variables_raise_limits_with_units() {
        let limits = from(&[
            ("DEVBOX_LIMIT_COMPOSE_BYTES", "64MiB"),
            ("DEVBOX_LIMIT_SERVICES", "20000"),
            ("DEVBOX_LIMIT_ENV_FILE_BYTES", "2k"),
        ])
        .unwrap();
        assert_eq!(limits.get(Limit::ComposeFileBytes), 64 * MIB);
        assert_eq!(limits.get(Limit::Services), 20_000);
        assert_eq!(limits.get(Limit::EnvFileBytes), 2048);
    }

    #[test]
    fn bad_values_name_the_variable_and_the_fix() {
        let err = from(&[("DEVBOX_LIMIT_SERVICES", "lots")]).unwrap_err();
        assert_eq!(err.var, "DEVBOX_LIMIT_SERVICES");
        assert!(err.to_string().contains("expected a whole number"), "{err}");
        let help = miette::Diagnostic::help(&err).map(|h| h.to_string());
        assert!(help.is_some_and(|h| h.contains("DEVBOX_LIMIT_SERVICES=20000")));
        assert!(from(&[("DEVBOX_LIMIT_SERVICES", "0")]).is_err());
        assert!(from(&[("DEVBOX_LIMIT_SERVICES", "5MiB")]).is_err());
    }

    #[test]
    fn fixed_limits_have_no_variable_and_no_raise_hint() {
        let limits = Limits::default();
        assert_eq!(Limit::YamlDepth.env_var(), None);
        assert_eq!(limits.raise_hint(Limit::InterpolationDepth), None);
        assert_eq!(
            limits.describe(Limit::YamlDepth),
            "limit: YAML nesting depth, 64 levels"
        );
        let hint = limits.raise_hint(Limit::ComposeFileBytes).unwrap();
        assert!(
            hint.contains("DEVBOX_LIMIT_COMPOSE_BYTES=33554432"),
            "{hint}"
        );
        let hint = limits.raise_hint_to(Limit::Services, 50_000).unwrap();
        assert!(
            hint.contains("DEVBOX_LIMIT_SERVICES=50000 (now 10000)"),
            "{hint}"
        );
    }
}
