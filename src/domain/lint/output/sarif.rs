//! `devbox lint --format sarif`: SARIF 2.1.0 with every rule's metadata, results with regions and
//! autofixes as `fixes[].artifactChanges` (byte offsets).

use super::super::registry::Rule;
use super::super::{Finding, Report, Severity, all_rules};
use super::Lazy;
use serde::Serialize;
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

#[derive(Serialize)]
#[serde(bound(serialize = "Lazy<F>: Serialize"))]
struct Document<F> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<F>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase", bound(serialize = "Lazy<F>: Serialize"))]
struct Run<F> {
    tool: Value,
    column_kind: &'static str,
    original_uri_base_ids: Value,
    results: Lazy<F>,
}

/// The report as a SARIF log that serializes one result at a time.
pub fn document(report: &Report) -> impl Serialize + '_ {
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
    Document {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: json!({"driver": {
                "name": "devbox",
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/devbox/devbox",
                "rules": descriptors,
            }}),
            column_kind: "unicodeCodePoints",
            original_uri_base_ids: json!({"SRCROOT": {"description": {"text": "the directory devbox lint ran in"}}}),
            results: Lazy(move || report.findings.iter().map(move |f| result(f, rules))),
        }],
    }
}

fn result(f: &Finding, rules: &[&'static dyn Rule]) -> Value {
    let index = rules
        .iter()
        .position(|r| r.meta().id == f.rule_id)
        .unwrap_or(0);
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
}
