//! DBX407: a service's PID 1 ignores SIGTERM, so every stop waits out the grace period.

use super::ProjectCtx;
use crate::domain::compose::decode::parts::shell_split;
use crate::domain::compose::yaml::{Node, Value};
use crate::domain::dockerfile::{Body, Command};
use crate::domain::lint::compose::{get, is_true, items, text};
use crate::domain::lint::registry::{FileRef, Rule, RuleMeta};
use crate::domain::lint::{Category, Hit, Severity};

pub struct Rule407;

static META: RuleMeta = RuleMeta {
    id: "DBX407",
    name: "pid1-ignores-sigterm",
    category: Category::Cross,
    severity: Severity::Warning,
    summary: "the service's PID 1 ignores SIGTERM: every stop waits the grace period, then kills it",
    help: "add `init: true` to the service, or make the server PID 1 with `exec` (`sh -c '...; exec node server.js'`)",
    explain: "# DBX407 pid1-ignores-sigterm\n\nThe kernel gives PID 1 no default signal handlers: a process that does not install one\n\
for SIGTERM ignores it. `sleep`, `tail -f`, a shell running a script (`sh -c 'a; b'`), a shell-form CMD and\n\
npm/yarn/pnpm as PID 1 all do, so `devbox down`, `stop`, a recreate or a watch rebuild waits the whole\n\
`stop_grace_period` (10 s) and then kills the process: no graceful shutdown, and a slow loop for every change.\n\n\
`init: true` runs Docker's init as PID 1, which forwards the signal and reaps zombies; or let the real server be\n\
PID 1 by `exec`-ing it at the end of the script.\n\n## Example\n\n```yaml\nservices:\n  worker:\n    image: busybox\n    command: sleep infinity\n    init: true   # stops at once\n```\n",
    fixable: false,
    hadolint: &[],
};

/// Why the start command leaves a PID 1 without a SIGTERM handler, if it does.
fn ignores_sigterm(argv: &[String]) -> Option<String> {
    let program = argv.first()?.rsplit('/').next()?.to_owned();
    match program.as_str() {
        "tini" | "dumb-init" | "docker-init" | "s6-svscan" | "supervisord" => None,
        "sleep" => Some(format!("`{}` as PID 1 ignores SIGTERM", argv.join(" "))),
        "tail" if argv.iter().any(|a| a == "-f" || a == "-F") => {
            Some(format!("`{}` as PID 1 ignores SIGTERM", argv.join(" ")))
        }
        "npm" | "yarn" | "pnpm" => Some(format!(
            "`{program}` as PID 1 does not pass SIGTERM on to the app"
        )),
        "sh" | "bash" | "ash" | "dash" => {
            let at = argv.iter().position(|a| a == "-c")?;
            let script = argv.get(at + 1)?;
            let compound = script.contains([';', '\n', '|', '&']);
            let hands_over = script.contains("exec ") || script.contains("trap ");
            (compound && !hands_over)
                .then(|| format!("`{program} -c` runs the script as PID 1, which ignores SIGTERM"))
        }
        _ => None,
    }
}

/// `command`/`entrypoint` of a compose service as words (a string is shell-split).
fn words(node: &Node) -> Option<Vec<String>> {
    match &node.value {
        Value::Seq(_) => Some(items(node).iter().filter_map(text).collect()),
        _ => shell_split(&text(node)?),
    }
}

impl Rule for Rule407 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_project(&self, cx: &ProjectCtx<'_>, out: &mut Vec<(FileRef, Hit)>) {
        let built = cx.built();
        for (ci, compose) in cx.composes.iter().enumerate() {
            for (name, svc) in compose.services() {
                if is_true(get(svc, "init")) || get(svc, "stop_signal").is_some() {
                    continue;
                }
                let entrypoint = get(svc, "entrypoint");
                let command = get(svc, "command");
                let from_compose = entrypoint
                    .and_then(|e| words(e).filter(|w| !w.is_empty()).map(|w| (e, w)))
                    .or_else(|| command.and_then(|c| words(c).map(|w| (c, w))));
                if let Some((node, argv)) = from_compose {
                    if let Some(why) = ignores_sigterm(&argv) {
                        out.push((
                            FileRef::Compose(ci),
                            Hit::new(
                                compose.span(node),
                                format!("service `{name}`: {why}; stopping it waits the grace period and then kills it"),
                            ),
                        ));
                    }
                    continue;
                }
                // No start command in compose: the image's, when devbox builds it.
                let Some(b) = built
                    .iter()
                    .find(|b| b.link.compose == ci && std::ptr::eq(b.service, svc))
                else {
                    continue;
                };
                let Some(stage) = b.stage else { continue };
                let last_start = b.dockerfile.df.instructions[stage.range.clone()]
                    .iter()
                    .rev()
                    .find_map(|ins| match &ins.body {
                        Body::Entrypoint(c) | Body::Cmd(c) => Some(c),
                        _ => None,
                    });
                let why = match last_start {
                    Some(Command::Shell { text, .. }) if !text.trim_start().starts_with("exec ") => {
                        Some("the image's shell-form start command runs under `/bin/sh -c` as PID 1, which ignores SIGTERM".to_owned())
                    }
                    Some(Command::Exec { args, .. }) => {
                        let argv: Vec<String> = args.iter().map(|a| a.value.clone()).collect();
                        ignores_sigterm(&argv).map(|w| format!("the image's start command: {w}"))
                    }
                    _ => None,
                };
                if let Some(why) = why {
                    out.push((
                        FileRef::Compose(ci),
                        Hit::new(
                            compose.key_span(svc),
                            format!("service `{name}`: {why}; stopping it waits the grace period and then kills it"),
                        ),
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ignores_sigterm;

    fn argv(s: &str) -> Vec<String> {
        s.split(' ').map(str::to_owned).collect()
    }

    #[test]
    fn pid1_programs_without_a_sigterm_handler() {
        assert!(ignores_sigterm(&argv("sleep infinity")).is_some());
        assert!(ignores_sigterm(&argv("tail -f /dev/null")).is_some());
        assert!(ignores_sigterm(&argv("npm run dev")).is_some());
        assert!(
            ignores_sigterm(&["sh".into(), "-c".into(), "migrate; node server.js".into()])
                .is_some()
        );
        assert!(
            ignores_sigterm(&[
                "sh".into(),
                "-c".into(),
                "migrate; exec node server.js".into()
            ])
            .is_none()
        );
        assert!(ignores_sigterm(&["sh".into(), "-c".into(), "node server.js".into()]).is_none());
        assert!(ignores_sigterm(&argv("node server.js")).is_none());
        assert!(ignores_sigterm(&argv("/usr/bin/tini -- sleep 1")).is_none());
        assert!(ignores_sigterm(&argv("tail /var/log/x")).is_none());
    }
}
