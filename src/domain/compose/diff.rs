//! The converge decisions of `up`, as Compose makes them: for one service, what to do with each
//! existing replica (keep, recreate and why, remove) and which replicas to create, from the
//! desired configuration hash, image and scale and the observed containers; and which of the
//! project's containers are orphans. Pure: the engine only carries the operations out.

use std::collections::BTreeSet;

/// `--force-recreate` / `--no-recreate` / the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RecreatePolicy {
    /// Recreate containers whose config hash, image or networks changed.
    #[default]
    Diverged,
    /// `--force-recreate`: every container.
    Force,
    /// `--no-recreate`: none.
    Never,
}

/// What the service should be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Desired {
    /// Replicas (1 for a service with `container_name`).
    pub scale: u32,
    /// The hash `up` writes for the service's configuration.
    pub config_hash: String,
    /// The id of the image the service runs.
    pub image_id: String,
}

/// One existing container of the service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replica {
    pub number: u32,
    pub config_hash: Option<String>,
    /// The image id the container was created from (devbox's and Compose's image label).
    pub image_id: Option<String>,
    pub running: bool,
    /// It lacks one of the service's networks, or is attached to an older copy of one.
    pub network_changed: bool,
}

/// Why a replica is recreated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    Forced,
    ConfigChanged,
    ImageChanged,
    NetworksChanged,
}

/// One operation on one replica, in the order the engine carries them out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplicaOp {
    /// Over the scale: stop and remove (highest numbers first).
    Remove {
        number: u32,
    },
    /// Keep it; the start phase starts it unless it runs.
    Keep {
        number: u32,
        running: bool,
    },
    Recreate {
        number: u32,
        why: Why,
    },
    Create {
        number: u32,
    },
}

/// The operations that bring `observed` (any order) to `desired` under `policy`: replicas over
/// the scale are removed from the highest number down, the others kept or recreated, and new
/// ones numbered after the highest existing number.
pub fn diff_service(
    desired: &Desired,
    observed: &[Replica],
    policy: RecreatePolicy,
) -> Vec<ReplicaOp> {
    let mut replicas: Vec<&Replica> = observed.iter().collect();
    replicas.sort_by_key(|r| r.number);
    let keep = replicas.len().min(desired.scale as usize);
    let mut ops: Vec<ReplicaOp> = replicas[keep..]
        .iter()
        .rev()
        .map(|r| ReplicaOp::Remove { number: r.number })
        .collect();
    for r in &replicas[..keep] {
        let why = match policy {
            RecreatePolicy::Force => Some(Why::Forced),
            RecreatePolicy::Never => None,
            RecreatePolicy::Diverged => diverged(desired, r),
        };
        ops.push(match why {
            Some(why) => ReplicaOp::Recreate {
                number: r.number,
                why,
            },
            None => ReplicaOp::Keep {
                number: r.number,
                running: r.running,
            },
        });
    }
    let highest = replicas.iter().map(|r| r.number).max().unwrap_or(0);
    let missing = (desired.scale as usize).saturating_sub(keep);
    ops.extend(
        (highest + 1..)
            .take(missing)
            .map(|number| ReplicaOp::Create { number }),
    );
    ops
}

fn diverged(desired: &Desired, r: &Replica) -> Option<Why> {
    if r.config_hash.as_deref() != Some(desired.config_hash.as_str()) {
        Some(Why::ConfigChanged)
    } else if r.image_id.as_deref() != Some(desired.image_id.as_str()) {
        Some(Why::ImageChanged)
    } else if r.network_changed {
        Some(Why::NetworksChanged)
    } else {
        None
    }
}

/// A container of the project as the orphan check sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member<'a> {
    pub service: &'a str,
    /// A `run` container (`com.docker.compose.oneoff=True`).
    pub oneoff: bool,
    pub running: bool,
}

/// Whether a container is an orphan: its service is in no compose file (a service only
/// disabled by profiles is not), or it is a stopped one-off container, as Compose decides.
pub fn is_orphan(services: &BTreeSet<&str>, member: &Member<'_>) -> bool {
    if member.oneoff {
        return !member.running;
    }
    !services.contains(member.service)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn desired(scale: u32) -> Desired {
        Desired {
            scale,
            config_hash: "h2".into(),
            image_id: "sha256:new".into(),
        }
    }

    fn replica(number: u32, hash: &str, image: &str, running: bool) -> Replica {
        Replica {
            number,
            config_hash: Some(hash.into()),
            image_id: Some(image.into()),
            running,
            network_changed: false,
        }
    }

    fn same(number: u32) -> Replica {
        replica(number, "h2", "sha256:new", true)
    }

    #[test]
    fn converge_decisions() {
        use RecreatePolicy::{Diverged, Force, Never};
        use ReplicaOp::{Create, Keep, Recreate, Remove};
        let stale_config = replica(1, "h1", "sha256:new", true);
        let stale_image = replica(1, "h2", "sha256:old", false);
        let moved = Replica {
            network_changed: true,
            ..same(1)
        };
        let unlabelled = Replica {
            config_hash: None,
            image_id: None,
            ..same(1)
        };
        type Case = (
            &'static str,
            Desired,
            Vec<Replica>,
            RecreatePolicy,
            Vec<ReplicaOp>,
        );
        let cases: Vec<Case> = vec![
            (
                "nothing yet: create",
                desired(1),
                vec![],
                Diverged,
                vec![Create { number: 1 }],
            ),
            (
                "unchanged: keep",
                desired(1),
                vec![same(1)],
                Diverged,
                vec![Keep {
                    number: 1,
                    running: true,
                }],
            ),
            (
                "config hash changed: recreate",
                desired(1),
                vec![stale_config.clone()],
                Diverged,
                vec![Recreate {
                    number: 1,
                    why: Why::ConfigChanged,
                }],
            ),
            (
                "image changed: recreate",
                desired(1),
                vec![stale_image.clone()],
                Diverged,
                vec![Recreate {
                    number: 1,
                    why: Why::ImageChanged,
                }],
            ),
            (
                "network recreated: recreate",
                desired(1),
                vec![moved],
                Diverged,
                vec![Recreate {
                    number: 1,
                    why: Why::NetworksChanged,
                }],
            ),
            (
                "no labels (not made by compose): recreate",
                desired(1),
                vec![unlabelled],
                Diverged,
                vec![Recreate {
                    number: 1,
                    why: Why::ConfigChanged,
                }],
            ),
            (
                "--no-recreate keeps a changed one",
                desired(1),
                vec![stale_config.clone()],
                Never,
                vec![Keep {
                    number: 1,
                    running: true,
                }],
            ),
            (
                "--force-recreate recreates an unchanged one",
                desired(1),
                vec![same(1)],
                Force,
                vec![Recreate {
                    number: 1,
                    why: Why::Forced,
                }],
            ),
            (
                "scale up numbers after the highest",
                desired(3),
                vec![same(2)],
                Diverged,
                vec![
                    Keep {
                        number: 2,
                        running: true,
                    },
                    Create { number: 3 },
                    Create { number: 4 },
                ],
            ),
            (
                "scale down removes the highest first, keeps the lowest",
                desired(1),
                vec![same(3), stale_image.clone(), same(2)],
                Diverged,
                vec![
                    Remove { number: 3 },
                    Remove { number: 2 },
                    Recreate {
                        number: 1,
                        why: Why::ImageChanged,
                    },
                ],
            ),
            (
                "scale 0 removes all",
                desired(0),
                vec![same(1), same(2)],
                Never,
                vec![Remove { number: 2 }, Remove { number: 1 }],
            ),
        ];
        for (name, want, observed, policy, expected) in cases {
            assert_eq!(diff_service(&want, &observed, policy), expected, "{name}");
        }
    }

    #[test]
    fn orphans() {
        let services: BTreeSet<&str> = ["web", "db", "profiled"].into();
        let member = |service, oneoff, running| Member {
            service,
            oneoff,
            running,
        };
        assert!(!is_orphan(&services, &member("web", false, true)));
        assert!(!is_orphan(&services, &member("profiled", false, false)));
        assert!(is_orphan(&services, &member("gone", false, true)));
        assert!(is_orphan(&services, &member("web", true, false)));
        assert!(!is_orphan(&services, &member("web", true, true)));
    }
}
