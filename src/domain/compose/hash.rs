//! Docker Compose's config hash (`com.docker.compose.config-hash`): SHA-256 of Go's
//! `encoding/json` form of the service with the fields Compose clears, plus the network and
//! volume hashes. Byte-identical to Compose so `docker compose up` recreates nothing.

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::model::{Network, Service, Volume};

/// The service hash as Compose computes it (`pkg/compose/hash.go` `ServiceHash`): `build`,
/// `pull_policy`, `scale`, `deploy.replicas`, `depends_on` and `profiles` are cleared first,
/// so changing them never recreates a container.
pub fn service_hash(service: &Service) -> String {
    let mut input = service.clone();
    input.build = None;
    input.pull_policy.clear();
    input.scale = None;
    if let Some(deploy) = input.deploy.as_mut() {
        deploy.replicas = None;
    }
    input.depends_on.clear();
    input.profiles.clear();
    digest_of(&input)
}

/// The network hash (`NetworkHash`): the model as declared, name included.
pub fn network_hash(network: &Network) -> String {
    digest_of(network)
}

/// The volume hash (`VolumeHash`): the driver defaults to `local` before hashing.
pub fn volume_hash(volume: &Volume) -> String {
    let mut input = volume.clone();
    if input.driver.is_empty() {
        input.driver = "local".to_owned();
    }
    digest_of(&input)
}

fn digest_of<T: Serialize>(value: &T) -> String {
    // The model types only hold strings, numbers, maps and sequences: serialising them cannot
    // fail, and an impossible failure hashing the empty input would only cause a recreate.
    let json = serde_json::to_string(value).unwrap_or_default();
    hex::encode(Sha256::digest(go_json_escape(&json).as_bytes()))
}

/// Go's `json.Marshal` escapes `<`, `>`, `&`, U+2028 and U+2029 inside strings; serde_json
/// does not. Those characters only ever occur inside JSON strings, so a plain replacement
/// over the whole document is exact.
pub fn go_json_escape(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::compose::model::Duration;
    use crate::domain::compose::model::{Dependency, Healthcheck, PortConfig, ServiceName};

    fn fixture_service() -> Service {
        Service {
            name: ServiceName::new("web"),
            image: "devbox-fixture/busybox:1".to_owned(),
            command: Some(vec!["sleep".to_owned(), "3600".to_owned()]),
            environment: [("A".to_owned(), Some("<b>&c".to_owned()))].into(),
            ports: vec![PortConfig {
                mode: "ingress".to_owned(),
                target: 80,
                published: "18080".to_owned(),
                protocol: "tcp".to_owned(),
                ..PortConfig::default()
            }],
            depends_on: [(
                ServiceName::new("db"),
                Dependency {
                    condition: "service_healthy".to_owned(),
                    restart: false,
                    required: true,
                },
            )]
            .into(),
            networks: [("default".to_owned(), None)].into(),
            ..Service::default()
        }
    }

    // Golden values from `docker-compose config --hash '*'` (Compose v5.6.1), which also
    // equal the config-hash labels it set on `up`.
    #[test]
    fn matches_compose_for_ports_env_and_dependencies() {
        assert_eq!(
            service_hash(&fixture_service()),
            "9d21314287536381feb2deac7c009aeca3034f6e3f8c74deed4ffa45791f92de"
        );
    }

    #[test]
    fn matches_compose_for_a_healthcheck() {
        let db = Service {
            name: ServiceName::new("db"),
            image: "devbox-fixture/busybox:1".to_owned(),
            command: Some(vec!["sh".into(), "-c".into(), "sleep 3600".into()]),
            healthcheck: Some(Healthcheck {
                test: vec!["CMD".into(), "true".into()],
                interval: Some(Duration::from_nanos(1_000_000_000)),
                ..Healthcheck::default()
            }),
            networks: [("default".to_owned(), None)].into(),
            ..Service::default()
        };
        assert_eq!(
            service_hash(&db),
            "ce83e9c19e268cfd51b08f73034db69666b92cc31e3964515880a31d1ee62b76"
        );
    }

    #[test]
    fn cleared_fields_do_not_change_the_hash() {
        let base = service_hash(&fixture_service());
        let mut changed = fixture_service();
        changed.depends_on.clear();
        changed.scale = Some(3);
        changed.pull_policy = "always".to_owned();
        changed.profiles = vec!["x".to_owned()];
        assert_eq!(service_hash(&changed), base);
        changed.environment.insert("B".to_owned(), None);
        assert_ne!(service_hash(&changed), base);
    }

    #[test]
    fn network_hash_matches_compose() {
        let net = Network {
            name: "a_default".to_owned(),
            ..Network::default()
        };
        assert_eq!(
            network_hash(&net),
            "c450c114dbeb1bf60bb17fb3828be87f45c88e74cd16734e2a102027001bf853"
        );
    }

    #[test]
    fn go_escaping_of_html_characters() {
        assert_eq!(
            go_json_escape(r#"{"a":"<&>"}"#),
            r#"{"a":"\u003c\u0026\u003e"}"#
        );
    }
}
