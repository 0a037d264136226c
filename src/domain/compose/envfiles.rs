//! `env_file` and `label_file` contents merged into a service (dotenv format): the file's values
//! under the service's own `environment` / `labels`, missing files named at file:line.

use indexmap::IndexMap;

use super::dotenv;
use super::error::{LoadError, Pos};
use super::loader::Ctx;
use super::model::Service;
use super::normalize::err_at;
use super::yaml::Node;

pub(super) fn env_files(
    service: &mut Service,
    env: &std::collections::BTreeMap<String, String>,
    ctx: &mut Ctx<'_>,
    tree: &Node,
) -> Result<(), LoadError> {
    let mut from_files: IndexMap<String, String> = IndexMap::new();
    for file in std::mem::take(&mut service.env_files) {
        if !ctx.source.is_file(&file.path) {
            if file.required {
                return Err(err_at(
                    tree,
                    &["services", service.name.as_str(), "env_file"],
                    format!("env file {} not found", ctx.display(&file.path)),
                )
                .with_help("create the file, or mark it optional with `required: false`"));
            }
            continue;
        }
        let text = ctx.source.read(&file.path).map_err(|why| {
            LoadError::global(format!("cannot read env file {}: {why}", file.path))
        })?;
        let parsed = dotenv::parse(&text, env, file.format == "raw").map_err(|e| {
            LoadError::at(
                Pos::new(ctx.display(&file.path), e.line as u32, 1),
                "",
                format!("invalid env file: {}", e.message),
            )
        })?;
        from_files.extend(parsed);
    }
    for (key, value) in from_files {
        service.environment.entry(key).or_insert(Some(value));
    }
    Ok(())
}

/// `label_file`: dotenv-format files whose labels the service's own `labels` override. A key
/// without `=` is dropped (compose-go looks nothing up for labels); a missing file is an error.
/// The list itself stays in the model, as `docker compose config` prints it.
pub(super) fn label_files(
    service: &mut Service,
    ctx: &mut Ctx<'_>,
    tree: &Node,
) -> Result<(), LoadError> {
    let nothing = std::collections::BTreeMap::new();
    let mut from_files: IndexMap<String, String> = IndexMap::new();
    for file in &service.label_file {
        if !ctx.source.is_file(file) {
            return Err(err_at(
                tree,
                &["services", service.name.as_str(), "label_file"],
                format!("label file {} not found", ctx.display(file)),
            )
            .with_help("create the file or remove it from label_file"));
        }
        let text = ctx
            .source
            .read(file)
            .map_err(|why| LoadError::global(format!("cannot read label file {file}: {why}")))?;
        let parsed = dotenv::parse_with_map(&text, &nothing).map_err(|e| {
            LoadError::at(
                Pos::new(ctx.display(file), e.line as u32, 1),
                "",
                format!("invalid label file: {}", e.message),
            )
        })?;
        from_files.extend(parsed);
    }
    for (key, value) in from_files {
        service.labels.entry(key).or_insert(value);
    }
    Ok(())
}
