//! devbox: scaffold, lint, run and watch a containerised development stack.
//!
//! Architecture (see ARCHITECTURE.md in the shared docs): a pure core with thin I/O edges.
//!
//! | module     | owns                                                                 |
//! |------------|----------------------------------------------------------------------|
//! | `domain`   | pure logic: detection, wizard tree, plans, Dockerfile/compose models, lint rules, sync rules, the observed stack, the input limits |
//! | `app`      | the TUI state machine: `Msg`, `Cmd`, `Model`, `update`                |
//! | `ui`       | read-only drawing of the `Model`                                      |
//! | `engine`   | the Docker Engine API edge (bollard)                                  |
//! | `watch`    | the file-watching edge (notify)                                       |
//! | `fsio`     | the file-system edge: project scan, inputs read under their size limits, atomic writes |
//! | `runtime`  | owns the terminal, channels and tasks of the TUI                      |
//! | `commands` | one file per CLI subcommand: wires edges to the core and prints       |
//! | `cli`      | clap definitions                                                     |
//! | `error`    | exit codes and user-facing rendering of errors                       |
//!
//! Dependencies point one way: `domain <- app <- ui`; `engine, watch, fsio -> domain`;
//! `runtime` and `commands` may use everything.

pub mod app;
pub mod cli;
pub mod commands;
pub mod domain;
pub mod engine;
pub mod error;
pub mod fsio;
pub mod runtime;
pub mod ui;
pub mod watch;
