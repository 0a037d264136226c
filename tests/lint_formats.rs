//! `devbox lint --format sarif|github|gitlab` checked against what their consumers accept: the
//! SARIF 2.1.0 schema itself, GitHub's workflow-command syntax, GitLab's Code Quality fields.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Dockerfile"),
        "FROM node:latest\nRUN apt install -y curl, \\\n    git\nRUN apt install -y curl, \\\n    git\nENV API_TOKEN=abc\nCOPY . .\nCMD npm start\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("compose.yaml"),
        "services:\n  web:\n    build: .\n    ports: [\"8080:80\"]\n    privileged: true\n",
    )
    .unwrap();
    dir
}

fn lint(dir: &Path, format: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_devbox"))
        .args(["lint", "--format", format])
        .current_dir(dir)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn sarif_validates_against_the_2_1_0_schema() {
    let dir = project();
    let sarif: serde_json::Value = serde_json::from_str(&lint(dir.path(), "sarif")).unwrap();
    let schema_path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sarif/sarif-schema-2.1.0.json");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path).unwrap()).unwrap();
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler.add_resource("sarif.json", schema).unwrap();
    let index = compiler.compile("sarif.json", &mut schemas).unwrap();
    if let Err(err) = schemas.validate(&sarif, index) {
        panic!("SARIF does not validate:\n{err:#}");
    }
    // A document that breaks the schema is refused, so the check above has teeth.
    let mut broken = sarif.clone();
    broken["runs"][0]["results"][0]["level"] = serde_json::json!("fatal");
    assert!(schemas.validate(&broken, index).is_err());

    let driver = &sarif["runs"][0]["tool"]["driver"];
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let fingerprints: Vec<&str> = results
        .iter()
        .map(|r| {
            r["partialFingerprints"]["primaryLocationLineHash"]
                .as_str()
                .unwrap()
        })
        .collect();
    let mut unique = fingerprints.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(
        unique.len(),
        fingerprints.len(),
        "one fingerprint per finding"
    );
}

/// The same finding keeps its fingerprint when lines are inserted above it.
#[test]
fn fingerprints_survive_lines_moving() {
    let dir = project();
    let before = lint(dir.path(), "gitlab");
    let text = std::fs::read_to_string(dir.path().join("Dockerfile")).unwrap();
    let moved = text.replacen('\n', "\n# a comment\n\n", 1);
    std::fs::write(dir.path().join("Dockerfile"), moved).unwrap();
    let after = lint(dir.path(), "gitlab");
    let by_rule = |doc: &str| -> Vec<(String, String, u64)> {
        let v: serde_json::Value = serde_json::from_str(doc).unwrap();
        let mut list: Vec<_> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                (
                    i["check_name"].as_str().unwrap().to_owned(),
                    i["fingerprint"].as_str().unwrap().to_owned(),
                    i["location"]["lines"]["begin"].as_u64().unwrap(),
                )
            })
            .collect();
        list.sort();
        list
    };
    let (b, a) = (by_rule(&before), by_rule(&after));
    let dockerfile_rules = b
        .iter()
        .filter(|(rule, _, _)| rule.starts_with("DBX1"))
        .count();
    assert!(dockerfile_rules > 3);
    for (rule, fp, line) in b.iter().filter(|(rule, _, _)| rule.starts_with("DBX1")) {
        let moved = a.iter().find(|(r, f, _)| r == rule && f == fp);
        let Some((_, _, new_line)) = moved else {
            panic!("{rule} lost its fingerprint {fp}: {a:#?}");
        };
        assert!(*new_line >= *line, "{rule}");
    }
}

/// GitLab's documented Code Quality fields: description, check_name, fingerprint (unique),
/// severity (info|minor|major|critical|blocker), location.path, location.lines.begin.
#[test]
fn gitlab_code_quality_has_the_documented_fields() {
    let dir = project();
    let v: serde_json::Value = serde_json::from_str(&lint(dir.path(), "gitlab")).unwrap();
    let issues = v.as_array().expect("a JSON array");
    assert!(!issues.is_empty());
    let mut fingerprints = Vec::new();
    for i in issues {
        assert!(
            i["description"].as_str().is_some_and(|d| !d.is_empty()),
            "{i}"
        );
        assert!(
            i["check_name"]
                .as_str()
                .is_some_and(|c| c.starts_with("DBX")),
            "{i}"
        );
        let severity = i["severity"].as_str().unwrap();
        assert!(
            ["info", "minor", "major", "critical", "blocker"].contains(&severity),
            "{i}"
        );
        assert!(i["location"]["path"].as_str().is_some(), "{i}");
        assert!(
            i["location"]["lines"]["begin"]
                .as_u64()
                .is_some_and(|l| l >= 1),
            "{i}"
        );
        fingerprints.push(i["fingerprint"].as_str().unwrap().to_owned());
    }
    let total = fingerprints.len();
    fingerprints.sort();
    fingerprints.dedup();
    assert_eq!(
        fingerprints.len(),
        total,
        "fingerprints are unique per finding"
    );
}

/// Each line is `::error|warning|notice file=…,line=…,col=…,endLine=…,endColumn=…,title=…::msg`,
/// with `%`, CR, LF escaped everywhere and `:` `,` escaped in properties.
#[test]
fn github_annotations_follow_the_workflow_command_syntax() {
    let dir = project();
    let out = lint(dir.path(), "github");
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines.len() > 3);
    for line in lines {
        let rest = ["::error ", "::warning ", "::notice "]
            .iter()
            .find_map(|p| line.strip_prefix(p))
            .unwrap_or_else(|| panic!("not a workflow command: {line}"));
        let (props, message) = rest.split_once("::").expect("properties::message");
        assert!(!message.is_empty() && !message.contains('\n'));
        let keys: Vec<&str> = props
            .split(',')
            .map(|p| p.split_once('=').expect("key=value").0)
            .collect();
        assert_eq!(
            keys,
            ["file", "line", "col", "endLine", "endColumn", "title"],
            "{line}"
        );
        for p in props.split(',') {
            let value = p.split_once('=').unwrap().1;
            assert!(!value.contains(':'), "unescaped `:` in {line}");
        }
    }
    // The `,` in `curl,` of the message stays; a `,` or `:` in a title would be escaped.
    assert!(out.contains("title=DBX"), "{out}");
}
