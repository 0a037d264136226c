//! devbox: scaffold, lint, run and watch a containerised development stack.
//!
//! Architecture (see ARCHITECTURE.md in the shared docs): a pure core with thin I/O edges.
//!
//! | module     | owns                                                                 |
//! |------------|----------------------------------------------------------------------|
//! | `domain`   | pure logic: detection, wizard tree, plans, Dockerfile/compose models, the `.dockerignore` matcher, lint rules, sync rules, the converge diff, the observed stack, the input limits |
//! | `app`      | the TUI state machine: `Msg`, `Cmd`, `Model`, `update`                |
//! | `ui`       | read-only drawing of the `Model`                                      |
//! | `engine`   | the Docker Engine API edge (bollard): `connect`, `stack` (Compose's operations), `image` (build, pull, size), `observe` (events, logs, stats), `sync` (watch's transfer) |
//! | `watch`    | the file-watching edge (notify)                                       |
//! | `fsio`     | the file-system edge: project scan, inputs read under their size limits, atomic writes |
//! | `ops`      | the stack operations (up, down, rebuild, recreate, start/stop/restart, the watch loop) as library calls that report typed `ops::Event`s |
//! | `runtime`  | owns the terminal, channels and tasks of the TUI                      |
//! | `commands` | one file per CLI subcommand: wires edges to the core and prints       |
//! | `cli`      | clap definitions                                                     |
//! | `error`    | exit codes and user-facing rendering of errors                       |
//!
//! Dependencies point one way: `domain <- app <- ui`; `engine, watch, fsio -> domain`;
//! `ops -> engine, watch, fsio, domain`; `runtime` and `commands` are the two consumers of
//! `ops` (the dashboard and the printer) and may use everything. Nothing runs `devbox` itself,
//! and no file imports a file that imports it back (`tests/architecture.rs` checks all three).

pub mod app;
pub mod cli;
pub mod commands;
pub mod domain;
pub mod engine;
pub mod error;
pub mod fsio;
pub mod ops;
pub mod runtime;
pub mod ui;
pub mod watch;
