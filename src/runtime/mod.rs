//! The TUI runtime: the only owner of the terminal, the message channel and the task set.
//! The loop awaits one message, drains the rest, runs `update`, executes the returned
//! commands as keyed abortable tasks, and draws only when something changed (at most 60 fps).
//! Nothing polls: every redraw follows an input, an engine event, a stats frame or a log line.

mod actions;
mod input;
mod project;
mod settings_file;
mod shell;
mod streams;
mod tasks;
pub mod terminal;
mod wizard;

use crate::domain::stack::projects::ProjectRef;
use std::time::{Duration, Instant};

use bollard::Docker;
use crossterm::event::MouseEventKind;
use tokio::sync::mpsc;

use crate::app::{self, Cmd, Model, Msg, Operation, Tab};
use crate::domain::stack::EventAction;
use crate::error::CliResult;
use tasks::{TaskKey, Tasks};

/// Messages waiting beyond this are back-pressure on the producers (input, engine streams).
const CHANNEL_CAPACITY: usize = 1024;
/// At most 60 frames a second, however fast messages arrive.
const MIN_FRAME_INTERVAL: Duration = Duration::from_millis(16);
// Stats frames and log lines are drawn within the settings' `redraw_ms` (200 ms), together:
// CPU sparklines move once a second anyway, and a log line 200 ms late is not noticed, while
// redrawing for each of them was most of the app's own CPU with 30 containers.

/// What arrives at the loop: facts for `update`, raw mouse positions (hit-tested against the
/// current layout here, since only the runtime knows both), and a connected engine client.
pub enum Incoming {
    Msg(Msg),
    Mouse(crossterm::event::MouseEvent),
    Docker(Docker),
}

/// The runtime's own state beside the model: the channel, the tasks, the engine client.
struct Runtime {
    tx: mpsc::Sender<Incoming>,
    tasks: Tasks,
    docker: Option<Docker>,
    input: input::Input,
    /// The project the Stack tab shows when it is not the current folder's.
    target: Option<ProjectRef>,
    /// How often a local container's cgroup files are sampled (settings `stats_ms`).
    stats_every: Duration,
}

/// Runs the full-screen app until the user quits.
pub async fn run_tui(tab: Option<Tab>) -> CliResult {
    let mut guard = terminal::TerminalGuard::enter()?;
    let (tx, mut rx) = mpsc::channel::<Incoming>(CHANNEL_CAPACITY);
    let mut rt = Runtime {
        tx: tx.clone(),
        tasks: Tasks::default(),
        docker: None,
        input: input::Input::start(tx.clone()).map_err(terminal::TerminalError::from)?,
        target: None,
        stats_every: Duration::from_secs(1),
    };
    let loaded = settings_file::load();
    let settings = loaded.settings;
    rt.stats_every = settings.stats;
    let ambient_interval = settings.redraw;
    // `--tab` wins over the file's `tab`.
    let tab = tab.or(settings.tab);
    let mut model = Model {
        no_color: std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
        tab: tab.unwrap_or_default(),
        tab_chosen: tab.is_some(),
        logs: crate::domain::stack::LogStore::with_capacity(settings.log_lines),
        settings,
        settings_problems: loaded.problems,
        ..Model::default()
    };
    if let Some(first) = model.settings_problems.first() {
        let more = model.settings_problems.len() - 1;
        model.toast = Some(if more == 0 {
            first.clone()
        } else {
            format!("{first} (and {more} more: ? lists them)")
        });
    }
    if let Ok(size) = guard.terminal.size() {
        model.size = (size.width, size.height);
    }
    rt.tasks.spawn(TaskKey::Resize, resizes(tx.clone()));
    rt.execute(Cmd::LoadProject, &mut guard.terminal);
    rt.execute(Cmd::ScanProject, &mut guard.terminal);
    rt.execute(Cmd::ConnectEngine { after_ms: 0 }, &mut guard.terminal);

    draw(&mut guard.terminal, &model)?;
    let mut last_draw = Instant::now();
    // Changes only stats and log lines made, not drawn yet: they are drawn together at this
    // deadline, so 30 containers' stats frames cost a few frames a second, not 30.
    let mut ambient_deadline: Option<tokio::time::Instant> = None;
    loop {
        let first = match ambient_deadline {
            Some(deadline) => tokio::select! {
                received = rx.recv() => received,
                () = tokio::time::sleep_until(deadline) => {
                    draw(&mut guard.terminal, &model)?;
                    last_draw = Instant::now();
                    ambient_deadline = None;
                    continue;
                }
            },
            None => rx.recv().await,
        };
        let Some(first) = first else { break };
        let mut batch = vec![first];
        while let Ok(more) = rx.try_recv() {
            batch.push(more);
        }
        let mut quit = false;
        let mut urgent = false;
        for incoming in batch {
            let msg = match incoming {
                Incoming::Msg(msg) => msg,
                Incoming::Mouse(mouse) => match mouse_msg(&model, mouse) {
                    Some(msg) => msg,
                    None => continue,
                },
                Incoming::Docker(docker) => {
                    rt.tasks.spawn(
                        TaskKey::Heartbeat,
                        streams::heartbeat(rt.tx.clone(), docker.clone()),
                    );
                    rt.docker = Some(docker);
                    continue;
                }
            };
            urgent |= !is_ambient(&msg);
            for cmd in app::update(&mut model, msg) {
                quit |= cmd == Cmd::Quit;
                rt.execute(cmd, &mut guard.terminal);
            }
        }
        if quit {
            break;
        }
        if !urgent {
            ambient_deadline.get_or_insert_with(|| {
                tokio::time::Instant::from_std(last_draw.max(Instant::now()) + ambient_interval)
            });
            continue;
        }
        let since = last_draw.elapsed();
        if since < MIN_FRAME_INTERVAL {
            tokio::time::sleep(MIN_FRAME_INTERVAL - since).await;
        }
        draw(&mut guard.terminal, &model)?;
        last_draw = Instant::now();
        ambient_deadline = None;
    }
    rt.tasks.abort_all();
    drop(guard);
    Ok(std::process::ExitCode::SUCCESS)
}

/// Messages whose effect on screen may wait for the next ambient frame. Everything else
/// (input, engine events such as a `health_status`, action outcomes) is drawn at once.
fn is_ambient(msg: &Msg) -> bool {
    match msg {
        Msg::Stats { .. } | Msg::Logs(_) => true,
        // A health probe ran (several a second with 30 healthchecks): what it changes arrives
        // as its own `health_status` event, drawn at once.
        Msg::ContainerEvent(event) => event.action == EventAction::ExecDie,
        _ => false,
    }
}

fn draw(terminal: &mut terminal::Term, model: &Model) -> Result<(), terminal::TerminalError> {
    terminal.draw(|frame| crate::ui::draw(frame, model))?;
    Ok(())
}

fn mouse_msg(model: &Model, mouse: crossterm::event::MouseEvent) -> Option<Msg> {
    let target = crate::ui::hit_test(model, model.size, mouse.column, mouse.row)?;
    match mouse.kind {
        MouseEventKind::Down(_) => Some(Msg::Clicked(target)),
        MouseEventKind::ScrollDown => Some(Msg::Wheel { target, down: true }),
        MouseEventKind::ScrollUp => Some(Msg::Wheel {
            target,
            down: false,
        }),
        _ => None,
    }
}

/// Runs file work on the blocking pool and sends its message.
async fn blocking(tx: mpsc::Sender<Incoming>, work: impl FnOnce() -> Msg + Send + 'static) {
    if let Ok(msg) = tokio::task::spawn_blocking(work).await {
        let _ = tx.send(Incoming::Msg(msg)).await;
    }
}

/// Resizes, from the signal itself: the input thread may not be the one it interrupts.
async fn resizes(tx: mpsc::Sender<Incoming>) {
    use tokio::signal::unix::{SignalKind, signal};
    let Ok(mut winch) = signal(SignalKind::window_change()) else {
        return;
    };
    while winch.recv().await.is_some() {
        let Ok((cols, rows)) = crossterm::terminal::size() else {
            continue;
        };
        if tx
            .send(Incoming::Msg(Msg::Resized(cols, rows)))
            .await
            .is_err()
        {
            break;
        }
    }
}

impl Runtime {
    /// Starts what a command asks for. Engine work waits for a client: without one the engine
    /// is unreachable, the status line says so, and the reconnect brings the stack back.
    fn execute(&mut self, cmd: Cmd, term: &mut terminal::Term) {
        let tx = self.tx.clone();
        match cmd {
            Cmd::Quit => {}
            Cmd::ConnectEngine { after_ms } => {
                // The old client's streams die with the engine; drop them before reconnecting.
                self.docker = None;
                self.tasks.abort_where(|k| {
                    matches!(
                        k,
                        TaskKey::Watch
                            | TaskKey::Heartbeat
                            | TaskKey::Projects
                            | TaskKey::Stats(_)
                            | TaskKey::Logs(_)
                            | TaskKey::Inspect(_)
                    )
                });
                self.tasks
                    .spawn(TaskKey::Engine, streams::connect(tx, after_ms));
            }
            Cmd::SaveFile { path, text } => self.tasks.spawn_action(actions::save(tx, path, text)),
            Cmd::LoadProject => {
                let target = self.target.clone();
                self.tasks.spawn(
                    TaskKey::Project,
                    blocking(tx, move || project::load(target)),
                );
            }
            Cmd::OpenProject(target) => {
                // The old project's streams and watch would feed the new one's rows.
                self.tasks.abort_where(|k| {
                    matches!(
                        k,
                        TaskKey::Watch
                            | TaskKey::FileWatch
                            | TaskKey::Stats(_)
                            | TaskKey::Logs(_)
                            | TaskKey::Inspect(_)
                    )
                });
                self.target = target.clone();
                self.tasks.spawn(
                    TaskKey::Project,
                    blocking(tx, move || project::load(target)),
                );
            }
            Cmd::StopProjects => self.tasks.abort(&TaskKey::Projects),
            Cmd::Watch { on: false } => self.tasks.abort(&TaskKey::FileWatch),
            Cmd::ScanProject => self.tasks.spawn(
                TaskKey::Scan,
                blocking(tx, || wizard::scan(&wizard::root())),
            ),
            Cmd::WriteFiles { files } => self
                .tasks
                .spawn_action(blocking(tx, move || wizard::write(&wizard::root(), files))),
            Cmd::Shell { id, name } => {
                // Nothing may read the terminal while the shell owns it.
                self.input.pause();
                let outcome = shell::run(term, &id, &name);
                self.input.resume();
                let op = Operation::Shell { container: name };
                self.tasks.spawn_action(async move {
                    let msg = Msg::ActionDone { op, outcome };
                    let _ = tx.send(Incoming::Msg(msg)).await;
                });
            }
            cmd => {
                let Some(docker) = self.docker.clone() else {
                    return self.no_engine(cmd);
                };
                self.execute_engine(cmd, docker, tx);
            }
        }
    }

    /// An action that needs the engine while none answers: its outcome says so at once (the
    /// status line already shows the reconnecting engine).
    fn no_engine(&mut self, cmd: Cmd) {
        let op = match cmd {
            Cmd::Up => Operation::Up,
            Cmd::Down => Operation::Down,
            Cmd::Watch { on: true } => Operation::Watch,
            Cmd::Service { op, service } => Operation::Service { op, service },
            Cmd::Container { op, service, .. } => Operation::Container { op, service },
            // Streams start again when the engine is back.
            _ => return,
        };
        let tx = self.tx.clone();
        self.tasks.spawn_action(async move {
            let outcome = Err(
                "the Docker engine is not connected; devbox is reconnecting (Ctrl-R to retry now, `devbox doctor` explains)"
                    .to_owned(),
            );
            let _ = tx.send(Incoming::Msg(Msg::ActionDone { op, outcome })).await;
        });
    }

    fn execute_engine(&mut self, cmd: Cmd, docker: Docker, tx: mpsc::Sender<Incoming>) {
        match cmd {
            Cmd::WatchStack { project } => self
                .tasks
                .spawn(TaskKey::Watch, streams::watch(tx, docker, project)),
            Cmd::Inspect { id, sizes } => self.tasks.spawn(
                TaskKey::Inspect(id.clone()),
                streams::inspect(tx, docker, id, sizes),
            ),
            Cmd::FollowStats { id } => self.tasks.spawn(
                TaskKey::Stats(id.clone()),
                streams::follow_stats(tx, docker, id, self.stats_every),
            ),
            Cmd::StopStats { id } => self.tasks.abort(&TaskKey::Stats(id)),
            Cmd::FollowLogs { id, service, since } => self.tasks.spawn(
                TaskKey::Logs(id.clone()),
                streams::follow_logs(tx, docker, id, service, since),
            ),
            Cmd::Container { op, service, ids } => self.tasks.spawn_action(actions::container(
                tx,
                docker,
                self.target.clone(),
                op,
                service,
                ids,
            )),
            Cmd::Service { op, service } => self.tasks.spawn_action(actions::service(
                tx,
                docker,
                self.target.clone(),
                op,
                service,
            )),
            Cmd::Up => self.tasks.spawn_action(actions::stack(
                tx,
                docker,
                self.target.clone(),
                Operation::Up,
            )),
            Cmd::Down => self.tasks.spawn_action(actions::stack(
                tx,
                docker,
                self.target.clone(),
                Operation::Down,
            )),
            // The loop ends with its task when the watch is turned off.
            Cmd::Watch { on: true } => self.tasks.spawn(
                TaskKey::FileWatch,
                actions::watch(tx, docker, self.target.clone()),
            ),
            Cmd::WatchProjects => self
                .tasks
                .spawn(TaskKey::Projects, streams::watch_projects(tx, docker)),
            Cmd::Quit
            | Cmd::ConnectEngine { .. }
            | Cmd::LoadProject
            | Cmd::OpenProject(_)
            | Cmd::StopProjects
            | Cmd::Watch { on: false }
            | Cmd::SaveFile { .. }
            | Cmd::Shell { .. }
            | Cmd::ScanProject
            | Cmd::WriteFiles { .. } => {}
        }
    }
}
