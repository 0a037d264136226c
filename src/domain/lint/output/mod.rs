//! Machine-readable renderings of a lint report: devbox JSON, SARIF 2.1.0 and the CI formats, each a document
//! that serializes its findings one at a time (as one JSON tree, 94,000 findings of a 2 MiB
//! Dockerfile took 1.1 GB).

pub mod ci;
pub mod json;
pub mod sarif;

use serde::{Serialize, Serializer};

/// A sequence made one element at a time while serializing.
struct Lazy<F>(F);

impl<F, I> Serialize for Lazy<F>
where
    F: Fn() -> I,
    I: Iterator,
    I::Item: Serialize,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq((self.0)())
    }
}

/// Counts per severity, for summaries.
pub fn counts(findings: &[super::Finding]) -> (usize, usize, usize) {
    use super::Severity::*;
    let n = |s| findings.iter().filter(|f| f.severity == s).count();
    (n(Error), n(Warning), n(Info))
}
