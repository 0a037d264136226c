//! Machine-readable renderings of a lint report: devbox JSON and SARIF 2.1.0.

pub mod json;
pub mod sarif;

/// Counts per severity, for summaries.
pub fn counts(findings: &[super::Finding]) -> (usize, usize, usize) {
    use super::Severity::*;
    let n = |s| findings.iter().filter(|f| f.severity == s).count();
    (n(Error), n(Warning), n(Info))
}
