//! One file per subcommand: each wires the edges (engine, fsio, watch) to the pure core and
//! prints for a person (or as JSON). `cli::Command::run` picks the runner.

pub mod artifacts;
pub mod attach;
pub mod completions;
pub mod config;
pub mod context;
pub mod cp;
pub mod doctor;
pub mod down;
pub mod events;
pub mod exec;
pub mod info;
pub mod init;
mod init_flow;
mod init_monorepo;
pub mod lifecycle;
pub mod lint;
pub mod logs;
pub mod out;
pub mod pin;
pub mod project;
pub mod ps;
pub mod run;
pub mod size;
pub mod up;
pub mod watch;
