//! `devbox config`: owned by the config work; filled in by its owner.

use crate::error::CliResult;

#[derive(Debug, clap::Args)]
pub struct ConfigArgs {}

pub async fn run(_args: ConfigArgs) -> CliResult {
    Err(miette::miette!("devbox config is being built"))
}
