//! The Stack tab: lays out its panels and hands each its area.

use ratatui::Frame;
use ratatui::layout::Rect;

use super::layout::StackLayout;
use super::{details, feed, logs, services};
use crate::app::Model;

pub fn draw(frame: &mut Frame, area: Rect, model: &Model) {
    let layout = StackLayout::compute(area, model);
    services::draw(frame, layout.table, model);
    details::draw(frame, layout.details, model);
    logs::draw(frame, layout.logs, model);
    feed::draw(frame, layout.feed, model);
}
