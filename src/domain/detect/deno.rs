//! Deno detection: `deno.json` / `deno.jsonc` at the root, its `start` and `dev` tasks (or an
//! entry file serving with `Deno.serve`), the permissions the app runs with, and `deno.lock`.

use serde_json::Value;

use super::command::Command;
use super::facts::{Fact, Reason, line_of};
use super::{Language, Partial, ProjectScan, ServiceKind};

const ENTRY_FILES: &[&str] = &[
    "main.ts",
    "main.js",
    "server.ts",
    "server.js",
    "mod.ts",
    "src/main.ts",
    "src/server.ts",
];

/// Deno.serve's default port.
const DEFAULT_PORT: u16 = 8000;

/// JSONC to JSON: whole-line `//` comments dropped (the form deno.jsonc files use).
fn without_comments(text: &str) -> String {
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A task's command as argv, when it is one `deno …` invocation (not a shell pipeline).
fn deno_argv(task: &str) -> Option<Vec<String>> {
    if task.contains("&&") || task.contains('|') || task.contains(';') {
        return None;
    }
    let argv: Vec<String> = task.split_whitespace().map(String::from).collect();
    (argv.first().map(String::as_str) == Some("deno")).then_some(argv)
}

pub(crate) fn detect(scan: &ProjectScan) -> Option<Partial> {
    let manifest = ["deno.json", "deno.jsonc"]
        .into_iter()
        .find(|f| scan.has(f))?;
    let text = scan.text(manifest).unwrap_or_default();
    let json: Value = serde_json::from_str(&without_comments(text)).unwrap_or(Value::Null);
    let task = |name: &str| {
        json.get("tasks").and_then(|t| t.get(name)).and_then(|t| {
            t.as_str()
                .or_else(|| t.get("command").and_then(Value::as_str))
        })
    };
    let at = |needle: &str, note: String| Reason::at(manifest, line_of(text, needle), note);
    let mut out = Partial {
        language: Some(Fact::new(
            Language::Deno,
            Reason::at(manifest, None, format!("{manifest} at the project root")),
        )),
        build_step: Some(Fact::new(
            false,
            Reason::at(manifest, None, "Deno runs TypeScript from source"),
        )),
        source_dir: Some(Fact::new(
            ".".to_string(),
            Reason::at(manifest, None, "Deno loads the whole tree"),
        )),
        framework_port: Some(Fact::new(
            DEFAULT_PORT,
            Reason::default_for("Deno.serve listens on 8000 by default"),
        )),
        ..Partial::default()
    };
    out.install_extras.push(Fact::new(
        manifest.to_string(),
        Reason::at(manifest, None, "deno install reads the imports from it"),
    ));
    if scan.has("deno.lock") {
        out.lockfile = Some(Fact::new(
            "deno.lock".to_string(),
            Reason::at("deno.lock", None, "lockfile present: installed frozen"),
        ));
    }
    let start = task("start").and_then(deno_argv);
    let entry_file = ENTRY_FILES.iter().find(|f| scan.has(f)).copied();
    if let Some(argv) = start {
        out.entrypoint = Some(Fact::new(
            Command::exec(argv),
            at("\"start\"", "the start task".to_string()),
        ));
    } else if let Some(file) = entry_file {
        // The permissions a server needs: the network, its environment (PORT), its files.
        out.entrypoint = Some(Fact::new(
            Command::exec([
                "deno",
                "run",
                "--allow-net",
                "--allow-env",
                "--allow-read",
                file,
            ]),
            Reason::at(
                file,
                None,
                "conventional entry file, run with net, env and read permissions",
            ),
        ));
    }
    if let Some(argv) = task("dev").and_then(deno_argv) {
        out.dev_command = Some(Fact::new(
            Command::exec(argv),
            at("\"dev\"", "the dev task".to_string()),
        ));
    } else if let Some(entry) = &out.entrypoint {
        // The start command with --watch: Deno restarts on the synced edits itself.
        let mut argv = entry.value.argv(None, DEFAULT_PORT);
        if argv.get(1).map(String::as_str) == Some("run") && !argv.iter().any(|a| a == "--watch") {
            argv.insert(2, "--watch".to_string());
        }
        out.dev_command = Some(Fact::new(
            Command::exec(argv),
            Reason::at(manifest, None, "the start command with --watch"),
        ));
    }
    let serves = scan
        .contents
        .iter()
        .any(|(file, text)| file.ends_with(".ts") && text.contains("Deno.serve"));
    out.kind = Some(Fact::new(
        ServiceKind::Http,
        if serves {
            Reason::default_for("the code calls Deno.serve")
        } else {
            Reason::default_for("assuming an HTTP service")
        },
    ));
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tasks_give_the_commands_and_a_lockfile_freezes_the_install() {
        let scan = ProjectScan::from_files(
            "p",
            [
                (
                    "deno.json",
                    r#"{ "tasks": { "start": "deno run --allow-net main.ts", "dev": "deno run --watch --allow-net main.ts" } }"#,
                ),
                ("deno.lock", "{}"),
                ("main.ts", "Deno.serve(() => new Response('x'));"),
            ],
        );
        let out = detect(&scan).unwrap();
        assert_eq!(
            out.entrypoint.unwrap().value.argv(None, 8000),
            ["deno", "run", "--allow-net", "main.ts"]
        );
        assert_eq!(
            out.dev_command.unwrap().value.argv(None, 8000)[2],
            "--watch"
        );
        assert_eq!(out.lockfile.unwrap().value, "deno.lock");
    }

    #[test]
    fn without_tasks_the_entry_file_runs_and_watches() {
        let scan = ProjectScan::from_files(
            "p",
            [
                ("deno.jsonc", "// settings\n{ \"imports\": {} }"),
                ("main.ts", "Deno.serve(() => new Response('x'));"),
            ],
        );
        let out = detect(&scan).unwrap();
        let dev = out.dev_command.unwrap().value.argv(None, 8000);
        assert_eq!(dev[..3], ["deno", "run", "--watch"]);
        assert_eq!(dev.last().map(String::as_str), Some("main.ts"));
    }
}
