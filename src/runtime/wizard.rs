//! The Wizard tab's file edge: scanning and detecting the current folder (with the files on
//! disk and the template overrides, so the pure wizard can compare and render), and writing
//! the wizard's files with `write_all` keeping replaced ones as FILE.bak.

use std::path::{Path, PathBuf};

use crate::app::{AppSeed, Msg, WizardSeed};
use crate::commands::init::template_dir;
use crate::domain::detect::detect;
use crate::fsio::scan::scan_project;
use crate::fsio::write::{Backup, PendingFile, write_all};

/// The files the wizard writes, relative to the project folder.
const OUTPUTS: [&str; 3] = ["Dockerfile", ".dockerignore", "compose.yaml"];

/// Scans `root` (blocking: run it off the UI thread) into `WizardScanned` or `WizardScanFailed`.
pub fn scan(root: &Path) -> Msg {
    let scan = match scan_project(root) {
        Ok(scan) => scan,
        Err(err) => return failed(&err),
    };
    let detected = detect(&scan);
    // A monorepo root: every app is detected in its own directory, as `devbox init DIR` would.
    let mut apps = Vec::new();
    if detected.language.is_none() && detected.sub_projects.len() >= 2 {
        for sub in &detected.sub_projects {
            match scan_project(&root.join(&sub.dir)) {
                Ok(app) => apps.push(AppSeed {
                    dir: sub.dir.clone(),
                    detected: detect(&app),
                    name: app.name,
                }),
                Err(err) => return failed(&err),
            }
        }
    }
    let mut paths: Vec<String> = OUTPUTS.iter().map(|name| name.to_string()).collect();
    for app in &apps {
        paths.extend(["Dockerfile", ".dockerignore"].map(|f| format!("{}/{f}", app.dir)));
    }
    let existing = paths
        .into_iter()
        .filter_map(|path| {
            let text = std::fs::read_to_string(root.join(&path)).ok()?;
            Some((path, text))
        })
        .collect();
    let overrides = match crate::commands::init::read_overrides(template_dir().as_deref()) {
        Ok(overrides) => overrides,
        Err(report) => {
            return Msg::WizardScanFailed {
                reason: report.to_string(),
            };
        }
    };
    let root_lockfile = if apps.is_empty() {
        None
    } else {
        crate::domain::plan::monorepo::root_lockfile(&scan)
    };
    Msg::WizardScanned(Box::new(WizardSeed {
        detected,
        name: scan.name,
        existing,
        overrides,
        root_lockfile,
        apps,
    }))
}

fn failed(err: &dyn miette::Diagnostic) -> Msg {
    let help = err.help().map(|h| format!(" ({h})")).unwrap_or_default();
    Msg::WizardScanFailed {
        reason: format!("{err}{help}"),
    }
}

/// Writes the files under `root` (blocking) into `FilesWritten`.
pub fn write(root: &Path, files: Vec<(String, String)>) -> Msg {
    let pending: Vec<PendingFile> = files
        .iter()
        .map(|(path, text)| PendingFile {
            path: root.join(path),
            contents: text.clone(),
        })
        .collect();
    let outcome = match write_all(&pending, Backup::Keep) {
        Ok(_) => Ok(files),
        Err(err) => {
            let help = miette::Diagnostic::help(&err)
                .map(|h| format!(" ({h})"))
                .unwrap_or_default();
            Err(format!("{err}{help}"))
        }
    };
    Msg::FilesWritten { outcome }
}

/// The folder the app was started in.
pub fn root() -> PathBuf {
    PathBuf::from(".")
}
