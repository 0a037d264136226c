//! The TUI runtime: the only owner of the terminal, the message channel and the task set.
//! The loop awaits one message, drains the rest, runs `update`, executes the returned
//! commands as keyed abortable tasks, and draws only when something changed.

mod tasks;
pub mod terminal;

use std::time::{Duration, Instant};

use crossterm::event::{Event, EventStream};
use futures_util::StreamExt;
use tokio::sync::mpsc;

use crate::app::{self, Cmd, EngineState, Model, Msg};
use crate::engine::client;
use crate::error::CliResult;
use tasks::{TaskKey, Tasks};

/// Messages waiting beyond this are back-pressure on the producers (input, engine streams).
const CHANNEL_CAPACITY: usize = 1024;
/// At most 60 frames a second, however fast messages arrive.
const MIN_FRAME_INTERVAL: Duration = Duration::from_millis(16);

/// Runs the full-screen app until the user quits.
pub async fn run_tui() -> CliResult {
    let mut guard = terminal::TerminalGuard::enter()?;
    let (tx, mut rx) = mpsc::channel::<Msg>(CHANNEL_CAPACITY);
    let mut tasks = Tasks::default();
    let mut model = Model::default();
    if let Ok(size) = guard.terminal.size() {
        model.size = (size.width, size.height);
    }
    tasks.spawn(TaskKey::Input, read_input(tx.clone()));
    execute(Cmd::ConnectEngine { after_ms: 0 }, &tx, &mut tasks);

    draw(&mut guard.terminal, &model)?;
    let mut last_draw = Instant::now();
    while let Some(first) = rx.recv().await {
        let mut batch = vec![first];
        while let Ok(more) = rx.try_recv() {
            batch.push(more);
        }
        let mut quit = false;
        for msg in batch {
            for cmd in app::update(&mut model, msg) {
                quit |= cmd == Cmd::Quit;
                execute(cmd, &tx, &mut tasks);
            }
        }
        if quit {
            break;
        }
        let since = last_draw.elapsed();
        if since < MIN_FRAME_INTERVAL {
            tokio::time::sleep(MIN_FRAME_INTERVAL - since).await;
        }
        draw(&mut guard.terminal, &model)?;
        last_draw = Instant::now();
    }
    tasks.abort_all();
    drop(guard);
    Ok(std::process::ExitCode::SUCCESS)
}

fn draw(terminal: &mut terminal::Term, model: &Model) -> Result<(), terminal::TerminalError> {
    terminal.draw(|frame| crate::ui::draw(frame, model))?;
    Ok(())
}

fn execute(cmd: Cmd, tx: &mpsc::Sender<Msg>, tasks: &mut Tasks) {
    match cmd {
        Cmd::Quit => {}
        Cmd::ConnectEngine { .. } => tasks.spawn(TaskKey::Engine, connect_engine(tx.clone())),
        _ => {}
    }
}

async fn read_input(tx: mpsc::Sender<Msg>) {
    let mut events = EventStream::new();
    while let Some(event) = events.next().await {
        let msg = match event {
            Ok(Event::Key(key)) => Msg::KeyPressed(key),
            Ok(Event::Resize(cols, rows)) => Msg::Resized(cols, rows),
            Ok(_) => continue,
            // The terminal is gone (closed pty): nothing more will arrive.
            Err(_) => break,
        };
        if tx.send(msg).await.is_err() {
            break;
        }
    }
}

async fn connect_engine(tx: mpsc::Sender<Msg>) {
    let state = match client::connect().await {
        Ok(engine) => {
            let server_version = match engine.docker.version().await {
                Ok(v) => v.version.unwrap_or_else(|| "?".into()),
                Err(_) => "?".into(),
            };
            EngineState::Connected {
                endpoint: engine.endpoint.host.clone(),
                server_version,
                api_version: engine.api_version.clone(),
            }
        }
        Err(client::ConnectError::Unreachable { host, reason, .. }) => EngineState::Unreachable {
            endpoint: host,
            reason: reason.to_string(),
        },
        Err(client::ConnectError::Endpoint(err)) => EngineState::Unreachable {
            endpoint: "(unresolved)".into(),
            reason: err.to_string(),
        },
    };
    let _ = tx.send(Msg::EngineChanged(state)).await;
}
