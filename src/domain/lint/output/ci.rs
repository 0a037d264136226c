//! CI renderings of a lint report: GitHub Actions workflow commands (`--format github`, shown
//! as annotations on the pull request) and GitLab's Code Quality report (`--format gitlab`).

use super::super::text::Fnv;
use super::super::{Finding, Report, Severity, meta};
use super::Lazy;
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::io::Write;

/// One `::error file=…,line=…::message` line per finding. Properties and message are escaped
/// as the runner expects (`%`, CR, LF everywhere; `:` and `,` in properties too).
pub fn write_github(report: &Report, out: &mut impl Write) -> std::io::Result<()> {
    for f in &report.findings {
        let level = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let name = meta(f.rule_id).map_or("", |m| m.name);
        writeln!(
            out,
            "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            property(&f.file),
            f.line,
            f.column,
            f.end_line,
            f.end_column.max(f.column),
            property(&format!("{} {name}", f.rule_id)),
            message(&format!("{} ({})", f.message, f.help)),
        )?;
    }
    Ok(())
}

fn message(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn property(text: &str) -> String {
    message(text).replace(':', "%3A").replace(',', "%2C")
}

/// GitLab Code Quality: a JSON array of issues, each with a fingerprint unique to the finding
/// and stable across commits (rule, file, the line's text and its occurrence, not its number).
pub fn gitlab(report: &Report) -> impl Serialize + '_ {
    let fingerprints = fingerprints(&report.findings);
    Lazy(move || {
        report
            .findings
            .iter()
            .zip(fingerprints.clone())
            .map(|(f, fingerprint)| gitlab_issue(f, &fingerprint))
    })
}

fn gitlab_issue(f: &Finding, fingerprint: &str) -> Value {
    let severity = match f.severity {
        Severity::Error => "critical",
        Severity::Warning => "major",
        Severity::Info => "info",
    };
    json!({
        "description": format!("{} ({})", f.message, f.help),
        "check_name": f.rule_id,
        "fingerprint": fingerprint,
        "severity": severity,
        "location": {"path": f.file, "lines": {"begin": f.line, "end": f.end_line}},
    })
}

/// Per finding, `hash:occurrence`: the hash covers the rule, the file and the whitespace-
/// normalised text of the finding's line, so it survives lines moving; the occurrence tells
/// apart the same finding on identical lines.
pub fn fingerprints(findings: &[Finding]) -> Vec<String> {
    let mut seen: HashMap<u64, usize> = HashMap::new();
    findings
        .iter()
        .map(|f| {
            let mut h = Fnv::default();
            h.write(f.rule_id.as_bytes());
            h.write(&[0]);
            h.write(f.file.as_bytes());
            h.write(&[0]);
            h.write(&f.line_hash.to_le_bytes());
            let hash = h.0;
            let n = seen.entry(hash).or_insert(0);
            *n += 1;
            format!("{hash:016x}:{n}")
        })
        .collect()
}
