//! `devbox config`: prints the compose project as devbox (and Docker Compose) reads it —
//! the canonical model as YAML or JSON, or the service names, profiles or variables.

use std::collections::BTreeSet;
use std::process::ExitCode;

use serde::Serialize;

use crate::commands::project::{ProjectArgs, load_project, print_warnings};
use crate::domain::compose::interpolate::VariableUse;
use crate::domain::compose::{Loaded, Project};
use crate::error::CliResult;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Yaml,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct ConfigArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "yaml")]
    pub format: Format,
    /// Print the service names, one per line.
    #[arg(long)]
    pub services: bool,
    /// Print the profiles used by any service, one per line.
    #[arg(long = "profiles", id = "list_profiles")]
    pub list_profiles: bool,
    /// Print the variables the files use: default, alternate value, required, set.
    #[arg(long)]
    pub variables: bool,
    /// Only validate; print nothing but errors.
    #[arg(short, long)]
    pub quiet: bool,
}

pub async fn run(args: ConfigArgs) -> CliResult {
    let loaded = if args.variables {
        // Listing variables must work while a required one is still unset.
        let mut request = args.project.request()?;
        request.variables_only = true;
        crate::fsio::compose::load_project(&request).map_err(miette::Report::new)?
    } else {
        load_project(&args.project)?
    };
    print_warnings(&loaded.warnings);
    if args.quiet {
        return Ok(ExitCode::SUCCESS);
    }
    let text = if args.services {
        lines(
            loaded
                .project
                .services
                .keys()
                .map(|n| n.as_str().to_owned()),
        )
    } else if args.list_profiles {
        lines(all_profiles(&loaded.project).into_iter())
    } else if args.variables {
        variables(&loaded, args.format)?
    } else {
        render(&loaded.project, args.format)?
    };
    crate::out!("{text}")?;
    Ok(ExitCode::SUCCESS)
}

fn lines(items: impl Iterator<Item = String>) -> String {
    items.map(|s| format!("{s}\n")).collect()
}

/// Profiles of enabled and disabled services, sorted.
pub fn all_profiles(project: &Project) -> BTreeSet<String> {
    project
        .services
        .values()
        .chain(project.disabled_services.values())
        .flat_map(|s| s.profiles.iter().cloned())
        .collect()
}

/// Docker Compose prints `$` as `$$` so its output can be loaded again unchanged.
fn escape_dollars(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::String(s) if s.contains('$') => *s = s.replace('$', "$$"),
        serde_json::Value::Array(items) => items.iter_mut().for_each(escape_dollars),
        serde_json::Value::Object(map) => {
            // Keys are never interpolated, and Compose escapes them on output as well.
            if map.keys().any(|k| k.contains('$')) {
                *map = std::mem::take(map)
                    .into_iter()
                    .map(|(k, v)| (k.replace('$', "$$"), v))
                    .collect();
            }
            map.values_mut().for_each(escape_dollars);
        }
        _ => {}
    }
}

/// Fields Compose's YAML output leaves out when they are unset or empty (`omitempty`), while
/// its JSON output prints them (`"command": null`, `"ipam": {}`).
const OMITTED_WHEN_EMPTY: &[&str] = &[
    "command",
    "entrypoint",
    "ipam",
    "placement",
    "resources",
    "exec",
];

fn is_empty(value: &serde_json::Value) -> bool {
    match value {
        serde_json::Value::Null => true,
        serde_json::Value::Object(map) => map.values().all(serde_json::Value::is_null),
        _ => false,
    }
}

fn omit_empty_fields(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Array(items) => items.iter_mut().for_each(omit_empty_fields),
        serde_json::Value::Object(map) => {
            map.retain(|k, v| !(OMITTED_WHEN_EMPTY.contains(&k.as_str()) && is_empty(v)));
            map.values_mut().for_each(omit_empty_fields);
        }
        _ => {}
    }
}

/// The project as `docker compose config` prints it.
pub fn render(project: &Project, format: Format) -> Result<String, miette::Report> {
    let mut value = serde_json::to_value(project)
        .map_err(|e| miette::miette!("could not encode the project: {e}"))?;
    escape_dollars(&mut value);
    match format {
        Format::Json => serde_json::to_string_pretty(&value)
            .map(|s| s + "\n")
            .map_err(|e| miette::miette!("could not encode the project as JSON: {e}")),
        Format::Yaml => serde_saphyr::to_string(&{
            omit_empty_fields(&mut value);
            value
        })
        .map_err(|e| miette::miette!("could not encode the project as YAML: {e}")),
    }
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct VariableRow {
    name: String,
    default_value: String,
    presence_value: String,
    required: bool,
    /// Whether the project environment (shell or .env) sets it — a devbox addition.
    set: bool,
}

fn rows(loaded: &Loaded) -> Vec<VariableRow> {
    let mut by_name: std::collections::BTreeMap<String, VariableRow> = Default::default();
    for VariableUse {
        name,
        default,
        alternate,
        required,
    } in &loaded.variables
    {
        let row = by_name.entry(name.clone()).or_insert_with(|| VariableRow {
            name: name.clone(),
            default_value: String::new(),
            presence_value: String::new(),
            required: false,
            set: loaded.project.environment.contains_key(name),
        });
        if let Some(d) = default {
            row.default_value = d.clone();
        }
        if let Some(a) = alternate {
            row.presence_value = a.clone();
        }
        row.required |= required;
    }
    by_name.into_values().collect()
}

fn variables(loaded: &Loaded, format: Format) -> Result<String, miette::Report> {
    let rows = rows(loaded);
    if format == Format::Json {
        let map: serde_json::Map<String, serde_json::Value> = rows
            .iter()
            .map(|r| Ok((r.name.clone(), serde_json::to_value(r)?)))
            .collect::<Result<_, serde_json::Error>>()
            .map_err(|e| miette::miette!("could not encode the variables: {e}"))?;
        return serde_json::to_string_pretty(&map)
            .map(|s| s + "\n")
            .map_err(|e| miette::miette!("could not encode the variables: {e}"));
    }
    // Docker Compose's table: a tabwriter with cells at least 20 wide and 3 spaces of padding.
    let width = |header: &str, cells: Vec<usize>| {
        cells
            .into_iter()
            .chain([header.len()])
            .max()
            .map_or(20, |w| (w + 3).max(20))
    };
    let name_w = width("NAME", rows.iter().map(|r| r.name.len()).collect());
    let required_w = width("REQUIRED", vec![5]);
    let default_w = width(
        "DEFAULT VALUE",
        rows.iter().map(|r| r.default_value.len()).collect(),
    );
    let mut out = format!(
        "{:<name_w$}{:<required_w$}{:<default_w$}{}\n",
        "NAME", "REQUIRED", "DEFAULT VALUE", "ALTERNATE VALUE"
    );
    for r in rows {
        out.push_str(&format!(
            "{:<name_w$}{:<required_w$}{:<default_w$}{}\n",
            r.name, r.required, r.default_value, r.presence_value
        ));
    }
    Ok(out)
}
