//! `devbox lint --format json`: one object with the files linted, findings and a summary.

use super::super::{Report, meta};
use serde_json::{Value, json};

pub fn render(report: &Report) -> Value {
    let (errors, warnings, infos) = super::counts(&report.findings);
    let findings: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
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
        })
        .collect();
    json!({
        "version": 1,
        "files": report.files,
        "findings": findings,
        "summary": {"error": errors, "warning": warnings, "info": infos},
    })
}
