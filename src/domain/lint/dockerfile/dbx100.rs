//! DBX100: the Dockerfile does not parse.

use crate::domain::dockerfile::ParseError;
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Hit, Severity};

pub struct Rule100;

static META: RuleMeta = RuleMeta {
    id: "DBX100",
    name: "parse-error",
    category: Category::Dockerfile,
    severity: Severity::Error,
    summary: "the Dockerfile does not parse",
    help: "fix the syntax at the marked position; `docker build` stops at the same place",
    explain: "# DBX100 parse-error\n\nThe Dockerfile could not be parsed: an unknown instruction, a missing argument,\n\
an unterminated quote or heredoc, invalid JSON in an exec form, a duplicate stage name or no `FROM` at all.\n\
BuildKit rejects the file at the same position, so no other rule runs on it.\n\n\
## Example\n\n```dockerfile\nFROM alpine\nCOPPY . /app    # unknown instruction\n```\n\n\
## Fix\n\nCorrect the instruction at the reported line and column, then lint again.\n",
    fixable: false,
    hadolint: &["DL1000", "DL3061"],
};

impl Rule for Rule100 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_parse_error(&self, err: &ParseError, out: &mut Vec<Hit>) {
        let what = if err.over_limit {
            "Dockerfile not linted"
        } else {
            "Dockerfile does not parse"
        };
        let hit = Hit::new(err.offset..err.offset, format!("{what}: {}", err.message));
        out.push(match &err.help {
            Some(help) => hit.with_help(help.clone()),
            None => hit,
        });
    }
}
