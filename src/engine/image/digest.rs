//! The digest a tag stands for: asked of the registry through the engine (`GET
//! /distribution/{name}/json`, with the engine's own registry settings and mirrors), or, when
//! the registry cannot answer, read from the local image's repo digests (what the last pull
//! recorded).

use bollard::Docker;

use crate::engine::error::engine_message;

/// Where a digest came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DigestSource {
    Registry,
    /// The local image's repo digest; the registry's answer is kept to say why.
    Local {
        registry_error: String,
    },
}

/// A tag's digest and its source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub digest: String,
    pub source: DigestSource,
}

/// Why no digest could be found for a reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unresolved {
    pub registry_error: String,
    pub local: String,
}

impl std::fmt::Display for Unresolved {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the registry did not answer ({}) and {}",
            self.registry_error, self.local
        )
    }
}

/// The digest `reference` (`name:tag`, no digest) has now.
pub async fn resolve(docker: &Docker, reference: &str) -> Result<Resolved, Unresolved> {
    let registry_error = match docker.inspect_registry_image(reference, None).await {
        Ok(answer) => match answer.descriptor.digest {
            Some(digest) if digest.starts_with("sha256:") => {
                return Ok(Resolved {
                    digest,
                    source: DigestSource::Registry,
                });
            }
            _ => "its answer had no digest".to_owned(),
        },
        Err(e) => engine_message(&e),
    };
    let local = match docker.inspect_image(reference).await {
        Ok(image) => {
            let repository = repository(reference);
            image
                .repo_digests
                .unwrap_or_default()
                .iter()
                .filter_map(|d| d.split_once('@'))
                .find(|(repo, _)| normalized(repo) == normalized(&repository))
                .map(|(_, digest)| digest.to_owned())
                .ok_or_else(|| {
                    "the local image has no repo digest for it (it was built, tagged or \
                     imported here, never pulled from or pushed to its registry)"
                        .to_owned()
                })
        }
        Err(e) => Err(format!("there is no local image ({})", engine_message(&e))),
    };
    match local {
        Ok(digest) => Ok(Resolved {
            digest,
            source: DigestSource::Local { registry_error },
        }),
        Err(local) => Err(Unresolved {
            registry_error,
            local,
        }),
    }
}

/// The repository of `name[:tag][@digest]` (a `:` before the last `/` is a registry port).
pub fn repository(reference: &str) -> String {
    let bare = reference.split_once('@').map_or(reference, |(r, _)| r);
    let slash = bare.rfind('/').map_or(0, |i| i + 1);
    match bare[slash..].rfind(':') {
        Some(colon) => bare[..slash + colon].to_owned(),
        None => bare.to_owned(),
    }
}

/// The `fromImage`/`tag` pair the API takes for a reference, as the docker CLI sends it: a
/// digest goes in `tag` (and wins over a tag written before it), a missing tag is `latest`.
pub fn name_and_tag(reference: &str) -> (String, String) {
    let repo = repository(reference);
    if let Some((_, digest)) = reference.split_once('@') {
        return (repo, digest.to_owned());
    }
    let tag = reference
        .strip_prefix(repo.as_str())
        .and_then(|rest| rest.strip_prefix(':'))
        .unwrap_or("latest");
    (repo, tag.to_owned())
}

/// Docker Hub's implicit parts dropped: `docker.io/library/node` and `node` are one repository.
fn normalized(repository: &str) -> &str {
    let short = repository
        .strip_prefix("docker.io/")
        .or_else(|| repository.strip_prefix("index.docker.io/"))
        .unwrap_or(repository);
    short.strip_prefix("library/").unwrap_or(short)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repositories() {
        assert_eq!(repository("node:22-alpine"), "node");
        assert_eq!(
            repository("127.0.0.1:5000/x/base:1"),
            "127.0.0.1:5000/x/base"
        );
        assert_eq!(repository("127.0.0.1:5000/x/base"), "127.0.0.1:5000/x/base");
        assert_eq!(repository("a/b:1@sha256:00"), "a/b");
        assert_eq!(normalized("docker.io/library/node"), "node");
        let pair = |a: &str, b: &str| (a.to_owned(), b.to_owned());
        assert_eq!(name_and_tag("node"), pair("node", "latest"));
        assert_eq!(
            name_and_tag("localhost:5000/a:1"),
            pair("localhost:5000/a", "1")
        );
        assert_eq!(
            name_and_tag("localhost:5000/a"),
            pair("localhost:5000/a", "latest")
        );
        assert_eq!(
            name_and_tag("a/b:1@sha256:00ff"),
            pair("a/b", "sha256:00ff")
        );
        assert_eq!(normalized("library/node"), "node");
        assert_eq!(normalized("ghcr.io/a/b"), "ghcr.io/a/b");
    }
}
