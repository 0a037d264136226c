//! Plain-text summaries for people: what detection found (each value with its reason) and the
//! answers the walk settled on (detected, default or chosen). Used by `devbox init` and the TUI.

use super::tree::{self, Leaf};
use super::walk::Walk;
use crate::domain::detect::{Detected, Fact, ServiceKind};
use crate::domain::plan::health;
use crate::domain::wizard::Answers;

fn row<T>(out: &mut Vec<String>, label: &str, fact: &Option<Fact<T>>, show: impl Fn(&T) -> String) {
    if let Some(fact) = fact {
        out.push(format!(
            "  {label:<16} {:<24} {}",
            show(&fact.value),
            fact.reason
        ));
    }
}

/// One line per detected value: label, value, reason (`file:line: note`).
pub fn detection_lines(d: &Detected) -> Vec<String> {
    let mut out = Vec::new();
    let argv = |v: &Vec<String>| v.join(" ");
    row(&mut out, "language", &d.language, |v| {
        v.as_str().to_string()
    });
    row(&mut out, "package manager", &d.package_manager, |v| {
        v.as_str().to_string()
    });
    row(&mut out, "lockfile", &d.lockfile, String::clone);
    row(&mut out, "build step", &d.build_step, |v| {
        if *v { "yes".into() } else { "no".into() }
    });
    row(&mut out, "build command", &d.build_command, argv);
    row(&mut out, "build output", &d.build_output, String::clone);
    row(&mut out, "start command", &d.entrypoint, argv);
    row(&mut out, "dev command", &d.dev_command, argv);
    row(&mut out, "source dir", &d.source_dir, String::clone);
    row(&mut out, "port", &d.port, u16::to_string);
    row(&mut out, "kind", &d.kind, |v| v.as_str().to_string());
    row(&mut out, "health route", &d.health_path, String::clone);
    row(&mut out, "version", &d.version, String::clone);
    row(&mut out, "go main", &d.go_main, String::clone);
    row(&mut out, "binary", &d.binary, String::clone);
    if !d.workspace_members.is_empty() {
        out.push(format!(
            "  {:<16} {}",
            "workspace",
            d.workspace_members.join(", ")
        ));
    }
    for addon in &d.add_ons {
        out.push(format!(
            "  {:<16} {:<24} {}",
            "add-on", addon.value, addon.reason
        ));
    }
    for extra in &d.install_extras {
        out.push(format!(
            "  {:<16} {:<24} {}",
            "install reads", extra.value, extra.reason
        ));
    }
    for problem in &d.problems {
        out.push(format!("  problem: {problem}"));
    }
    out
}

/// What the project still needs for the generated files to work as written: a liveness route
/// the HEALTHCHECK can probe when the code shows none, a worker's heartbeat.
pub fn follow_ups(detected: &Detected, answers: &Answers) -> Vec<String> {
    let is_static = matches!(answers.leaf, Leaf::StaticNginx | Leaf::StaticCaddy);
    // Django is the Python framework whose dev command is `manage.py runserver`.
    let django = detected
        .dev_command
        .as_ref()
        .is_some_and(|f| f.value.iter().any(|w| w == "manage.py"));
    let mut out = follow_ups_for_kind(detected, answers, is_static);
    if django && answers.kind == ServiceKind::Http {
        out.push(format!(
            "Django answers 400 to a Host it does not know: add \"127.0.0.1\" to ALLOWED_HOSTS so the HEALTHCHECK (GET http://127.0.0.1:{}{}) gets through.",
            answers.port, answers.project.health_path
        ));
    }
    out
}

fn follow_ups_for_kind(detected: &Detected, answers: &Answers, is_static: bool) -> Vec<String> {
    match answers.kind {
        ServiceKind::Http if !is_static && detected.health_path.is_none() => vec![format!(
            "The production image's HEALTHCHECK probes GET {} on port {}, and no such route was \
             found in the code: add one that answers 200 without checking dependencies (until \
             then the container reports unhealthy), or name your route with `health_path` under \
             [project] in an answers file (`devbox init --print-answers > answers.toml`).",
            answers.project.health_path, answers.port
        )],
        ServiceKind::Worker => vec![health(answers).comment],
        _ => Vec::new(),
    }
}

/// One line per answered question: the question, the answer, and where the answer came from.
pub fn answer_lines(walk: &Walk) -> Vec<String> {
    walk.answered()
        .into_iter()
        .map(|(id, value)| {
            let (default, reason) = walk.default_for(id);
            let source = if *value == default {
                reason
            } else {
                "your answer".to_string()
            };
            let shown = value.display();
            format!("  {:<40} {:<24} ({source})", tree::spec(id).prompt, shown)
        })
        .collect()
}
