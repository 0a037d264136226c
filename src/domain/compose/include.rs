//! `include`: each entry is loaded as its own project (own project directory, its own `.env`
//! overridden by the including project's environment), and its resources are imported; the
//! including file's own definitions are merged over the imported ones (compose-go ≥ 2.10).

use std::collections::BTreeMap;

use super::ctx::{Ctx, LoadOther};
use super::dotenv;
use super::error::{LoadError, Pos, index, join};
use super::merge::merge_documents;
use super::paths::absolute;
use super::yaml::{Node, Value};
use crate::domain::limits::Limit;

struct Entry {
    paths: Vec<String>,
    project_dir: Option<String>,
    env_files: Vec<String>,
    pos: Pos,
}

fn strings(node: &Node, path: &str) -> Result<Vec<String>, LoadError> {
    match &node.value {
        Value::Seq(items) => items
            .iter()
            .enumerate()
            .map(|(i, n)| {
                n.scalar_text().ok_or_else(|| {
                    LoadError::at(
                        n.pos.clone(),
                        index(path, i),
                        format!("expected a path, found {}", n.kind_name()),
                    )
                })
            })
            .collect(),
        _ => node.scalar_text().map(|s| vec![s]).ok_or_else(|| {
            LoadError::at(
                node.pos.clone(),
                path,
                format!("expected a path, found {}", node.kind_name()),
            )
        }),
    }
}

fn entries(node: &Node) -> Result<Vec<Entry>, LoadError> {
    let Value::Seq(items) = &node.value else {
        return Err(LoadError::at(
            node.pos.clone(),
            "include",
            format!("expected a list, found {}", node.kind_name()),
        )
        .with_help("write `include:` followed by `- path/to/other.yaml` items"));
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let path = index("include", i);
        let mut entry = Entry {
            paths: Vec::new(),
            project_dir: None,
            env_files: Vec::new(),
            pos: item.pos.clone(),
        };
        match &item.value {
            Value::Map(map) => {
                for (key, v) in map {
                    let kp = join(&path, key);
                    match key.as_str() {
                        "path" => entry.paths = strings(v, &kp)?,
                        "project_directory" => entry.project_dir = v.scalar_text(),
                        "env_file" => entry.env_files = strings(v, &kp)?,
                        k => {
                            return Err(super::decode::values::unknown_key(
                                k,
                                v,
                                &path,
                                &["path", "project_directory", "env_file"],
                            ));
                        }
                    }
                }
            }
            _ => entry.paths = strings(item, &path)?,
        }
        if entry.paths.is_empty() {
            return Err(LoadError::at(
                item.pos.clone(),
                &path,
                "include entry has no `path`".to_owned(),
            ));
        }
        out.push(entry);
    }
    Ok(out)
}

/// Replaces the document's `include` by the imported resources.
pub fn apply(
    ctx: &mut Ctx<'_>,
    mut doc: Node,
    file: &str,
    env: &BTreeMap<String, String>,
    stack: &mut Vec<String>,
) -> Result<Node, LoadError> {
    let Some(include) = doc.as_map_mut().and_then(|m| m.shift_remove("include")) else {
        return Ok(doc);
    };
    let dir = Ctx::dir_of(file);
    let home = ctx.home.clone();
    let mut imported: Option<Node> = None;
    for entry in entries(&include)? {
        let paths: Vec<String> = entry
            .paths
            .iter()
            .map(|p| absolute(&dir, p, home.as_deref()))
            .collect();
        let project_dir = match &entry.project_dir {
            Some(p) => absolute(&dir, p, home.as_deref()),
            None => Ctx::dir_of(&paths[0]),
        };
        let env_files: Vec<String> = if entry.env_files.is_empty() {
            let default = format!("{project_dir}/.env");
            if ctx.source.is_file(&default) {
                vec![default]
            } else {
                Vec::new()
            }
        } else {
            entry
                .env_files
                .iter()
                .map(|p| absolute(&dir, p, home.as_deref()))
                .collect()
        };
        let mut inc_env: BTreeMap<String, String> = BTreeMap::new();
        for env_file in &env_files {
            let text = ctx.read(env_file, Limit::EnvFileBytes, Some(&entry.pos))?;
            let limits = ctx.budget.limits();
            let allowance = ctx.budget.remaining();
            let parsed =
                dotenv::parse_within(&text, env, false, limits, allowance).map_err(|e| {
                    LoadError::at(
                        Pos::new(ctx.display(env_file), e.line as u32, 1),
                        "",
                        e.message,
                    )
                })?;
            inc_env.extend(parsed);
        }
        // The including project's environment wins over the included project's .env.
        inc_env.extend(env.iter().map(|(k, v)| (k.clone(), v.clone())));
        for path in paths {
            if stack.contains(&path) {
                let mut chain: Vec<String> =
                    stack.iter().map(|f| ctx.display(f).to_string()).collect();
                chain.push(ctx.display(&path).to_string());
                return Err(LoadError::at(
                    entry.pos.clone(),
                    "include",
                    format!("include cycle detected: {}", chain.join(" includes ")),
                )
                .with_help("remove the include that points back to a file already being loaded"));
            }
            stack.push(path.clone());
            let mut other = ctx.load_other(&path, &project_dir, &inc_env, stack, &entry.pos)?;
            stack.pop();
            if let Some(m) = other.as_map_mut() {
                m.retain(|k, _| {
                    matches!(
                        k.as_str(),
                        "services" | "networks" | "volumes" | "secrets" | "configs" | "models"
                    )
                });
            }
            imported = Some(match imported {
                None => other,
                Some(base) => merge_documents(base, other),
            });
        }
    }
    Ok(match imported {
        Some(base) => merge_documents(base, doc),
        None => doc,
    })
}
