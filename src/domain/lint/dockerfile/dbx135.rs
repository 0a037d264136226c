//! DBX135: instruction keywords in a case other than the file's majority (BuildKit's
//! ConsistentInstructionCasing).

use super::DockerfileCtx;
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Edit, Hit, Severity};

pub struct Rule135;

static META: RuleMeta = RuleMeta {
    id: "DBX135",
    name: "instruction-casing",
    category: Category::Dockerfile,
    severity: Severity::Info,
    summary: "an instruction is not in the case most of the file uses",
    help: "write every instruction in the same case, upper case by convention (autofix)",
    explain: "# DBX135 instruction-casing\n\nKeywords are case-insensitive, so `run` and `RUN` build the same image; a file that\n\
mixes them, or writes `From`, is harder to scan and is reported by `docker build --check`\n\
(ConsistentInstructionCasing). The majority is counted over every stage's instructions (global ARGs before the\n\
first FROM are not counted, as in BuildKit); a tie goes to upper case. Mixed-case keywords are always reported.\n\n\
## Example\n\n```dockerfile\nFROM alpine:3.20\nRUN apk add --no-cache curl\n```\n\n## Autofix\n\nRewrites the keyword in the majority's case.\n",
    fixable: true,
    hadolint: &[],
};

impl Rule for Rule135 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_dockerfile(&self, cx: &DockerfileCtx<'_>, out: &mut Vec<Hit>) {
        let keywords: Vec<(&str, std::ops::Range<usize>)> = cx
            .df
            .instructions
            .iter()
            .filter(|i| i.stage.is_some())
            .filter_map(|i| Some((cx.text.get(i.keyword.clone())?, i.keyword.clone())))
            .collect();
        let (mut lower, mut upper) = (0usize, 0usize);
        for (k, _) in &keywords {
            if *k == k.to_ascii_lowercase() {
                lower += 1;
            } else if *k == k.to_ascii_uppercase() {
                upper += 1;
            }
        }
        let majority_lower = lower > upper;
        for (k, range) in keywords {
            let wanted = if majority_lower {
                k.to_ascii_lowercase()
            } else {
                k.to_ascii_uppercase()
            };
            if k == wanted {
                continue;
            }
            let case = if majority_lower { "lower" } else { "upper" };
            out.push(
                Hit::new(
                    range.clone(),
                    format!("`{k}` is not in the file's case ({case} case)"),
                )
                .with_fix(
                    format!("write `{wanted}`"),
                    vec![Edit {
                        range,
                        replacement: wanted,
                    }],
                ),
            );
        }
    }
}
