//! `devbox lint --format json`: one object with the files linted, findings and a summary.

use super::super::{Finding, Report, meta};
use super::Lazy;
use serde::Serialize;
use serde_json::{Value, json};

#[derive(Serialize)]
#[serde(bound(serialize = "Lazy<F>: Serialize"))]
struct Document<'a, F> {
    version: u32,
    files: &'a [String],
    findings: Lazy<F>,
    summary: Value,
}

/// The report as a document that serializes one finding at a time.
pub fn document(report: &Report) -> impl Serialize + '_ {
    let (errors, warnings, infos) = super::counts(&report.findings);
    Document {
        version: 1,
        files: &report.files,
        findings: Lazy(move || report.findings.iter().map(finding)),
        summary: json!({"error": errors, "warning": warnings, "info": infos}),
    }
}

fn finding(f: &Finding) -> Value {
    json!({
        "rule": f.rule_id,
        "name": meta(f.rule_id).map_or("", |m| m.name),
        "severity": f.severity.as_str(),
        "file": f.file,
        "line": f.line,
        "column": f.column,
        "end_line": f.end_line,
        "end_column": f.end_column,
        "message": f.message,
        "help": f.help,
        "fix": f.fix.as_ref().map(|x| json!({
            "description": x.description,
            "edits": x.edits.iter().map(|e| json!({
                "start": e.range.start, "end": e.range.end, "replacement": e.replacement
            })).collect::<Vec<_>>(),
        })),
    })
}
