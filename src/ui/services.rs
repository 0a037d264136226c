//! The services table: a row per container (or per service without one) with state, health,
//! uptime, restarts, ports, sizes, CPU and memory with a short history. Columns drop out as
//! the screen narrows.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, Wrap};

use super::layout::{action_error_height, table_offset};
use super::theme::{Theme, sparkline};
use crate::app::Model;
use crate::domain::stack::{ContainerView, ServiceView, Stack, Tone, human_bytes};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Col {
    Service,
    State,
    Health,
    Uptime,
    Restarts,
    Exit,
    Ports,
    Image,
    Rw,
    Cpu,
    CpuHistory,
    Mem,
    MemHistory,
}

const SPARK: usize = 12;

impl Col {
    fn title(self) -> &'static str {
        match self {
            Col::Service => "SERVICE",
            Col::State => "STATE",
            Col::Health => "HEALTH",
            Col::Uptime => "UP",
            Col::Restarts => "RST",
            Col::Exit => "EXIT",
            Col::Ports => "PORTS",
            Col::Image => "IMAGE",
            Col::Rw => "RW",
            Col::Cpu => "CPU%",
            Col::CpuHistory => "CPU HISTORY",
            Col::Mem => "MEM",
            Col::MemHistory => "MEM HISTORY",
        }
    }

    fn width(self) -> Constraint {
        match self {
            Col::Service => Constraint::Length(14),
            Col::State => Constraint::Min(12),
            Col::Health => Constraint::Length(12),
            Col::Uptime => Constraint::Length(6),
            Col::Restarts => Constraint::Length(3),
            Col::Exit => Constraint::Length(4),
            Col::Ports => Constraint::Length(13),
            Col::Image | Col::Rw | Col::Mem => Constraint::Length(9),
            Col::Cpu => Constraint::Length(6),
            Col::CpuHistory | Col::MemHistory => Constraint::Length(SPARK as u16),
        }
    }
}

fn columns(width: u16) -> &'static [Col] {
    use Col::*;
    if width >= 156 {
        &[
            Service, State, Health, Uptime, Restarts, Exit, Ports, Image, Rw, Cpu, CpuHistory, Mem,
            MemHistory,
        ]
    } else if width >= 110 {
        &[
            Service, State, Health, Uptime, Restarts, Ports, Image, Rw, Cpu, Mem,
        ]
    } else {
        &[Service, State, Health, Uptime, Cpu, Mem]
    }
}

pub fn draw(frame: &mut Frame, area: Rect, model: &Model) {
    let theme = Theme {
        no_color: model.no_color,
    };
    let area = match &model.stack_ui.action_error {
        Some(error) => draw_action_error(frame, area, model, error, theme),
        None => area,
    };
    let title = if model.stack.project.is_empty() {
        " Services ".to_owned()
    } else {
        format!(" Services · {} ", model.stack.project)
    };
    let block = Block::new().borders(Borders::ALL).title(title);
    let rows = model.stack.rows();
    if rows.is_empty() {
        let text = match &model.project_error {
            Some(reason) => format!("{reason}\nThe Wizard tab (1) can write a compose.yaml."),
            None => "No services yet.".to_owned(),
        };
        frame.render_widget(
            Paragraph::new(text).wrap(Wrap { trim: true }).block(block),
            area,
        );
        return;
    }
    let cols = columns(area.width);
    let offset = table_offset(area, model.stack_ui.selected);
    let body: Vec<Row> = rows
        .iter()
        .enumerate()
        .skip(offset)
        .filter_map(|(i, r)| {
            let (service, container) = model.stack.row(*r)?;
            let row = Row::new(
                cols.iter()
                    .map(|c| cell(*c, model, theme, service, container)),
            );
            Some(if i == model.stack_ui.selected {
                row.style(theme.selected())
            } else {
                row
            })
        })
        .collect();
    let header = Row::new(cols.iter().map(|c| Cell::from(c.title()))).style(theme.bold());
    let table = Table::new(body, cols.iter().map(|c| c.width()))
        .header(header)
        .column_spacing(1)
        .block(block);
    frame.render_widget(table, area);
}

/// Draws the failed action's message under the table (it is what the user must act on, so it
/// stays until an action succeeds) and returns the area left for the table.
fn draw_action_error(
    frame: &mut Frame,
    area: Rect,
    model: &Model,
    error: &str,
    theme: Theme,
) -> Rect {
    // The table keeps its header and one row; the message gets the rest up to its height.
    let height = action_error_height(model, area.width).min(area.height.saturating_sub(4));
    if height < 3 {
        return area;
    }
    let [table, below] =
        Layout::vertical([Constraint::Min(4), Constraint::Length(height)]).areas(area);
    let body = Paragraph::new(error)
        .style(theme.tone(Tone::Bad))
        .wrap(Wrap { trim: true })
        .block(Block::new().borders(Borders::ALL).title(" Failed "));
    frame.render_widget(body, below);
    table
}

fn cell<'a>(
    col: Col,
    model: &Model,
    theme: Theme,
    service: &'a ServiceView,
    container: Option<&'a ContainerView>,
) -> Cell<'a> {
    let text = |s: String| Cell::from(s);
    match col {
        Col::Service => {
            let name = match container {
                Some(c) if service.containers.len() > 1 => replica_name(service, c),
                _ => service.spec.name.clone(),
            };
            let index = model
                .stack
                .services
                .iter()
                .position(|s| s.spec.name == service.spec.name)
                .unwrap_or(0);
            Cell::from(Span::styled(name, theme.service(index)))
        }
        Col::State => {
            let label = model.stack.state_label(service, container);
            Cell::from(Span::styled(label.text, theme.tone(label.tone)))
        }
        Col::Health => match Stack::health_label(container) {
            Some(label) => Cell::from(Span::styled(label.text, theme.tone(label.tone))),
            None => text(dash(container.is_some_and(|c| c.is_running()))),
        },
        Col::Uptime => text(Stack::uptime(container, model.now).unwrap_or_default()),
        Col::Restarts => text(
            container
                .map(|c| c.info.restarts.to_string())
                .unwrap_or_default(),
        ),
        Col::Exit => text(
            container
                .filter(|c| !c.is_running())
                .and_then(|c| c.info.exit_code)
                .map(|e| e.to_string())
                .unwrap_or_default(),
        ),
        Col::Ports => text(
            container
                .map(|c| {
                    c.info
                        .ports
                        .iter()
                        .map(|p| format!("{}→{}", p.host_port, p.container_port))
                        .collect::<Vec<_>>()
                        .join(",")
                })
                .unwrap_or_default(),
        ),
        Col::Image => text(size(container.and_then(|c| c.info.image_size))),
        Col::Rw => text(size(container.and_then(|c| c.info.rw_size))),
        Col::Cpu => text(
            running(container)
                .and_then(|c| c.cpu.last())
                .map(|v| format!("{v:.1}"))
                .unwrap_or_default(),
        ),
        Col::CpuHistory => text(
            running(container)
                .map(|c| sparkline(c.cpu.iter().copied(), SPARK, 100.0))
                .unwrap_or_default(),
        ),
        Col::Mem => text(
            running(container)
                .and_then(|c| c.mem.last())
                .map(|m| human_bytes(*m))
                .unwrap_or_default(),
        ),
        Col::MemHistory => text(
            running(container)
                .map(|c| sparkline(c.mem.iter().map(|m| *m as f64), SPARK, 0.0))
                .unwrap_or_default(),
        ),
    }
}

fn running(container: Option<&ContainerView>) -> Option<&ContainerView> {
    container.filter(|c| c.is_running())
}

fn size(bytes: Option<u64>) -> String {
    bytes.map(human_bytes).unwrap_or_default()
}

fn dash(running: bool) -> String {
    if running { "-".into() } else { String::new() }
}

/// `web-2` for the second replica of `web`: the container name's trailing number.
fn replica_name(service: &ServiceView, c: &ContainerView) -> String {
    match c.info.name.rsplit_once('-') {
        Some((_, n)) if n.chars().all(|ch| ch.is_ascii_digit()) => {
            format!("{}-{n}", service.spec.name)
        }
        _ => c.info.name.clone(),
    }
}
