//! `devbox events [--json] [SERVICE...]`: the project's container events as they happen, in
//! Compose's line and JSON formats, until Ctrl-C or the engine goes away.

use std::collections::BTreeMap;
use std::process::ExitCode;

use bollard::query_parameters::EventsOptions;
use futures_util::StreamExt;

use crate::commands::down::project_or_name;
use crate::commands::project::ProjectArgs;
use crate::engine::connect::client::connect;
use crate::engine::error::StackError;
use crate::engine::stack::labels;
use crate::error::CliResult;

#[derive(Debug, clap::Args)]
pub struct EventsArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// One JSON object per line.
    #[arg(long)]
    pub json: bool,
    pub services: Vec<String>,
}

pub async fn run(args: EventsArgs) -> CliResult {
    let (name, _) = project_or_name(&args.project)?;
    let engine = connect().await?;
    let mut filters = labels::project_filter(&name);
    filters.insert("type".into(), vec!["container".into()]);
    let options = EventsOptions {
        filters: Some(filters),
        ..EventsOptions::default()
    };
    let mut stream = engine.docker.events(Some(options));
    loop {
        let item = tokio::select! {
            item = stream.next() => item,
            _ = tokio::signal::ctrl_c() => break,
        };
        let message = match item {
            Some(Ok(message)) => message,
            Some(Err(e)) => {
                return Err(StackError::engine(
                    format!("following the events of project {name}"),
                    e,
                )
                .into());
            }
            None => break,
        };
        let actor = message.actor.unwrap_or_default();
        let attributes: BTreeMap<String, String> =
            actor.attributes.unwrap_or_default().into_iter().collect();
        let service = attributes.get(labels::SERVICE).cloned().unwrap_or_default();
        if !args.services.is_empty() && !args.services.contains(&service) {
            continue;
        }
        let id = actor.id.unwrap_or_default();
        let action = message.action.unwrap_or_default();
        let nanos = message.time_nano.unwrap_or(0);
        let time = timestamp(nanos);
        if args.json {
            let value = serde_json::json!({
                "action": action,
                "attributes": attributes,
                "id": id,
                "service": service,
                "time": time,
                "type": "container",
            });
            crate::outln!("{value}")?;
        } else {
            let attrs = attributes
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(", ");
            crate::outln!("{time} container {action} {id} ({attrs})")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `2026-12-03T16:00:00.123456Z` (UTC) from nanoseconds since the epoch.
fn timestamp(nanos: i64) -> String {
    let secs = nanos.div_euclid(1_000_000_000);
    let micros = nanos.rem_euclid(1_000_000_000) / 1000;
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{micros:06}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

/// Days since 1970-01-01 → (year, month, day) in the proleptic Gregorian calendar.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    #[test]
    fn timestamps_are_utc_with_microseconds() {
        assert_eq!(super::timestamp(0), "1970-01-01T00:00:00.000000Z");
        assert_eq!(
            super::timestamp(1_796_313_600_123_456_789),
            "2026-12-03T16:00:00.123456Z"
        );
        assert_eq!(
            super::timestamp(951_782_400_000_000_000),
            "2000-02-29T00:00:00.000000Z"
        );
    }
}
