//! Reads a `ProjectScan` for detection: the file list (without dependency, VCS and build trees,
//! symlinks not followed) and the contents of the few files `detect::wants_content` selects.

use std::path::{Path, PathBuf};

use crate::domain::detect::{ProjectScan, wants_content};

/// Directories never descended into: dependencies, VCS data, build output, caches.
const SKIP_DIRS: &[&str] = &[
    "node_modules",
    ".git",
    ".hg",
    ".svn",
    "target",
    ".venv",
    "venv",
    "__pycache__",
    ".next",
    ".nuxt",
    ".turbo",
    ".cache",
    "vendor",
    ".tox",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    "coverage",
    ".idea",
    ".vscode",
    ".gradle",
    ".terraform",
];
const MAX_DEPTH: usize = 6;
const MAX_FILES: usize = 20_000;
const MAX_CONTENT_BYTES: u64 = 256 * 1024;

/// The project directory could not be read.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ScanError {
    #[error("cannot read the project directory {}: {source}", path.display())]
    #[diagnostic(help(
        "run devbox init inside the project, or pass its directory: devbox init path/to/project"
    ))]
    Root {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Scans `root`. Unreadable subdirectories and files are skipped (detection then asks).
pub fn scan_project(root: &Path) -> Result<ProjectScan, ScanError> {
    let entries = std::fs::read_dir(root).map_err(|source| ScanError::Root {
        path: root.to_path_buf(),
        source,
    })?;
    let name = std::fs::canonicalize(root)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "app".into());
    let mut scan = ProjectScan {
        name,
        ..ProjectScan::default()
    };
    let mut stack = vec![(String::new(), entries, 0usize)];
    while let Some((prefix, mut entries, depth)) = stack.pop() {
        let Some(entry) = entries.next() else {
            continue;
        };
        stack.push((prefix.clone(), entries, depth));
        let Ok(entry) = entry else { continue };
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let rel = if prefix.is_empty() {
            file_name.clone()
        } else {
            format!("{prefix}/{file_name}")
        };
        if kind.is_dir() {
            if depth + 1 < MAX_DEPTH
                && !SKIP_DIRS.contains(&file_name.as_str())
                && let Ok(children) = std::fs::read_dir(entry.path())
            {
                stack.push((rel, children, depth + 1));
            }
        } else if kind.is_file() {
            if wants_content(&rel)
                && entry.metadata().is_ok_and(|m| m.len() <= MAX_CONTENT_BYTES)
                && let Ok(text) = std::fs::read_to_string(entry.path())
            {
                scan.contents.insert(rel.clone(), text);
            }
            scan.files.push(rel);
            if scan.files.len() >= MAX_FILES {
                break;
            }
        }
    }
    scan.files.sort();
    Ok(scan)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_dependency_trees_and_reads_manifests() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("node_modules/x")).unwrap();
        std::fs::write(dir.path().join("node_modules/x/package.json"), "{}").unwrap();
        std::fs::create_dir_all(dir.path().join("src")).unwrap();
        std::fs::write(dir.path().join("src/index.js"), "app.listen(3000)").unwrap();
        std::fs::write(dir.path().join("package.json"), "{\"name\":\"x\"}").unwrap();
        let scan = scan_project(dir.path()).unwrap();
        assert_eq!(
            scan.files,
            vec!["package.json".to_string(), "src/index.js".to_string()]
        );
        assert_eq!(scan.text("src/index.js"), Some("app.listen(3000)"));
    }

    #[test]
    fn missing_root_names_the_path() {
        let err = scan_project(Path::new("/definitely/not/here")).unwrap_err();
        assert!(err.to_string().contains("/definitely/not/here"));
    }
}
