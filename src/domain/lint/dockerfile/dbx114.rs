//! DBX114: shell-form `CMD` / `ENTRYPOINT`.

use super::DockerfileCtx;
use crate::domain::dockerfile::{Body, Command};
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Hit, Severity};

pub struct Rule114;

static META: RuleMeta = RuleMeta {
    id: "DBX114",
    name: "shell-form-cmd",
    category: Category::Dockerfile,
    severity: Severity::Warning,
    summary: "shell-form CMD/ENTRYPOINT: the app does not receive SIGTERM",
    help: "use the JSON exec form, e.g. `CMD [\"node\", \"dist/index.js\"]`",
    explain: "# DBX114 shell-form-cmd\n\nIn shell form Docker runs `/bin/sh -c \"<your command>\"`. `sh` becomes PID 1 and does\n\
not forward SIGTERM to your process, so `docker stop` waits the full 10 s grace period and then kills it:\n\
no graceful shutdown, no flushed logs, no closed connections. Shell form also needs `/bin/sh` in the image.\n\n\
## Example\n\n```dockerfile\n# flagged\nCMD node dist/index.js\n# fine\nCMD [\"node\", \"dist/index.js\"]\n```\n\n\
If you need shell features, end the script with `exec \"$@\"`-style handoff: `ENTRYPOINT [\"/entrypoint.sh\"]`.\n",
    fixable: false,
    hadolint: &["DL3025"],
};

impl Rule for Rule114 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_dockerfile(&self, cx: &DockerfileCtx<'_>, out: &mut Vec<Hit>) {
        for ins in &cx.df.instructions {
            let (label, cmd) = match &ins.body {
                Body::Cmd(c) => ("CMD", c),
                Body::Entrypoint(c) => ("ENTRYPOINT", c),
                _ => continue,
            };
            if let Command::Shell { text, span } = cmd {
                if text.trim_start().starts_with("exec ") {
                    continue;
                }
                let trimmed = text.trim();
                if trimmed.starts_with('[') {
                    // Docker falls back to the shell form when the JSON does not parse.
                    out.push(
                        Hit::new(
                            span.clone(),
                            format!("{label} looks like an exec form but is not valid JSON, so Docker runs the text `{trimmed}` through `/bin/sh -c`"),
                        )
                        .with_help("write it as JSON: double quotes around every element, commas between them, e.g. `[\"gunicorn\", \"app:app\"]`"),
                    );
                    continue;
                }
                let hit = Hit::new(
                    span.clone(),
                    format!(
                        "shell-form {label} runs under `/bin/sh -c`; the process will not get SIGTERM"
                    ),
                );
                out.push(match exec_form(trimmed) {
                    Some(json) => hit.with_help(format!("use the exec form: `{label} {json}`")),
                    None => hit.with_help(format!(
                        "the command uses shell features: keep them in a script and `{label} [\"/path/to/script\"]` with `exec` on its last line, or prefix the command with `exec`"
                    )),
                });
            }
        }
    }
}

/// The JSON exec form of a plain shell command (no variables, globs, redirections or
/// operators), or `None` when the shell is doing real work.
fn exec_form(text: &str) -> Option<String> {
    if text.contains([
        '$', '*', '?', '>', '<', '|', '&', ';', '`', '(', ')', '\\', '"', '\'',
    ]) {
        return None;
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.is_empty() {
        return None;
    }
    let quoted: Vec<String> = words
        .iter()
        .map(|w| serde_json::to_string(w).unwrap_or_default())
        .collect();
    Some(format!("[{}]", quoted.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::exec_form;

    #[test]
    fn plain_commands_become_exec_forms() {
        assert_eq!(
            exec_form("gunicorn -b 0.0.0.0:8000 app:app").as_deref(),
            Some(r#"["gunicorn", "-b", "0.0.0.0:8000", "app:app"]"#)
        );
        assert_eq!(
            exec_form("celery -A proj worker -Q a,b").as_deref(),
            Some(r#"["celery", "-A", "proj", "worker", "-Q", "a,b"]"#)
        );
        assert_eq!(exec_form("node server.js > /tmp/log"), None);
        assert_eq!(exec_form("java -jar $APP_JAR"), None);
    }
}
