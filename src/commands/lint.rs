//! `devbox lint`: owned by the lint work; filled in by its owner.

use crate::error::CliResult;

#[derive(Debug, clap::Args)]
pub struct LintArgs {}

pub async fn run(_args: LintArgs) -> CliResult {
    Err(miette::miette!("devbox lint is being built"))
}
