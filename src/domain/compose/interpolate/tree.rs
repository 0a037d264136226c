//! Interpolation over a YAML tree: every string value (never keys, as in Compose), one warning
//! per unset variable, growth spent from the load's budget, errors placed on the value's line.

use std::collections::HashSet;

use super::super::budget::{Budget, Growth, VALUE_COST};
use super::super::error::{LoadError, Pos, Warning, join};
use super::super::yaml::{Node, Value};
use super::{Bounds, Lookup, TemplateError, VariableUse, substitute_within, variables};
use crate::domain::limits::Limit;

/// Interpolates every string value in `node`. `path` is the key path of `node`, used in
/// error messages.
pub fn interpolate_tree(
    node: &mut Node,
    path: &str,
    env: &dyn Lookup,
    warnings: &mut Vec<Warning>,
    budget: &mut Budget,
) -> Result<(), LoadError> {
    let mut walk = Walk {
        env,
        warnings,
        budget,
        warned: HashSet::new(),
    };
    // The walk carries no key path (building one per node dominated load time); the path of
    // a failing value is recovered afterwards from its unique position.
    walk.node(node).map_err(|mut err| {
        if let Some(pos) = &err.pos
            && let Some(found) = path_to(node, pos, path)
        {
            err.path = found;
        }
        err
    })
}

fn path_to(node: &Node, pos: &Pos, prefix: &str) -> Option<String> {
    match &node.value {
        Value::Str(_) if node.pos == *pos => Some(prefix.to_owned()),
        Value::Seq(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, item)| path_to(item, pos, &format!("{prefix}[{i}]"))),
        Value::Map(map) => map
            .iter()
            .find_map(|(k, v)| path_to(v, pos, &join(prefix, k))),
        _ => None,
    }
}

struct Walk<'a> {
    env: &'a dyn Lookup,
    warnings: &'a mut Vec<Warning>,
    budget: &'a mut Budget,
    /// Variables already warned about: one warning each, not one per use (a file that uses an
    /// unset variable a million times must not hold a million warnings).
    warned: HashSet<String>,
}

impl Walk<'_> {
    fn node(&mut self, node: &mut Node) -> Result<(), LoadError> {
        match &mut node.value {
            Value::Str(text) => {
                if !text.contains('$') {
                    return Ok(());
                }
                let mut unset = Vec::new();
                let bounds = Bounds::new(
                    self.budget.limits(),
                    self.budget.remaining().saturating_add(text.len() as u64),
                );
                match substitute_within(text, self.env, &mut unset, bounds) {
                    Ok(expanded) => {
                        let growth = expanded.len().saturating_sub(text.len());
                        *text = expanded;
                        self.budget
                            .spend(growth as u64, Growth::Interpolation, &node.pos)?;
                    }
                    Err(err) => return Err(template_error(err, text, &node.pos, self.budget)),
                }
                for name in unset {
                    if self.warned.insert(name.clone()) {
                        self.warnings.push(Warning {
                            pos: Some(node.pos.clone()),
                            message: format!(
                                "The \"{name}\" variable is not set. Defaulting to a blank string."
                            ),
                        });
                    }
                }
                Ok(())
            }
            Value::Seq(items) => items.iter_mut().try_for_each(|item| self.node(item)),
            Value::Map(map) => map.values_mut().try_for_each(|value| self.node(value)),
            Value::Null | Value::Bool(_) | Value::Int(_) | Value::Float(_) => Ok(()),
        }
    }
}

fn template_error(err: TemplateError, text: &str, pos: &Pos, budget: &Budget) -> LoadError {
    match err {
        TemplateError::Invalid => LoadError::at(
            pos.clone(),
            "",
            format!(
                "invalid interpolation format {text:?}; you may need to escape any $ with another $"
            ),
        )
        .with_help(
            "write `$$` for a literal `$`, or use `${NAME}`, `${NAME:-default}`, `${NAME:?error}`",
        ),
        TemplateError::Required { name, message } => {
            let detail = if message.is_empty() {
                String::new()
            } else {
                format!(": {message}")
            };
            LoadError::at(
                pos.clone(),
                "",
                format!("required variable {name} is missing a value{detail}"),
            )
            .with_help(format!(
                "set {name} in the shell or in the project's .env file"
            ))
        }
        TemplateError::TooDeep { max } => too_deep(max, pos, budget),
        TemplateError::TooLong { .. } => budget.exceeded(Growth::Interpolation, pos),
    }
}

fn too_deep(max: u64, pos: &Pos, budget: &Budget) -> LoadError {
    LoadError::at(
        pos.clone(),
        "",
        format!(
            "`${{…}}` nested more than {} deep in defaults ({})",
            Limit::InterpolationDepth.format(max),
            budget.limits().describe(Limit::InterpolationDepth)
        ),
    )
    .with_help(
        "set the value in .env instead of nesting `${A:-${B:-…}}` defaults (this limit is fixed)",
    )
}

/// Collects every variable referenced by string values in `node`; the copies of defaults it
/// keeps are spent from `budget`.
pub fn collect_variables(
    node: &Node,
    out: &mut Vec<VariableUse>,
    budget: &mut Budget,
) -> Result<(), LoadError> {
    collect(node, out, budget).map_err(|mut err| {
        if let Some(pos) = &err.pos
            && let Some(found) = path_to(node, pos, "")
        {
            err.path = found;
        }
        err
    })
}

fn collect(node: &Node, out: &mut Vec<VariableUse>, budget: &mut Budget) -> Result<(), LoadError> {
    match &node.value {
        Value::Str(text) => {
            if !text.contains('$') {
                return Ok(());
            }
            let before = out.len();
            let bounds = Bounds::new(budget.limits(), budget.remaining());
            variables(text, out, bounds).map_err(|err| match err {
                TemplateError::TooDeep { max } => too_deep(max, &node.pos, budget),
                _ => budget.exceeded(Growth::Variables, &node.pos),
            })?;
            let kept: u64 = out[before..]
                .iter()
                .map(|v| {
                    VALUE_COST
                        + (v.name.len()
                            + v.default.as_ref().map_or(0, String::len)
                            + v.alternate.as_ref().map_or(0, String::len))
                            as u64
                })
                .sum();
            budget.spend(kept, Growth::Variables, &node.pos)
        }
        Value::Seq(items) => items.iter().try_for_each(|n| collect(n, out, budget)),
        Value::Map(map) => map.values().try_for_each(|n| collect(n, out, budget)),
        _ => Ok(()),
    }
}
