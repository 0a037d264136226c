//! `devbox init`: owned by the init work; filled in by its owner.

use crate::error::CliResult;

#[derive(Debug, clap::Args)]
pub struct InitArgs {}

pub async fn run(_args: InitArgs) -> CliResult {
    Err(miette::miette!("devbox init is being built"))
}
