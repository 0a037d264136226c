//! Applying autofix edits: pure text edits, non-overlapping, applied back to front.

use super::{Edit, Finding};

/// Applies the fixes of `findings` that belong to `file`. A fix that overlaps one already taken
/// is skipped (it is re-proposed by the next lint run). Returns the new text and the rule IDs fixed.
pub fn apply(text: &str, file: &str, findings: &[Finding]) -> (String, Vec<&'static str>) {
    let mut taken: Vec<&Edit> = Vec::new();
    let mut fixed = Vec::new();
    for f in findings.iter().filter(|f| f.file == file) {
        let Some(fix) = &f.fix else { continue };
        let clashes = fix
            .edits
            .iter()
            .any(|e| taken.iter().any(|t| overlaps(&e.range, &t.range)));
        let in_bounds = fix.edits.iter().all(|e| {
            e.range.start <= e.range.end
                && e.range.end <= text.len()
                && text.is_char_boundary(e.range.start)
                && text.is_char_boundary(e.range.end)
        });
        if clashes || !in_bounds {
            continue;
        }
        taken.extend(fix.edits.iter());
        fixed.push(f.rule_id);
    }
    taken.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = String::with_capacity(text.len() + 64);
    let mut pos = 0;
    for e in taken {
        out.push_str(&text[pos..e.range.start]);
        out.push_str(&e.replacement);
        pos = e.range.end;
    }
    out.push_str(&text[pos..]);
    (out, fixed)
}

/// Two edits clash if their ranges intersect, or both insert at the same point.
fn overlaps(a: &std::ops::Range<usize>, b: &std::ops::Range<usize>) -> bool {
    if a.start == a.end && b.start == b.end {
        return a.start == b.start;
    }
    a.start < b.end && b.start < a.end
        || (a.start == a.end && b.start < a.start && a.start < b.end)
        || (b.start == b.end && a.start < b.start && b.start < a.end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::lint::{Fix, Severity};

    fn finding(edits: Vec<Edit>) -> Finding {
        Finding {
            rule_id: "DBX105",
            severity: Severity::Warning,
            file: "Dockerfile".into(),
            span: 0..0,
            line: 1,
            column: 1,
            end_line: 1,
            end_column: 1,
            message: String::new(),
            help: String::new(),
            fix: Some(Fix {
                description: String::new(),
                edits,
            }),
            line_hash: 0,
        }
    }

    #[test]
    fn applies_back_to_front_and_skips_clashes() {
        let text = "RUN apk add x\nRUN apk add y\n";
        let a = finding(vec![Edit {
            range: 11..11,
            replacement: " --no-cache".into(),
        }]);
        let b = finding(vec![Edit {
            range: 25..25,
            replacement: " --no-cache".into(),
        }]);
        let c = finding(vec![Edit {
            range: 11..11,
            replacement: " -v".into(),
        }]);
        let (out, fixed) = apply(text, "Dockerfile", &[a, b, c]);
        assert_eq!(out, "RUN apk add --no-cache x\nRUN apk add --no-cache y\n");
        assert_eq!(fixed.len(), 2);
    }
}
