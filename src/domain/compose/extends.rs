//! `extends`: a service starts from a deep copy of another service (same file or another
//! file, resolved recursively) and merges its own definition on top with the usual rules.
//! Paths of a service taken from another file resolve against that file's directory.

use std::collections::BTreeMap;

use indexmap::IndexMap;

use super::budget::{Growth, cost_of};
use super::ctx::Ctx;
use super::error::{LoadError, join};
use super::interpolate::{collect_variables, interpolate_tree};
use super::merge::merge_service;
use super::paths::{Resolver, absolute};
use super::yaml::{Node, Value};

/// Resolves every `extends` in the document's services.
pub fn apply(
    ctx: &mut Ctx<'_>,
    doc: &mut Node,
    file: &str,
    env: &BTreeMap<String, String>,
) -> Result<(), LoadError> {
    let Some(services) = doc
        .as_map_mut()
        .and_then(|m| m.get_mut("services"))
        .and_then(Node::as_map_mut)
    else {
        return Ok(());
    };
    let names: Vec<String> = services.keys().cloned().collect();
    for name in names {
        resolve(ctx, services, &name, file, env, &mut Vec::new())?;
    }
    Ok(())
}

fn resolve(
    ctx: &mut Ctx<'_>,
    services: &mut IndexMap<String, Node>,
    name: &str,
    file: &str,
    env: &BTreeMap<String, String>,
    chain: &mut Vec<(String, String)>,
) -> Result<(), LoadError> {
    let Some(node) = services.get(name) else {
        return Ok(());
    };
    let Some(ext) = node.as_map().and_then(|m| m.get("extends")).cloned() else {
        return Ok(());
    };
    let path = join(&join("services", name), "extends");
    let (target, other_file) = match &ext.value {
        Value::Map(m) => {
            let service = m
                .get("service")
                .and_then(Node::scalar_text)
                .ok_or_else(|| {
                    LoadError::at(
                        ext.pos.clone(),
                        &path,
                        "extends needs `service:`".to_owned(),
                    )
                    .with_help("write `extends: {service: base}` or `extends: base`")
                })?;
            let other = m.get("file").and_then(Node::scalar_text);
            (service, other)
        }
        Value::Str(s) => (s.clone(), None),
        _ => {
            return Err(LoadError::at(
                ext.pos.clone(),
                &path,
                format!(
                    "expected a service name or a mapping, found {}",
                    ext.kind_name()
                ),
            ));
        }
    };
    let target_file = match &other_file {
        Some(f) => absolute(&Ctx::dir_of(file), f, ctx.home.as_deref()),
        None => file.to_owned(),
    };
    let link = (file.to_owned(), name.to_owned());
    if chain.contains(&link) {
        let mut cycle: Vec<String> = chain
            .iter()
            .map(|(f, s)| format!("{s} in {}", ctx.display(f)))
            .collect();
        cycle.push(format!("{name} in {}", ctx.display(file)));
        return Err(LoadError::at(
            ext.pos.clone(),
            &path,
            format!("circular reference: {}", cycle.join(" extends ")),
        )
        .with_help("break the cycle: a service cannot extend itself, directly or indirectly"));
    }
    chain.push(link);
    let base = if other_file.is_some() {
        service_from_file(ctx, &target_file, &target, env, chain, &ext, &path)?
    } else {
        resolve(ctx, services, &target, file, env, chain)?;
        match services.get(&target) {
            Some(b) => b.clone(),
            None => {
                return Err(not_found(
                    ctx,
                    &ext,
                    &path,
                    name,
                    &target,
                    file,
                    services.keys(),
                ));
            }
        }
    };
    chain.pop();
    // Each extending service holds its own copy of the base: a base extended many times
    // grows the project by that much each time.
    ctx.budget
        .spend(cost_of(&base), Growth::Extends, &ext.pos)?;
    if let Some(node) = services.get_mut(name) {
        let mut local = node.clone();
        if let Some(m) = local.as_map_mut() {
            m.shift_remove("extends");
        }
        let mut merged = merge_service(base, local);
        merged.key_pos = node.key_pos.clone();
        *node = merged;
    }
    Ok(())
}

fn not_found<'k>(
    ctx: &Ctx<'_>,
    ext: &Node,
    path: &str,
    name: &str,
    target: &str,
    file: &str,
    candidates: impl Iterator<Item = &'k String>,
) -> LoadError {
    let names: Vec<&str> = candidates.map(String::as_str).collect();
    let err = LoadError::at(
        ext.pos.clone(),
        path,
        format!(
            "cannot extend service {name:?} in {}: service {target:?} not found",
            ctx.display(file)
        ),
    );
    match super::error::nearest(target, names.iter().copied()) {
        Some(best) => err.with_help(format!("did you mean `{best}`?")),
        None => err.with_help(format!("services in that file: {}", names.join(", "))),
    }
}

fn service_from_file(
    ctx: &mut Ctx<'_>,
    file: &str,
    target: &str,
    env: &BTreeMap<String, String>,
    chain: &mut Vec<(String, String)>,
    ext: &Node,
    path: &str,
) -> Result<Node, LoadError> {
    let mut doc = ctx.parse_file(file, Some(&ext.pos))?;
    collect_variables(&doc, &mut ctx.variables, &mut ctx.budget)?;
    if let Some(m) = doc.as_map_mut() {
        m.shift_remove("version");
    }
    interpolate_tree(&mut doc, "", env, &mut ctx.warnings, &mut ctx.budget)?;
    let dir = Ctx::dir_of(file);
    Resolver {
        base: &dir,
        home: ctx.home.as_deref(),
    }
    .document(&mut doc);
    let mut services = doc
        .as_map_mut()
        .and_then(|m| m.shift_remove("services"))
        .and_then(|s| match s.value {
            Value::Map(m) => Some(m),
            _ => None,
        })
        .unwrap_or_default();
    resolve(ctx, &mut services, target, file, env, chain)?;
    match services.get(target) {
        Some(node) => Ok(node.clone()),
        None => {
            let name = chain.last().map(|(_, s)| s.clone()).unwrap_or_default();
            Err(not_found(
                ctx,
                ext,
                path,
                &name,
                target,
                file,
                services.keys(),
            ))
        }
    }
}
