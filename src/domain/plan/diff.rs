//! Comparing rendered files with what is on disk: new, unchanged or changed (with a unified
//! diff), so nothing is overwritten without being shown first.

use super::RenderedFile;

/// What writing a rendered file would do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    New,
    Unchanged,
    /// The file exists with other contents; the unified diff old → new.
    Changed {
        diff: String,
    },
}

/// A rendered file and what writing it would change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilePlan {
    pub file: RenderedFile,
    pub change: Change,
}

/// Compares a rendered file with the current contents (`None`: the file does not exist).
pub fn compare(file: RenderedFile, existing: Option<&str>) -> FilePlan {
    let change = match existing {
        None => Change::New,
        Some(old) if old == file.text => Change::Unchanged,
        Some(old) => Change::Changed {
            diff: unified(&file.path, old, &file.text),
        },
    };
    FilePlan { file, change }
}

/// A unified diff with `a/` and `b/` headers and 3 lines of context.
pub fn unified(path: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> RenderedFile {
        RenderedFile {
            path: "Dockerfile".into(),
            text: text.into(),
        }
    }

    #[test]
    fn classifies_new_unchanged_changed() {
        assert_eq!(compare(file("a\n"), None).change, Change::New);
        assert_eq!(compare(file("a\n"), Some("a\n")).change, Change::Unchanged);
        let Change::Changed { diff } = compare(file("a\nb\n"), Some("a\nc\n")).change else {
            panic!("expected a change");
        };
        assert!(diff.contains("--- a/Dockerfile"), "{diff}");
        assert!(diff.contains("-c\n+b\n"), "{diff}");
    }
}
