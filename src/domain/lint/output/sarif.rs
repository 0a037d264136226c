//! `devbox lint --format sarif`: SARIF 2.1.0 with every rule's metadata, results with regions and
//! autofixes as `fixes[].artifactChanges` (byte offsets).

use super::super::{Report, Severity, all_rules};
use serde_json::{Value, json};

pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A relative URI reference for a path (percent-encoding what a URI cannot hold).
pub fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.replace('\\', "/").bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' | b':' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

pub fn render(report: &Report) -> Value {
    let rules = all_rules();
    let descriptors: Vec<Value> = rules
        .iter()
        .map(|r| {
            let m = r.meta();
            json!({
                "id": m.id,
                "name": m.name,
                "shortDescription": {"text": m.summary},
                "fullDescription": {"text": m.summary},
                "help": {"text": m.help, "markdown": m.explain},
                "defaultConfiguration": {"level": level(m.severity)},
                "properties": {"tags": [format!("{:?}", m.category).to_lowercase()]},
            })
        })
        .collect();
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let index = rules.iter().position(|r| r.meta().id == f.rule_id).unwrap_or(0);
            let location = json!({
                "physicalLocation": {
                    "artifactLocation": {"uri": uri(&f.file)},
                    "region": {
                        "startLine": f.line,
                        "startColumn": f.column,
                        "endLine": f.end_line,
                        "endColumn": f.end_column.max(if f.end_line == f.line { f.column } else { 1 }),
                    },
                },
            });
            let mut result = json!({
                "ruleId": f.rule_id,
                "ruleIndex": index,
                "level": level(f.severity),
                "message": {"text": f.message},
                "locations": [location],
            });
            if let Some(fix) = &f.fix {
                result["fixes"] = json!([{
                    "description": {"text": fix.description},
                    "artifactChanges": [{
                        "artifactLocation": {"uri": uri(&f.file)},
                        "replacements": fix.edits.iter().map(|e| json!({
                            "deletedRegion": {"byteOffset": e.range.start, "byteLength": e.range.end - e.range.start},
                            "insertedContent": {"text": e.replacement},
                        })).collect::<Vec<_>>(),
                    }],
                }]);
            }
            result
        })
        .collect();
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "devbox",
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/devbox/devbox",
                "rules": descriptors,
            }},
            "columnKind": "unicodeCodePoints",
            "originalUriBaseIds": {"SRCROOT": {"description": {"text": "the directory devbox lint ran in"}}},
            "results": results,
        }],
    })
}
