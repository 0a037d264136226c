//! The build-context paths a Dockerfile reads: the local sources of its `COPY` and `ADD`
//! instructions (not `--from` stages, URLs, git remotes or paths built from variables).

use super::{Body, Dockerfile, Source, Span};

/// One `COPY`/`ADD` source that names a path in the build context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextSource {
    /// As written in the Dockerfile.
    pub raw: String,
    /// Cleaned and relative to the context root (`./src/` → `src`); `.` for the whole context.
    pub path: String,
    pub span: Span,
}

impl ContextSource {
    /// Whether the source is a glob, which the builder expands against what it received.
    pub fn is_glob(&self) -> bool {
        self.path.contains(['*', '?', '['])
    }
}

impl Dockerfile {
    /// Every context path the Dockerfile's `COPY` and `ADD` instructions read, in file order.
    pub fn context_sources(&self) -> Vec<ContextSource> {
        let mut out = Vec::new();
        for ins in &self.instructions {
            let (Body::Copy { sources, .. } | Body::Add { sources, .. }) = &ins.body else {
                continue;
            };
            if ins.flag("from").is_some() {
                continue;
            }
            for src in sources {
                let Source::Path(p) = src else { continue };
                let raw = p.value.as_str();
                if raw.contains("://") || raw.contains('$') || raw.starts_with("git@") {
                    continue;
                }
                let path = crate::domain::dockerignore::clean(raw.trim_start_matches('/'));
                let path = if path.is_empty() {
                    ".".to_owned()
                } else {
                    path
                };
                out.push(ContextSource {
                    raw: raw.to_owned(),
                    path,
                    span: p.span.clone(),
                });
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_sources_only_cleaned() {
        let df = Dockerfile::parse(
            "FROM a AS b\nCOPY ./src/ /app/\nCOPY --from=b /x /y\nADD https://e.com/f /f\nCOPY $D /d\nCOPY package*.json . ./\n",
        )
        .unwrap();
        let paths: Vec<(String, bool)> = df
            .context_sources()
            .iter()
            .map(|s| (s.path.clone(), s.is_glob()))
            .collect();
        assert_eq!(
            paths,
            [
                ("src".to_owned(), false),
                ("package*.json".to_owned(), true),
                (".".to_owned(), false),
            ]
        );
    }
}
