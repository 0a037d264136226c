//! `devbox lint --format sarif`: SARIF 2.1.0 with every rule's metadata, results with regions and
//! autofixes as `fixes[].artifactChanges` (byte offsets) and fingerprints that survive edits.

use super::super::registry::Rule;
use super::super::{Finding, Report, Severity, all_rules};
use super::Lazy;
use serde::Serialize;
use serde_json::{Value, json};

pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Where the project lives (Cargo.toml's `repository`); empty when it is not set, and then no
/// link is written rather than one that does not resolve.
const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");

/// The page of a rule in the repository (`docs/rules/ID.md`, generated from its explain text),
/// at the tag of this version.
pub fn help_uri(id: &str) -> Option<String> {
    (!REPOSITORY.is_empty()).then(|| {
        format!(
            "{}/blob/v{}/docs/rules/{id}.md",
            REPOSITORY.trim_end_matches('/'),
            env!("CARGO_PKG_VERSION")
        )
    })
}

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
            let mut descriptor = json!({
                "id": m.id,
                "name": m.name,
                "shortDescription": {"text": m.summary},
                "fullDescription": {"text": m.summary},
                "help": {"text": m.help, "markdown": m.explain},
                "defaultConfiguration": {"level": level(m.severity)},
                "properties": {"tags": [format!("{:?}", m.category).to_lowercase()]},
            });
            if let Some(uri) = help_uri(m.id) {
                descriptor["helpUri"] = json!(uri);
            }
            descriptor
        })
        .collect();
    let mut driver = json!({
        "name": "devbox",
        "version": env!("CARGO_PKG_VERSION"),
        "semanticVersion": env!("CARGO_PKG_VERSION"),
        "rules": descriptors,
    });
    if !REPOSITORY.is_empty() {
        driver["informationUri"] = json!(REPOSITORY);
    }
    let fingerprints = super::ci::fingerprints(&report.findings);
    Document {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: json!({ "driver": driver }),
            column_kind: "unicodeCodePoints",
            original_uri_base_ids: json!({"SRCROOT": {"description": {"text": "the directory devbox lint ran in"}}}),
            results: Lazy(move || {
                report
                    .findings
                    .iter()
                    .zip(fingerprints.clone())
                    .map(move |(f, fp)| result(f, &fp, rules))
            }),
        }],
    }
}

fn result(f: &Finding, fingerprint: &str, rules: &[&'static dyn Rule]) -> Value {
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
        // Code-scanning UIs match findings across commits by this, not by line number.
        "partialFingerprints": {"primaryLocationLineHash": fingerprint},
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
