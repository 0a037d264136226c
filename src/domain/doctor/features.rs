//! Which engine version each feature of the generated files needs, judged against the engine
//! that answers: the wizard's Dockerfiles use BuildKit (cache and bind mounts, numeric
//! `--chown`), its dev stages create their work directory explicitly (Engine 20.10 leaves a
//! WORKDIR root's), and nothing needs Engine 25's `--start-interval`.

use super::Check;

/// BuildKit through the Engine API (`RUN --mount`, what devbox and Compose v2 build with).
pub const BUILDKIT_ENGINE: (u32, u32) = (18, 9);
/// `docker build` uses BuildKit by default from here on; before, plain `docker build` needs
/// `DOCKER_BUILDKIT=1` for the generated files.
pub const BUILDKIT_DEFAULT_ENGINE: (u32, u32) = (23, 0);

/// `"20.10.24+dfsg1"` → `(20, 10)`.
pub fn major_minor(version: &str) -> Option<(u32, u32)> {
    let mut parts = version
        .trim()
        .trim_start_matches('v')
        .split(['.', '-', '+']);
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next()?.parse().ok()?;
    Some((major, minor))
}

/// The check: what the generated files need and whether this engine has it.
pub fn judge_engine_features(server: &str) -> Check {
    let title = "engine features the generated files use";
    let needs = "BuildKit for RUN --mount cache/bind mounts (Engine 18.09+); dev stages chown \
                 their work directory themselves (any engine); no --start-interval (Engine 25+)";
    match major_minor(server) {
        None => Check::warn(
            "engine-features",
            title,
            format!("engine version {server:?} not understood; the files need {needs}"),
            "check `docker version`: the generated Dockerfiles need BuildKit (Engine 18.09 or later)",
        ),
        Some(v) if v < BUILDKIT_ENGINE => Check::fail(
            "engine-features",
            title,
            format!("Engine {server} has no BuildKit; the files need {needs}"),
            "upgrade Docker Engine to 23 or later (18.09 at the very least)",
        ),
        Some(v) if v < BUILDKIT_DEFAULT_ENGINE => Check::pass(
            "engine-features",
            title,
            format!(
                "Engine {server}: {needs}. devbox and Compose build with BuildKit here; plain \
                 `docker build` on this engine needs DOCKER_BUILDKIT=1"
            ),
        ),
        Some(_) => Check::pass(
            "engine-features",
            title,
            format!("Engine {server}: {needs}; all there"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::doctor::Verdict;

    #[test]
    fn versions_are_read_from_engine_strings() {
        assert_eq!(major_minor("20.10.24+dfsg1"), Some((20, 10)));
        assert_eq!(major_minor("28.2.2"), Some((28, 2)));
        assert_eq!(major_minor("v5.4.0-dev"), Some((5, 4)));
        assert_eq!(major_minor("dev"), None);
    }

    #[test]
    fn engine_20_10_passes_and_says_plain_docker_build_needs_buildkit() {
        let check = judge_engine_features("20.10.24+dfsg1");
        assert_eq!(check.verdict, Verdict::Pass);
        assert!(
            check.detail.contains("DOCKER_BUILDKIT=1"),
            "{}",
            check.detail
        );
        assert!(check.detail.contains("18.09"), "{}", check.detail);
    }

    #[test]
    fn an_engine_without_buildkit_fails_with_the_version_to_upgrade_to() {
        let check = judge_engine_features("17.12.1-ce");
        assert_eq!(check.verdict, Verdict::Fail);
        assert!(check.fix.as_deref().is_some_and(|f| f.contains("23")));
    }

    #[test]
    fn a_current_engine_has_everything() {
        let check = judge_engine_features("28.2.2");
        assert_eq!(check.verdict, Verdict::Pass);
        assert!(
            !check.detail.contains("DOCKER_BUILDKIT"),
            "{}",
            check.detail
        );
    }
}
