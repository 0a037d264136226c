//! Plain-text summaries for people: what detection found (each value with its reason) and the
//! answers the walk settled on (detected, default or chosen), what is left to do, and why an
//! unknown stack is refused rather than guessed. Used by `devbox init` and the TUI.

use super::tree::{self, Leaf};
use super::walk::Walk;
use crate::domain::detect::{Command, Detected, Fact, ServiceKind};
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
    let command = |c: &Command| d.argv(c).join(" ");
    row(&mut out, "language", &d.language, |v| {
        v.as_str().to_string()
    });
    row(&mut out, "package manager", &d.package_manager, |v| {
        v.as_str().to_string()
    });
    row(&mut out, "lockfile", &d.lockfile, String::clone);
    row(&mut out, "yarn release", &d.yarn_berry, |v| {
        if *v {
            "2+ (Berry)".into()
        } else {
            "1 (classic)".into()
        }
    });
    row(&mut out, "build step", &d.build_step, |v| {
        if *v { "yes".into() } else { "no".into() }
    });
    row(&mut out, "build command", &d.build_command, argv);
    row(&mut out, "build output", &d.build_output, String::clone);
    row(&mut out, "start command", &d.entrypoint, command);
    row(&mut out, "dev command", &d.dev_command, command);
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
    for package in &d.server_packages {
        out.push(format!(
            "  {:<16} {:<24} {}",
            "missing", package.value, package.reason
        ));
    }
    for foreign in &d.foreign {
        out.push(format!(
            "  {:<16} {:<24} {}: {}",
            "found", foreign.stack, foreign.file, foreign.advice
        ));
    }
    for sub in &d.sub_projects {
        out.push(format!(
            "  {:<16} {:<24} {}",
            format!("app in {}/", sub.dir),
            sub.language.as_str(),
            sub.reason
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
    let django = answers
        .project
        .dev_command
        .iter()
        .any(|w| w.ends_with("manage.py"));
    let mut out = follow_ups_for_kind(detected, answers, is_static);
    // Python's framework servers import the app and never run its `app.run(host=…)`; a
    // script started with `python file.py` does.
    let runs_the_code = !matches!(
        answers.leaf,
        Leaf::PythonPip | Leaf::PythonUv | Leaf::PythonPoetry
    ) || answers
        .project
        .entrypoint
        .first()
        .is_some_and(|w| w == "python");
    if let Some(bind) = detected
        .loopback
        .as_ref()
        .filter(|_| runs_the_code && !is_static)
    {
        out.push(format!(
            "{}: the server listens on {} only, which inside a container nothing outside it \
             can reach (the published port {} would answer nothing): listen on 0.0.0.0.",
            bind.reason
                .file
                .as_deref()
                .map_or(String::new(), |f| match bind.reason.line {
                    Some(line) => format!("{f}:{line}"),
                    None => f.to_string(),
                }),
            bind.value,
            answers.port
        ));
    }
    if let Some(server) = answers.project.entrypoint.first()
        && !answers.project.server_packages.is_empty()
    {
        let missing = answers.project.server_packages.join(", ");
        let manifest = match (answers.leaf, &answers.project.lockfile) {
            (Leaf::PythonPip, Some(requirements)) => requirements.clone(),
            (Leaf::PythonPip, None) => "pyproject.toml".to_string(),
            _ => "pyproject.toml (then relock)".to_string(),
        };
        out.push(format!(
            "The production target runs `{server}` (a production server, not the dev server), and \
             {missing} is not among the production dependencies: add it to {manifest}, or the \
             production image cannot start."
        ));
    }
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

/// Why `init` will not guess a stack, and what to do instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// What was found, one fact a line.
    pub found: Vec<String>,
    /// What to do, one option a line.
    pub actions: Vec<String>,
}

/// The refusal for a project whose root holds no app the decision tree knows: what is there
/// (other stacks' manifests, apps in sub-directories), what devbox supports, what to do.
pub fn refusal(detected: &Detected, dir: &str, template_dir: Option<&str>) -> Refusal {
    let mut found: Vec<String> = detected
        .foreign
        .iter()
        .map(|f| format!("{}: {} ({})", f.file, f.stack, f.advice))
        .collect();
    found.extend(
        detected
            .sub_projects
            .iter()
            .map(|s| format!("{}/: a {} app ({})", s.dir, s.language.as_str(), s.reason)),
    );
    if found.is_empty() {
        found.push(
            "no package.json, pyproject.toml, requirements.txt, go.mod, Cargo.toml, pom.xml, build.gradle, composer.json or index.html \
             at the root, and no app in a sub-directory"
                .to_string(),
        );
    }
    let prefix = if dir == "." || dir.is_empty() {
        String::new()
    } else {
        format!("{}/", dir.trim_end_matches('/'))
    };
    let mut actions = Vec::new();
    if !detected.sub_projects.is_empty() {
        let apps: Vec<String> = detected
            .sub_projects
            .iter()
            .map(|s| format!("`devbox init {prefix}{}`", s.dir))
            .collect();
        actions.push(format!(
            "run it for one app at a time, in its directory: {}",
            apps.join(", ")
        ));
    }
    actions.push(
        "pass --lang node|python|go|rust|java|php|ruby|dotnet|deno|static to generate that language's files anyway \
         (detected values are not used; review them)"
            .to_string(),
    );
    let templates = template_dir.map_or_else(
        || "the devbox templates directory".to_string(),
        |d| d.to_string(),
    );
    actions.push(format!(
        "or write your own Dockerfile template in {templates} (named like the embedded ones, \
         e.g. Dockerfile.node-build.j2) and pick that leaf with --lang"
    ));
    Refusal { found, actions }
}
