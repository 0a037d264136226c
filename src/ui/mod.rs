//! Read-only drawing: `draw(&mut Frame, &Model)` lays out the screen once and hands each area to
//! its panel. Panels never change the model. `hit_test` reuses the same layout for the mouse.

mod details;
mod feed;
mod help;
mod layout;
mod logs;
mod preview;
mod projects;
mod services;
mod stack;
mod status;
mod tabs;
mod theme;
mod wizard;

pub use layout::{ScreenLayout, hit_test};

use ratatui::Frame;

use crate::app::{Model, Tab};

/// Draws the whole screen for the model.
pub fn draw(frame: &mut Frame, model: &Model) {
    let area = frame.area();
    if area.width == 0 || area.height == 0 {
        return;
    }
    let layout = ScreenLayout::compute(area);
    tabs::draw(frame, layout.tabs, model);
    match model.tab {
        Tab::Stack => stack::draw(frame, layout.body, model),
        Tab::Wizard => wizard::draw(frame, layout.body, model),
        Tab::Projects => projects::draw(frame, layout.body, model),
    }
    status::draw(frame, layout.status, model);
    if model.show_help {
        help::draw(frame, area, model);
    }
}

#[cfg(test)]
mod stack_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod wizard_tests;
