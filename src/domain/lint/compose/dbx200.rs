//! DBX200: the compose file is not valid YAML.

use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Hit, Severity};

pub struct Rule200;

static META: RuleMeta = RuleMeta {
    id: "DBX200",
    name: "compose-parse-error",
    category: Category::Compose,
    severity: Severity::Error,
    summary: "the compose file is not valid YAML",
    help: "fix the YAML at the marked position (indentation, quotes, tabs)",
    explain: "# DBX200 compose-parse-error\n\nThe compose file could not be read as YAML: wrong indentation, a tab, an\n\
unclosed quote or bracket, or a duplicate key. `docker compose` refuses the file at the same place, so no\n\
compose or cross-file rule runs on it.\n\n## Example\n\n```yaml\nservices:\n  web:\n    image: \"nginx:1.27\n```\n\n\
## Fix\n\nCorrect the YAML at the reported line and column.\n",
    fixable: false,
    hadolint: &[],
};

impl Rule for Rule200 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_compose_error(&self, offset: usize, message: &str, out: &mut Vec<Hit>) {
        out.push(Hit::new(
            offset..offset,
            format!("compose file does not parse: {message}"),
        ));
    }
}
