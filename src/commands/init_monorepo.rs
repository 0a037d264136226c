//! `devbox init` at a monorepo root: each recognised app in a sub-directory is detected and
//! walked as `devbox init DIR` would (asking where a terminal allows), then its Dockerfile and
//! .dockerignore and one root compose.yaml for all of them are diffed and written together.

use std::collections::BTreeMap;
use std::path::Path;

use miette::miette;

use super::init_flow::settle;
use crate::domain::detect::{self, Detected};
use crate::domain::plan::diff::{FilePlan, compare};
use crate::domain::plan::monorepo::{self, App, render_monorepo};
use crate::domain::wizard::summary::answer_lines;
use crate::domain::wizard::{PartialAnswers, Walk};
use crate::fsio::scan::scan_project;

/// Asks whether to set up every app (a terminal is attached); `false` leaves the single-app flow.
pub(crate) fn confirm(detected: &Detected) -> Result<bool, miette::Report> {
    crate::errln!(
        "\nThis is a monorepo root with {} apps:",
        detected.sub_projects.len()
    );
    for sub in &detected.sub_projects {
        crate::errln!("  {}/: {} ({})", sub.dir, sub.language.as_str(), sub.reason);
    }
    match inquire::Confirm::new(
        "Write a Dockerfile for each app and one compose.yaml that runs them together?",
    )
    .with_default(true)
    .prompt()
    {
        Ok(yes) => Ok(yes),
        Err(inquire::InquireError::OperationInterrupted) => Ok(false),
        Err(err) => Err(miette!("cannot ask whether to set up every app: {err}")),
    }
}

/// What `init` writes at a monorepo root: the plans, and what is left for the user to do.
pub(crate) struct Monorepo {
    pub plans: Vec<FilePlan>,
    pub to_do: Vec<String>,
}

/// Every app's answers, then the files for all of them; `None` when the user interrupted.
pub(crate) fn plan(
    root: &Path,
    non_interactive: bool,
    detected: &Detected,
    presets: &PartialAnswers,
    root_lockfile: Option<&str>,
    overrides: &BTreeMap<String, String>,
) -> Result<Option<Monorepo>, miette::Report> {
    let per_app = [
        ("--lang", presets.language.is_some()),
        ("--package-manager", presets.package_manager.is_some()),
        ("--build-step/--no-build-step", presets.build_step.is_some()),
        ("--base", presets.base.is_some()),
        ("--port", presets.port.is_some()),
        ("--kind", presets.kind.is_some()),
    ];
    let given: Vec<&str> = per_app
        .iter()
        .filter(|(_, set)| *set)
        .map(|(flag, _)| *flag)
        .collect();
    if !given.is_empty() {
        return Err(miette!(
            help = "at a monorepo root only --with and --security apply (to every app); run `devbox init DIR` for the app those flags are meant for",
            "{} describe one app, and {} holds {} apps; nothing was written",
            given.join(", "),
            root.display(),
            detected.sub_projects.len()
        ));
    }
    // Only the choices that make sense for every app are shared.
    let shared = PartialAnswers {
        add_ons: presets.add_ons.clone(),
        security: presets.security.clone(),
        ..PartialAnswers::default()
    };
    let mut apps = Vec::with_capacity(detected.sub_projects.len());
    let mut to_do = Vec::new();
    for sub in &detected.sub_projects {
        let scan = scan_project(&root.join(&sub.dir))?;
        let found = detect::detect(&scan);
        crate::errln!("\n{}/ ({}):", sub.dir, sub.language.as_str());
        let mut walk = Walk::with_presets(found, &scan.name, shared.clone());
        let Some(answers) = settle(&mut walk, non_interactive)? else {
            return Ok(None);
        };
        for line in answer_lines(&walk) {
            crate::errln!("{line}");
        }
        let app = App {
            dir: sub.dir.clone(),
            answers,
        };
        to_do.extend(monorepo::follow_ups(&app, walk.detected(), root_lockfile));
        apps.push(app);
    }
    // Everything is rendered before anything is written.
    let plans: Vec<FilePlan> = render_monorepo(&apps, overrides)?
        .into_iter()
        .map(|file| {
            let existing = std::fs::read_to_string(root.join(&file.path)).ok();
            compare(file, existing.as_deref())
        })
        .collect();
    Ok(Some(Monorepo { plans, to_do }))
}
