//! What a service's `pull_policy` asks of `up` given what the engine has: Compose's `mustPull`
//! with its timed policies (`daily`, `weekly`, `every_<duration>`) and `refresh`.

use super::model::Duration;

/// What to do about a service's image before creating containers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PullDecision {
    Pull,
    Skip,
    /// Ask the registry for the tag's digest and pull only when the local image is not it.
    IfNewer,
}

/// The local image as the policy sees it: `None` when the engine does not have it; otherwise
/// when it was last tagged (pulled, built or tagged), if the engine says.
pub type LocalImage = Option<Option<i64>>;

/// Decides for `policy` (already normalised: `if_not_present` is `missing`) at `now` (Unix
/// seconds). A timed policy pulls when the image is missing or was last tagged longer ago than
/// its period; an unknown tag time counts as long ago, as Compose compares with a zero time.
pub fn decide(policy: &str, local: LocalImage, now: i64) -> PullDecision {
    let Some(last_tagged) = local else {
        return match policy {
            "never" | "build" => PullDecision::Skip,
            _ => PullDecision::Pull,
        };
    };
    let period = match policy {
        "always" => return PullDecision::Pull,
        "refresh" => return PullDecision::IfNewer,
        "daily" => 86_400,
        "weekly" => 7 * 86_400,
        other => match other.strip_prefix("every_").and_then(Duration::parse) {
            Some(d) => i64::try_from(d.0.as_secs()).unwrap_or(i64::MAX),
            None => return PullDecision::Skip,
        },
    };
    match last_tagged {
        Some(at) if now.saturating_sub(at) < period => PullDecision::Skip,
        _ => PullDecision::Pull,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use PullDecision::*;

    #[test]
    fn policies() {
        let now = 1_000_000;
        assert_eq!(decide("missing", None, now), Pull);
        assert_eq!(decide("missing", Some(None), now), Skip);
        assert_eq!(decide("", Some(Some(0)), now), Skip);
        assert_eq!(decide("always", Some(Some(now)), now), Pull);
        assert_eq!(decide("never", None, now), Skip);
        assert_eq!(decide("build", None, now), Skip);
        assert_eq!(decide("refresh", Some(Some(now)), now), IfNewer);
        assert_eq!(decide("refresh", None, now), Pull);
        assert_eq!(decide("daily", Some(Some(now - 3_600)), now), Skip);
        assert_eq!(decide("daily", Some(Some(now - 90_000)), now), Pull);
        assert_eq!(decide("daily", Some(None), now), Pull);
        assert_eq!(decide("weekly", Some(Some(now - 90_000)), now), Skip);
        assert_eq!(decide("every_12h", Some(Some(now - 43_100)), now), Skip);
        assert_eq!(decide("every_12h", Some(Some(now - 43_300)), now), Pull);
        assert_eq!(decide("every_2d", None, now), Pull);
    }
}
