//! Value types with Go-compatible text forms: `Duration` (Go `time.Duration` strings such as
//! `1m30s`), `UnitBytes` (sizes such as `512m`, serialised as a decimal string of bytes) and
//! the float helper that prints whole numbers without a fraction, as Go's encoder does.

use std::fmt;

use serde::{Serialize, Serializer};

/// A duration with nanosecond precision, printed like Go's `time.Duration.String()`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Duration(pub std::time::Duration);

impl Duration {
    pub fn from_nanos(nanos: u64) -> Self {
        Self(std::time::Duration::from_nanos(nanos))
    }

    pub fn as_nanos(&self) -> u128 {
        self.0.as_nanos()
    }

    /// Parses Compose's duration syntax: a sequence of `<number><unit>` with units
    /// `ns us µs ms s m h d w` (compose-go uses str2duration, which adds `d` and `w`), an
    /// optional leading `+`, decimals allowed (`1.5s`). A bare `0` is accepted, as in Go.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let body = text.strip_prefix('+').unwrap_or(text);
        if body == "0" {
            return Some(Self::default());
        }
        if body.is_empty() {
            return None;
        }
        let mut total: f64 = 0.0;
        let mut rest = body;
        while !rest.is_empty() {
            let num_len = rest
                .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                .unwrap_or(rest.len());
            if num_len == 0 {
                return None;
            }
            let number: f64 = rest[..num_len].parse().ok()?;
            rest = &rest[num_len..];
            let unit_len = rest
                .find(|c: char| c.is_ascii_digit() || c == '.')
                .unwrap_or(rest.len());
            let factor = match &rest[..unit_len] {
                "ns" => 1.0,
                "us" | "µs" | "μs" => 1e3,
                "ms" => 1e6,
                "s" => 1e9,
                "m" => 60e9,
                "h" => 3600e9,
                "d" => 86400e9,
                "w" => 604800e9,
                _ => return None,
            };
            rest = &rest[unit_len..];
            total += number * factor;
        }
        if !total.is_finite() || total > u64::MAX as f64 {
            return None;
        }
        Some(Self::from_nanos(total.round() as u64))
    }
}

impl fmt::Display for Duration {
    /// Go's `time.Duration.String`: `0s`, `1.5µs`, `250ms`, `1m30s`, `2h0m0s`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let nanos = self.0.as_nanos();
        if nanos == 0 {
            return f.write_str("0s");
        }
        if nanos < 1_000_000_000 {
            let (value, scale, unit) = if nanos < 1_000 {
                (nanos, 1u128, "ns")
            } else if nanos < 1_000_000 {
                (nanos, 1_000, "µs")
            } else {
                (nanos, 1_000_000, "ms")
            };
            return write!(f, "{}{}", fraction(value, scale), unit);
        }
        let hours = nanos / 3_600_000_000_000;
        let minutes = (nanos / 60_000_000_000) % 60;
        let seconds = nanos % 60_000_000_000;
        let secs = fraction(seconds, 1_000_000_000);
        if hours > 0 {
            write!(f, "{hours}h{minutes}m{secs}s")
        } else if minutes > 0 {
            write!(f, "{minutes}m{secs}s")
        } else {
            write!(f, "{secs}s")
        }
    }
}

/// `value / scale` with the trailing zeros of the fraction removed, as Go prints it.
fn fraction(value: u128, scale: u128) -> String {
    let whole = value / scale;
    let rem = value % scale;
    if rem == 0 {
        return whole.to_string();
    }
    let width = scale.to_string().len() - 1;
    let digits = format!("{rem:0width$}");
    format!("{whole}.{}", digits.trim_end_matches('0'))
}

impl Serialize for Duration {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// A size in bytes. Compose accepts `512m`, `1g`, `1.5GB`, `100` and prints the byte count.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnitBytes(pub i64);

impl UnitBytes {
    pub fn is_zero(&self) -> bool {
        self.0 == 0
    }

    /// Parses docker's `units.RAMInBytes` syntax: a number (decimals allowed) followed by an
    /// optional `b k m g t p` unit, optionally suffixed `b`/`ib`, case-insensitive, binary
    /// multiples (1k = 1024).
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let num_len = text
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(text.len());
        if num_len == 0 {
            return None;
        }
        let number: f64 = text[..num_len].parse().ok()?;
        let unit = text[num_len..].trim_start().to_ascii_lowercase();
        let factor: f64 = match unit.as_str() {
            "" | "b" => 1.0,
            "k" | "kb" | "kib" => 1024.0,
            "m" | "mb" | "mib" => 1024f64.powi(2),
            "g" | "gb" | "gib" => 1024f64.powi(3),
            "t" | "tb" | "tib" => 1024f64.powi(4),
            "p" | "pb" | "pib" => 1024f64.powi(5),
            _ => return None,
        };
        let bytes = number * factor;
        if !bytes.is_finite() || bytes > i64::MAX as f64 {
            return None;
        }
        Some(Self(bytes as i64))
    }
}

impl Serialize for UnitBytes {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
    }
}

/// Serialises a float as Go's `encoding/json` does: whole values without a fraction.
pub fn go_float<S: Serializer>(value: &f32, serializer: S) -> Result<S::Ok, S::Error> {
    if value.fract() == 0.0 && value.is_finite() && value.abs() < 1e15 {
        serializer.serialize_i64(*value as i64)
    } else {
        serializer.serialize_f32(*value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_print_like_go() {
        let cases = [
            ("1m30s", "1m30s"),
            ("1m", "1m0s"),
            ("90s", "1m30s"),
            ("2h", "2h0m0s"),
            ("500ms", "500ms"),
            ("1.5s", "1.5s"),
            ("0", "0s"),
            ("10us", "10µs"),
            ("1h5m30s20ms", "1h5m30.02s"),
            ("1d", "24h0m0s"),
        ];
        for (input, printed) in cases {
            let parsed = Duration::parse(input);
            assert_eq!(
                parsed.map(|d| d.to_string()).as_deref(),
                Some(printed),
                "{input}"
            );
        }
    }

    #[test]
    fn bad_durations_are_rejected() {
        for input in ["", "s", "10", "1x", "abc", "-1s"] {
            assert_eq!(Duration::parse(input), None, "{input}");
        }
    }

    #[test]
    fn sizes_parse_binary_units() {
        assert_eq!(UnitBytes::parse("512m"), Some(UnitBytes(536_870_912)));
        assert_eq!(UnitBytes::parse("1g"), Some(UnitBytes(1_073_741_824)));
        assert_eq!(UnitBytes::parse("1.5GB"), Some(UnitBytes(1_610_612_736)));
        assert_eq!(UnitBytes::parse("100"), Some(UnitBytes(100)));
        assert_eq!(UnitBytes::parse("12x"), None);
    }
}
