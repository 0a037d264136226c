//! Read-only drawing: `draw(&mut Frame, &Model)` lays out the screen once and hands each area to
//! its panel. Panels never change the model.

mod help;
mod layout;
mod status;
mod tabs;

pub use layout::ScreenLayout;

use ratatui::Frame;

use crate::app::Model;

/// Draws the whole screen for the model.
pub fn draw(frame: &mut Frame, model: &Model) {
    let area = frame.area();
    if area.width == 0 || area.height == 0 {
        return;
    }
    let layout = ScreenLayout::compute(area);
    tabs::draw(frame, layout.tabs, model);
    tabs::draw_body(frame, layout.body, model);
    status::draw(frame, layout.status, model);
    if model.show_help {
        help::draw(frame, area);
    }
}

#[cfg(test)]
mod tests;
