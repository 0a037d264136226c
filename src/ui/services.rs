//! The services table: a row per container (or per service without one) with state, health,
//! uptime, restarts, ports, sizes, CPU and memory with a short history. Columns are as wide as
//! their content; as the screen narrows the least useful ones drop out, never the service name.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
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

    /// The widest a column gets, whatever its content: long values are cut, not the table.
    fn cap(self) -> usize {
        match self {
            Col::Service => 28,
            Col::State => 48,
            Col::Ports => 30,
            Col::CpuHistory | Col::MemHistory => SPARK,
            _ => 12,
        }
    }
}

/// Display order.
const ORDER: [Col; 13] = [
    Col::Service,
    Col::State,
    Col::Health,
    Col::Uptime,
    Col::Restarts,
    Col::Exit,
    Col::Ports,
    Col::Image,
    Col::Rw,
    Col::Cpu,
    Col::CpuHistory,
    Col::Mem,
    Col::MemHistory,
];

/// The order columns are given room in: what a developer looks at first is kept longest.
const PRIORITY: [Col; 13] = [
    Col::Service,
    Col::State,
    Col::Health,
    Col::Cpu,
    Col::Mem,
    Col::Uptime,
    Col::Ports,
    Col::CpuHistory,
    Col::MemHistory,
    Col::Restarts,
    Col::Image,
    Col::Rw,
    Col::Exit,
];

/// The columns that fit in `width` (inside the borders), each with its width: content-sized,
/// chosen by `PRIORITY`, shown in `ORDER`.
fn columns(width: u16, natural: impl Fn(Col) -> usize) -> Vec<(Col, u16)> {
    let mut room = usize::from(width);
    let mut chosen: Vec<(Col, usize)> = Vec::new();
    for col in PRIORITY {
        let w = natural(col).max(col.title().chars().count()).min(col.cap());
        // One space between columns.
        let need = w + usize::from(!chosen.is_empty());
        if need <= room {
            room -= need;
            chosen.push((col, w));
        } else if col == Col::Service {
            chosen.push((col, room));
            room = 0;
        }
    }
    ORDER
        .iter()
        .filter_map(|c| {
            chosen
                .iter()
                .find(|(k, _)| k == c)
                .map(|(k, w)| (*k, u16::try_from(*w).unwrap_or(u16::MAX)))
        })
        .collect()
}

pub fn draw(frame: &mut Frame, area: Rect, model: &Model) {
    let theme = Theme::of(model);
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
    let offset = table_offset(area, model.stack_ui.selected);
    let visible: Vec<_> = rows
        .iter()
        .enumerate()
        .skip(offset)
        .take(usize::from(area.height))
        .filter_map(|(i, r)| Some((i, model.stack.row(*r)?)))
        .collect();
    let texts: Vec<Vec<(Col, String, Style)>> = visible
        .iter()
        .map(|(_, (service, container))| {
            ORDER
                .iter()
                .map(|c| {
                    let (text, style) = cell(*c, model, theme, service, *container);
                    (*c, text, style)
                })
                .collect()
        })
        .collect();
    let natural = |col: Col| {
        texts
            .iter()
            .flatten()
            .filter(|(c, _, _)| *c == col)
            .map(|(_, t, _)| t.chars().count())
            .max()
            .unwrap_or(0)
    };
    let cols = columns(area.width.saturating_sub(2), natural);
    let body: Vec<Row> = visible
        .iter()
        .zip(&texts)
        .map(|((i, _), cells)| {
            let row = Row::new(cols.iter().filter_map(|(c, _)| {
                let (_, text, style) = cells.iter().find(|(k, _, _)| k == c)?;
                Some(Cell::from(Span::styled(text.clone(), *style)))
            }));
            if *i == model.stack_ui.selected {
                row.style(theme.selected())
            } else {
                row
            }
        })
        .collect();
    let header = Row::new(cols.iter().map(|(c, _)| Cell::from(c.title()))).style(theme.bold());
    let table = Table::new(body, cols.iter().map(|(_, w)| Constraint::Length(*w)))
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

/// A cell's text and style.
fn cell(
    col: Col,
    model: &Model,
    theme: Theme,
    service: &ServiceView,
    container: Option<&ContainerView>,
) -> (String, Style) {
    let text = |s: String| (s, Style::default());
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
            (name, theme.service(index))
        }
        Col::State => {
            let label = model.stack.state_label(service, container);
            (label.text, theme.tone(label.tone))
        }
        Col::Health => match Stack::health_label(container) {
            Some(label) => (label.text, theme.tone(label.tone)),
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
                .map(|c| {
                    // Against the limit when there is one: a flat line at 90 MiB of 2 GiB is
                    // low, not full.
                    let top = c.mem_limit.map_or(0.0, |l| l as f64);
                    sparkline(c.mem.iter().map(|m| *m as f64), SPARK, top)
                })
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
