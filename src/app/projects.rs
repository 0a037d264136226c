//! The Projects tab's half of `update`: the engine's list of compose projects, selection, and
//! opening one in the Stack tab; plus the tab switch every tab change goes through, which
//! starts and stops the projects' listing with the tab.

use super::keymap::ProjectsAction;
use super::model::{Model, Tab};
use super::msg::Cmd;
use crate::domain::stack::projects::ProjectSummary;

/// Shows `tab`; the Projects listing runs only while its tab is shown.
pub fn show(model: &mut Model, tab: Tab) -> Vec<Cmd> {
    let was = model.tab;
    model.tab = tab;
    model.tab_chosen = true;
    match (was == Tab::Projects, tab == Tab::Projects) {
        (false, true) => start(model),
        (true, false) => vec![Cmd::StopProjects],
        _ => Vec::new(),
    }
}

/// The listing's (re)start: on opening the tab and when the engine comes back.
pub fn start(model: &mut Model) -> Vec<Cmd> {
    if model.tab == Tab::Projects && model.engine_connected() {
        vec![Cmd::WatchProjects]
    } else {
        Vec::new()
    }
}

/// A new list: the selection stays on the same project when it is still there.
pub fn listed(model: &mut Model, outcome: Result<Vec<ProjectSummary>, String>) -> Vec<Cmd> {
    let ui = &mut model.projects;
    match outcome {
        Ok(rows) => {
            let kept = ui
                .rows
                .get(ui.selected)
                .map(|r| r.project.name.clone())
                .and_then(|name| rows.iter().position(|r| r.project.name == name));
            ui.selected = kept
                .unwrap_or(ui.selected)
                .min(rows.len().saturating_sub(1));
            ui.rows = rows;
            ui.listed = true;
            ui.error = None;
        }
        Err(reason) => ui.error = Some(reason),
    }
    Vec::new()
}

pub fn action(model: &mut Model, action: ProjectsAction) -> Vec<Cmd> {
    let ui = &mut model.projects;
    match action {
        ProjectsAction::SelectUp => {
            ui.selected = ui.selected.saturating_sub(1);
            Vec::new()
        }
        ProjectsAction::SelectDown => {
            ui.selected = (ui.selected + 1).min(ui.rows.len().saturating_sub(1));
            Vec::new()
        }
        ProjectsAction::Open => {
            let Some(row) = ui.rows.get(ui.selected) else {
                return Vec::new();
            };
            let target = row.project.clone();
            // The folder's own project is opened as the folder's (its .env and flags apply).
            let own = model.stack.project == target.name && ui.opened.is_none();
            let mut cmds = Vec::new();
            if !own {
                ui.opened = Some(target.clone());
                if model.stack_ui.watching {
                    model.stack_ui.watching = false;
                    cmds.push(Cmd::Watch { on: false });
                }
                cmds.push(Cmd::OpenProject(Some(target)));
            }
            cmds.extend(show(model, Tab::Stack));
            cmds
        }
    }
}

/// The project the Stack tab shows is the current folder's again (the wizard wrote it).
pub fn back_home(model: &mut Model) -> Cmd {
    match model.projects.opened.take() {
        Some(_) => Cmd::OpenProject(None),
        None => Cmd::LoadProject,
    }
}
