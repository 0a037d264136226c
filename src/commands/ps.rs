//! `devbox ps`: the project's containers as a table (Compose's columns) or JSON, with health,
//! exit codes, and one-shot services that exited 0 shown as completed. One-off (`run`)
//! containers show with `-a` only, as in Compose.

use std::process::ExitCode;

use serde::Serialize;

use crate::commands::down::project_or_name;
use crate::commands::project::ProjectArgs;
use crate::engine::connect::client::connect;
use crate::engine::stack::state::{Observed, project_containers};
use crate::error::CliResult;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PsFormat {
    Table,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct PsArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// Show all containers (default: running only).
    #[arg(short = 'a', long)]
    pub all: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: PsFormat,
    /// Only display container names.
    #[arg(short = 'q', long)]
    pub quiet: bool,
    /// Only these services.
    pub services: Vec<String>,
}

/// One row, with Compose's JSON field names.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct PsRow {
    #[serde(rename = "ID")]
    pub id: String,
    pub name: String,
    pub image: String,
    pub command: String,
    pub project: String,
    pub service: String,
    pub created: i64,
    pub state: String,
    pub status: String,
    pub health: String,
    pub exit_code: i64,
    pub publishers: Vec<Publisher>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct Publisher {
    #[serde(rename = "URL")]
    pub url: String,
    pub target_port: u16,
    pub published_port: u16,
    pub protocol: String,
}

pub fn row(c: &Observed) -> PsRow {
    let status = c.status.clone();
    let health = ["healthy", "unhealthy", "health: starting"]
        .iter()
        .find(|h| status.contains(&format!("({h})")))
        .map(|h| h.trim_start_matches("health: ").to_owned())
        .unwrap_or_default();
    let exit_code = status
        .strip_prefix("Exited (")
        .and_then(|r| r.split(')').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let publishers = c
        .summary
        .ports
        .clone()
        .unwrap_or_default()
        .into_iter()
        .map(|p| Publisher {
            url: p.ip.unwrap_or_default(),
            target_port: p.private_port,
            published_port: p.public_port.unwrap_or(0),
            protocol: p.typ.map(|t| t.to_string()).unwrap_or_default(),
        })
        .collect();
    PsRow {
        id: c.id.clone(),
        name: c.name.clone(),
        image: c.image.clone(),
        command: c.summary.command.clone().unwrap_or_default(),
        project: c
            .labels
            .get(crate::engine::stack::labels::PROJECT)
            .cloned()
            .unwrap_or_default(),
        service: c.service.clone(),
        created: c.summary.created.unwrap_or(0),
        state: c.state.clone(),
        status,
        health,
        exit_code,
        publishers,
    }
}

/// STATUS column: the engine's text, with a one-shot that exited 0 called completed (never a
/// failure, never "Healthy").
pub fn status_text(r: &PsRow) -> String {
    if r.state == "exited" && r.exit_code == 0 {
        format!("Completed ({})", r.status)
    } else {
        r.status.clone()
    }
}

fn ports_text(r: &PsRow) -> String {
    let mut parts: Vec<String> = r
        .publishers
        .iter()
        .map(|p| {
            if p.published_port == 0 {
                format!("{}/{}", p.target_port, p.protocol)
            } else {
                let host = if p.url.contains(':') {
                    format!("[{}]", p.url)
                } else {
                    p.url.clone()
                };
                format!(
                    "{host}:{}->{}/{}",
                    p.published_port, p.target_port, p.protocol
                )
            }
        })
        .collect();
    parts.dedup();
    parts.join(", ")
}

/// Renders the table with Compose's columns.
pub fn table(rows: &[PsRow]) -> String {
    let headers = ["NAME", "IMAGE", "COMMAND", "SERVICE", "STATUS", "PORTS"];
    let cells: Vec<[String; 6]> = rows
        .iter()
        .map(|r| {
            let command = if r.command.chars().count() > 22 {
                format!("\"{}…\"", r.command.chars().take(20).collect::<String>())
            } else {
                format!("\"{}\"", r.command)
            };
            [
                r.name.clone(),
                r.image.clone(),
                command,
                r.service.clone(),
                status_text(r),
                ports_text(r),
            ]
        })
        .collect();
    let mut widths: Vec<usize> = headers.iter().map(|h| h.len()).collect();
    for row in &cells {
        for (i, c) in row.iter().enumerate() {
            widths[i] = widths[i].max(c.chars().count());
        }
    }
    let line = |cols: Vec<&str>| {
        cols.iter()
            .enumerate()
            .map(|(i, c)| format!("{c:<w$}", w = widths[i]))
            .collect::<Vec<_>>()
            .join("   ")
            .trim_end()
            .to_owned()
    };
    let mut out = vec![line(headers.to_vec())];
    for row in &cells {
        out.push(line(row.iter().map(String::as_str).collect()));
    }
    out.join("\n")
}

pub async fn run(args: PsArgs) -> CliResult {
    let (name, _project) = project_or_name(&args.project)?;
    let engine = connect().await?;
    let containers = project_containers(&engine.docker, &name)
        .await
        .map_err(miette::Report::new)?;
    let rows: Vec<PsRow> = containers
        .iter()
        .filter(|c| (args.all || !c.oneoff) && c.config_hash.is_some())
        .filter(|c| args.all || c.is_running())
        .filter(|c| args.services.is_empty() || args.services.contains(&c.service))
        .map(row)
        .collect();
    if args.quiet {
        for r in &rows {
            crate::outln!("{}", r.id)?;
        }
    } else if args.format == PsFormat::Json {
        let text = serde_json::to_string(&rows).map_err(|e| miette::miette!("{e}"))?;
        crate::outln!("{text}")?;
    } else {
        crate::outln!("{}", table(&rows))?;
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(state: &str, status: &str) -> PsRow {
        PsRow {
            id: "abc".into(),
            name: "p-init-1".into(),
            image: "busybox".into(),
            command: "true".into(),
            project: "p".into(),
            service: "init".into(),
            created: 0,
            state: state.into(),
            status: status.into(),
            health: String::new(),
            exit_code: 0,
            publishers: vec![Publisher {
                url: "0.0.0.0".into(),
                target_port: 80,
                published_port: 8080,
                protocol: "tcp".into(),
            }],
        }
    }

    #[test]
    fn a_one_shot_that_exited_zero_is_completed() {
        assert_eq!(
            status_text(&sample("exited", "Exited (0) 3 seconds ago")),
            "Completed (Exited (0) 3 seconds ago)"
        );
        let mut failed = sample("exited", "Exited (1) 3 seconds ago");
        failed.exit_code = 1;
        assert_eq!(status_text(&failed), "Exited (1) 3 seconds ago");
    }

    #[test]
    fn table_has_compose_columns() {
        insta::assert_snapshot!(table(&[sample("running", "Up 2 seconds (healthy)")]));
    }
}
