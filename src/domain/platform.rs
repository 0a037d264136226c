//! OCI platforms (`linux/arm64/v8`) as the engine and BuildKit compare them, and what a lint run
//! knows about the engine's local images (their platforms, and the engine's own).

use std::collections::BTreeMap;
use std::fmt;

/// An OS, an architecture and an optional variant, normalised the way containerd's
/// `platforms.Normalize` does (`x86_64` → `amd64`, `aarch64` → `arm64`, `armhf` → `arm/v7`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Platform {
    pub os: String,
    pub arch: String,
    pub variant: Option<String>,
}

impl Platform {
    /// From the engine's separate fields (`Os`, `Architecture`, `Variant`).
    pub fn new(os: &str, arch: &str, variant: Option<&str>) -> Platform {
        let os = os.trim().to_ascii_lowercase();
        let arch = arch.trim().to_ascii_lowercase();
        let variant = variant
            .map(|v| v.trim().to_ascii_lowercase())
            .filter(|v| !v.is_empty());
        let (arch, variant) = match (arch.as_str(), variant) {
            ("x86_64" | "x86-64", v) => ("amd64".to_owned(), v),
            ("aarch64", v) => ("arm64".to_owned(), v),
            ("armhf", None) => ("arm".to_owned(), Some("v7".to_owned())),
            ("armel", None) => ("arm".to_owned(), Some("v6".to_owned())),
            ("i386" | "i686", v) => ("386".to_owned(), v),
            (other, v) => (other.to_owned(), v),
        };
        // arm64's only variant is v8: containerd drops it when comparing.
        let variant = variant.filter(|v| !(arch == "arm64" && v == "v8"));
        Platform { os, arch, variant }
    }

    /// `linux/amd64`, `linux/arm/v7`, `linux` (any architecture is then accepted); `None` for
    /// text that is not a platform (empty, or more than three parts).
    pub fn parse(text: &str) -> Option<Platform> {
        let mut parts = text.trim().split('/');
        let os = parts.next().filter(|p| !p.is_empty())?;
        let arch = parts.next().unwrap_or("");
        let variant = parts.next();
        if parts.next().is_some() {
            return None;
        }
        Some(Platform::new(os, arch, variant))
    }

    /// Whether an image of this platform is what a build for `wanted` asks for: same OS and
    /// architecture; a variant counts only when both name one.
    pub fn serves(&self, wanted: &Platform) -> bool {
        self.os == wanted.os
            && (wanted.arch.is_empty() || self.arch == wanted.arch)
            && match (&self.variant, &wanted.variant) {
                (Some(a), Some(b)) => a == b,
                _ => true,
            }
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.os)?;
        if !self.arch.is_empty() {
            write!(f, "/{}", self.arch)?;
        }
        if let Some(v) = &self.variant {
            write!(f, "/{v}")?;
        }
        Ok(())
    }
}

/// The engine's local images, as far as a lint run asked: the platform of each base image it
/// has (keyed by the reference as the Dockerfile names it), the platform it builds for by
/// default, and which programs the images of health-checked services contain. Empty when no
/// engine was asked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LocalImages {
    pub engine: Option<Platform>,
    pub platforms: BTreeMap<String, Platform>,
    /// Per image reference, per program as a probe names it (`curl`, `/bin/sh`): where the
    /// image has it, or `Missing` with the directories searched. Images the engine does not
    /// have are absent.
    pub programs: BTreeMap<String, BTreeMap<String, Program>>,
}

/// Whether an image contains a program.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Program {
    Found(String),
    Missing { searched: Vec<String> },
}

/// The directories a program name is looked up in: the image's `PATH` (from its `Env`), or the
/// engine's default when the image sets none.
pub fn search_path(env: &[String]) -> Vec<String> {
    const DEFAULT: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    let path = env
        .iter()
        .find_map(|e| e.strip_prefix("PATH="))
        .unwrap_or(DEFAULT);
    path.split(':')
        .filter(|d| d.starts_with('/'))
        .map(|d| d.trim_end_matches('/').to_owned())
        .collect()
}

/// The absolute paths a program may be at: itself when absolute, else one per PATH directory;
/// none for a relative path with a slash (it depends on the working directory).
pub fn candidates(program: &str, path: &[String]) -> Vec<String> {
    if program.starts_with('/') {
        vec![program.to_owned()]
    } else if program.contains('/') || program.is_empty() {
        Vec::new()
    } else {
        path.iter().map(|d| format!("{d}/{program}")).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_normalise_as_containerd_does() {
        assert_eq!(
            Platform::parse("linux/x86_64"),
            Platform::parse("linux/amd64")
        );
        assert_eq!(
            Platform::new("Linux", "aarch64", Some("v8")),
            Platform::parse("linux/arm64").unwrap()
        );
        assert_eq!(
            Platform::parse("linux/armhf").unwrap().to_string(),
            "linux/arm/v7"
        );
        assert_eq!(Platform::parse(""), None);
        assert_eq!(Platform::parse("linux/arm/v7/x"), None);
    }

    #[test]
    fn programs_are_looked_up_along_the_images_path() {
        let path = search_path(&[
            "HOME=/root".into(),
            "PATH=/opt/bin:/usr/bin/:relative".into(),
        ]);
        assert_eq!(path, ["/opt/bin", "/usr/bin"]);
        assert_eq!(search_path(&[]).len(), 6);
        assert_eq!(
            candidates("curl", &path),
            ["/opt/bin/curl", "/usr/bin/curl"]
        );
        assert_eq!(candidates("/bin/sh", &path), ["/bin/sh"]);
        assert!(candidates("./probe", &path).is_empty());
    }

    #[test]
    fn variants_count_only_when_both_sides_name_one() {
        let arm7 = Platform::parse("linux/arm/v7").unwrap();
        let arm = Platform::parse("linux/arm").unwrap();
        assert!(arm7.serves(&arm));
        assert!(arm.serves(&arm7));
        assert!(!arm7.serves(&Platform::parse("linux/arm/v6").unwrap()));
        let amd = Platform::parse("linux/amd64").unwrap();
        assert!(!amd.serves(&Platform::parse("linux/arm64").unwrap()));
        assert!(amd.serves(&Platform::parse("linux").unwrap()));
        assert!(!amd.serves(&Platform::parse("windows/amd64").unwrap()));
    }
}
