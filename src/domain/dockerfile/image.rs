//! Image references (`registry/name:tag@digest`) and what we know about well-known bases:
//! which have a shell, wget or curl, and which run as a non-root user by default.

/// A parsed image reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRef {
    /// Repository path without registry (`library/` dropped): `node`, `gcr.io/distroless/static`.
    pub name: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

impl ImageRef {
    pub fn parse(reference: &str) -> ImageRef {
        let (rest, digest) = match reference.split_once('@') {
            Some((r, d)) => (r, Some(d.to_string())),
            None => (reference, None),
        };
        // A `:` after the last `/` is a tag; before it, it is a registry port.
        let slash = rest.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match rest[slash..].rfind(':') {
            Some(i) => (&rest[..slash + i], Some(rest[slash + i + 1..].to_string())),
            None => (rest, None),
        };
        let name = name.strip_prefix("docker.io/").unwrap_or(name);
        let name = name.strip_prefix("library/").unwrap_or(name);
        ImageRef {
            name: name.to_ascii_lowercase(),
            tag,
            digest,
        }
    }

    /// The last path segment (`node`, `static-debian12`).
    pub fn short_name(&self) -> &str {
        self.name.rsplit('/').next().unwrap_or(&self.name)
    }

    pub fn is_scratch(&self) -> bool {
        self.name == "scratch"
    }

    pub fn is_distroless(&self) -> bool {
        self.name.contains("distroless") || self.name.starts_with("cgr.dev/chainguard/static")
    }

    /// True when the reference still has unresolved `$VAR`s: nothing can be said about it.
    pub fn is_dynamic(&self) -> bool {
        self.name.contains('$') || self.tag.as_deref().is_some_and(|t| t.contains('$'))
    }

    fn tag_has(&self, words: &[&str]) -> bool {
        self.tag
            .as_deref()
            .is_some_and(|t| words.iter().any(|w| t.contains(w)))
    }

    pub fn is_alpine(&self) -> bool {
        self.short_name() == "alpine" || self.tag_has(&["alpine"])
    }

    /// What programs a container of this image has, from the published image definitions.
    pub fn tools(&self) -> Tools {
        if self.is_dynamic() {
            return Tools::UNKNOWN;
        }
        if self.is_scratch() {
            return Tools {
                shell: Some(false),
                wget: Some(false),
                curl: Some(false),
                rm: Some(false),
            };
        }
        if self.is_distroless() {
            let debug = self.tag_has(&["debug"]);
            return Tools {
                shell: Some(debug),
                wget: Some(debug),
                curl: Some(false),
                rm: Some(debug),
            };
        }
        let n = self.short_name();
        if self.is_alpine() {
            let curl = matches!(n, "nginx" | "caddy") && !self.tag_has(&["slim"]);
            return Tools {
                shell: Some(true),
                wget: Some(true),
                curl: Some(curl),
                rm: Some(true),
            };
        }
        if n == "busybox" && self.is_official() {
            // Every variant (glibc, musl, uclibc) has the wget applet and no curl.
            return Tools {
                shell: Some(true),
                wget: Some(true),
                curl: Some(false),
                rm: Some(true),
            };
        }
        let slim = self.tag_has(&["slim"]);
        let full_debian = matches!(n, "node" | "python" | "golang" | "rust" | "buildpack-deps");
        match (full_debian, slim) {
            (true, false) => Tools::ALL,
            (true, true) => Tools {
                shell: Some(true),
                wget: Some(false),
                curl: Some(false),
                rm: Some(true),
            },
            _ if matches!(n, "debian" | "ubuntu") => Tools {
                shell: Some(true),
                wget: Some(false),
                curl: Some(false),
                rm: Some(true),
            },
            _ if n == "nginx" => Tools {
                shell: Some(true),
                wget: None,
                curl: Some(true),
                rm: Some(true),
            },
            _ => Tools::UNKNOWN,
        }
    }

    /// A full-size development image (compilers, headers, ~1 GB) that should not ship.
    /// A Docker Hub official image (`node`, `library/node`, `docker.io/library/node`): the
    /// short names below mean those images, not `cgr.dev/chainguard/python`.
    pub fn is_official(&self) -> bool {
        let name = self
            .name
            .trim_start_matches("docker.io/")
            .trim_start_matches("library/");
        !name.contains('/')
    }

    /// A full-size official runtime (buildpack-deps based, with compilers and headers). `php`
    /// is not one: its images are built on debian-slim and have no `-slim` tags.
    pub fn is_full_size_runtime(&self) -> bool {
        let n = self.short_name();
        let heavy = matches!(n, "node" | "python" | "ruby" | "openjdk" | "buildpack-deps");
        let light = self.tag_has(&["slim", "alpine", "distroless", "jre"]);
        heavy && self.is_official() && !light && !self.is_dynamic()
    }

    /// A compiler toolchain image (`golang`, `rust`, `maven`, a JDK, the .NET SDK...): belongs
    /// in a build stage only.
    pub fn is_toolchain(&self) -> bool {
        let official = self.is_official()
            && matches!(
                self.short_name(),
                "golang" | "rust" | "maven" | "gradle" | "gcc"
            );
        let jdk = self.short_name() == "eclipse-temurin" && self.tag_has(&["jdk"]);
        let sdk = self.name.ends_with("dotnet/sdk");
        (official || jdk || sdk) && !self.is_dynamic()
    }

    /// The image already switches to a non-root user (so no USER is needed).
    pub fn runs_as_non_root(&self) -> bool {
        self.tag_has(&["nonroot"])
            || self.name.contains("unprivileged")
            || self.name.starts_with("cgr.dev/chainguard")
    }
}

/// Whether an image contains a program: `Some(true/false)` when known, `None` when unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tools {
    pub shell: Option<bool>,
    pub wget: Option<bool>,
    pub curl: Option<bool>,
    pub rm: Option<bool>,
}

impl Tools {
    pub const UNKNOWN: Tools = Tools {
        shell: None,
        wget: None,
        curl: None,
        rm: None,
    };
    pub const ALL: Tools = Tools {
        shell: Some(true),
        wget: Some(true),
        curl: Some(true),
        rm: Some(true),
    };

    /// Whether `program` (a path or a bare name) is known to be present (`Some(true)`), absent
    /// (`Some(false)`) or unknown.
    pub fn has(&self, program: &str) -> Option<bool> {
        let base = program.rsplit('/').next().unwrap_or(program);
        match base {
            "sh" | "bash" | "ash" => self.shell,
            "wget" => self.wget,
            "curl" => self.curl,
            "rm" | "mkdir" | "stat" | "rmdir" => self.rm,
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_registry_port_tag_and_digest() {
        let r = ImageRef::parse("localhost:5000/app:1.2@sha256:abc");
        assert_eq!(r.name, "localhost:5000/app");
        assert_eq!(r.tag.as_deref(), Some("1.2"));
        assert_eq!(r.digest.as_deref(), Some("sha256:abc"));
        let r = ImageRef::parse("docker.io/library/node");
        assert_eq!((r.name.as_str(), r.tag), ("node", None));
    }

    #[test]
    fn knows_tools_of_common_bases() {
        assert_eq!(
            ImageRef::parse("gcr.io/distroless/static-debian12")
                .tools()
                .wget,
            Some(false)
        );
        assert_eq!(ImageRef::parse("node:22-alpine").tools().wget, Some(true));
        assert_eq!(ImageRef::parse("node:22-alpine").tools().curl, Some(false));
        assert_eq!(
            ImageRef::parse("python:3.12-slim").tools().curl,
            Some(false)
        );
        assert_eq!(ImageRef::parse("node:22").tools().curl, Some(true));
        assert_eq!(ImageRef::parse("scratch").tools().shell, Some(false));
        assert!(ImageRef::parse("node:22").is_full_size_runtime());
        assert!(!ImageRef::parse("node:22-alpine").is_full_size_runtime());
    }
}
