//! `env_file` and `label_file` contents merged into a service (dotenv format): the file's values
//! under the service's own `environment` / `labels`, missing files named at file:line.

use indexmap::IndexMap;

use super::budget::{Growth, VALUE_COST};
use super::ctx::Ctx;
use super::dotenv;
use super::error::{LoadError, Pos};
use super::model::Service;
use super::tree_pos::err_at;
use super::yaml::Node;
use crate::domain::limits::Limit;

/// Spends what merging `entries` into one service adds: every service holds its own copy, so
/// one large env file shared by many services multiplies.
fn spend_merged<'e>(
    ctx: &mut Ctx<'_>,
    entries: impl Iterator<Item = (&'e String, &'e String)>,
    tree: &Node,
    path: &[&str],
) -> Result<(), LoadError> {
    let bytes: u64 = entries
        .map(|(k, v)| VALUE_COST + (k.len() + v.len()) as u64)
        .sum();
    let pos = err_at(tree, path, String::new())
        .pos
        .unwrap_or_else(|| Pos::file_only(""));
    ctx.budget.spend(bytes, Growth::EnvFiles, &pos)
}

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
        let text = ctx.read(&file.path, Limit::EnvFileBytes, None)?;
        let (limits, allowance) = (ctx.budget.limits(), ctx.budget.remaining());
        let raw = file.format == "raw";
        let parsed = dotenv::parse_within(&text, env, raw, limits, allowance).map_err(|e| {
            LoadError::at(
                Pos::new(ctx.display(&file.path), e.line as u32, 1),
                "",
                format!("invalid env file: {}", e.message),
            )
        })?;
        from_files.extend(parsed);
    }
    let path = ["services", service.name.as_str(), "env_file"];
    spend_merged(ctx, from_files.iter(), tree, &path)?;
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
        let text = ctx.read(file, Limit::EnvFileBytes, None)?;
        let (limits, allowance) = (ctx.budget.limits(), ctx.budget.remaining());
        let parsed =
            dotenv::parse_within(&text, &nothing, false, limits, allowance).map_err(|e| {
                LoadError::at(
                    Pos::new(ctx.display(file), e.line as u32, 1),
                    "",
                    format!("invalid label file: {}", e.message),
                )
            })?;
        from_files.extend(parsed);
    }
    let path = ["services", service.name.as_str(), "label_file"];
    spend_merged(ctx, from_files.iter(), tree, &path)?;
    for (key, value) in from_files {
        service.labels.entry(key).or_insert(value);
    }
    Ok(())
}
