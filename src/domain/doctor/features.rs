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

/// Which engine answers the Docker API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EngineKind {
    Docker,
    /// Podman's Docker-compatible service: its version is Podman's, and it builds with Buildah.
    Podman,
}

impl EngineKind {
    /// From `GET /version`'s platform name and component names (Podman names itself there).
    pub fn detect<'a>(
        platform: Option<&str>,
        components: impl IntoIterator<Item = &'a str>,
    ) -> Self {
        let podman = platform.is_some_and(|p| p.to_ascii_lowercase().contains("podman"))
            || components
                .into_iter()
                .any(|c| c.to_ascii_lowercase().contains("podman"));
        if podman { Self::Podman } else { Self::Docker }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Docker => "Docker Engine",
            Self::Podman => "Podman",
        }
    }
}

/// Podman 4 builds `RUN --mount=type=cache|bind` through Buildah.
pub const PODMAN_MOUNTS: (u32, u32) = (4, 0);

/// The check: what the generated files need and whether this engine has it.
pub fn judge_engine_features(kind: EngineKind, server: &str) -> Check {
    let title = "engine features the generated files use";
    if kind == EngineKind::Podman {
        let needs = "RUN --mount cache/bind mounts (Buildah, Podman 4+)";
        return match major_minor(server) {
            Some(v) if v >= PODMAN_MOUNTS => Check::pass(
                "engine-features",
                title,
                format!("Podman {server}: {needs}; builds go through Buildah, not BuildKit"),
            ),
            _ => Check::warn(
                "engine-features",
                title,
                format!("Podman {server:?}: the files need {needs}"),
                "upgrade Podman to 4 or later",
            ),
        };
    }
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
        let check = judge_engine_features(EngineKind::Docker, "20.10.24+dfsg1");
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
        let check = judge_engine_features(EngineKind::Docker, "17.12.1-ce");
        assert_eq!(check.verdict, Verdict::Fail);
        assert!(check.fix.as_deref().is_some_and(|f| f.contains("23")));
    }

    #[test]
    fn podman_is_told_apart_and_judged_by_its_own_version() {
        let kind = EngineKind::detect(Some(""), ["Podman Engine", "Conmon"]);
        assert_eq!(kind, EngineKind::Podman);
        assert_eq!(
            EngineKind::detect(Some("Docker Engine - Community"), ["Engine"]),
            EngineKind::Docker
        );
        assert_eq!(
            EngineKind::detect(None, ["Engine", "containerd"]),
            EngineKind::Docker
        );
        // Podman 4.3 is not Docker Engine 4.3: no BuildKit failure for it.
        assert_eq!(judge_engine_features(kind, "4.3.1").verdict, Verdict::Pass);
        assert_eq!(judge_engine_features(kind, "3.0.1").verdict, Verdict::Warn);
    }

    #[test]
    fn a_current_engine_has_everything() {
        let check = judge_engine_features(EngineKind::Docker, "28.2.2");
        assert_eq!(check.verdict, Verdict::Pass);
        assert!(
            !check.detail.contains("DOCKER_BUILDKIT"),
            "{}",
            check.detail
        );
    }
}
