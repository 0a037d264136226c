//! The service dependency graph (`depends_on`, including the implicit edges the loader adds):
//! start order (dependencies first, ties by name), dependents, and a cycle error that names
//! the cycle.

use std::collections::{BTreeMap, BTreeSet};

use super::model::{Project, ServiceName};

/// A dependency cycle, e.g. `["a", "b", "a"]`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
#[error("dependency cycle detected: {}", .0.join(" -> "))]
#[diagnostic(help("remove one of the depends_on entries on this cycle"))]
pub struct CycleError(pub Vec<String>);

fn edges(project: &Project) -> BTreeMap<&str, Vec<&str>> {
    project
        .services
        .iter()
        .map(|(name, s)| {
            let deps = s
                .depends_on
                .keys()
                .map(ServiceName::as_str)
                .filter(|d| project.services.contains_key(*d))
                .collect();
            (name.as_str(), deps)
        })
        .collect()
}

/// Services in start order: every service after all of its dependencies.
pub fn start_order(project: &Project) -> Result<Vec<ServiceName>, CycleError> {
    let graph = edges(project);
    let mut state: BTreeMap<&str, u8> = BTreeMap::new();
    let mut order = Vec::new();
    let mut stack = Vec::new();
    for name in graph.keys() {
        visit(name, &graph, &mut state, &mut stack, &mut order)?;
    }
    Ok(order.into_iter().map(ServiceName::new).collect())
}

fn visit<'a>(
    name: &'a str,
    graph: &BTreeMap<&'a str, Vec<&'a str>>,
    state: &mut BTreeMap<&'a str, u8>,
    stack: &mut Vec<&'a str>,
    order: &mut Vec<&'a str>,
) -> Result<(), CycleError> {
    match state.get(name) {
        Some(2) => return Ok(()),
        Some(1) => {
            let start = stack.iter().position(|s| *s == name).unwrap_or(0);
            let mut cycle: Vec<String> = stack[start..].iter().map(|s| s.to_string()).collect();
            cycle.push(name.to_owned());
            return Err(CycleError(cycle));
        }
        _ => {}
    }
    state.insert(name, 1);
    stack.push(name);
    let mut deps = graph.get(name).cloned().unwrap_or_default();
    deps.sort_unstable();
    for dep in deps {
        visit(dep, graph, state, stack, order)?;
    }
    stack.pop();
    state.insert(name, 2);
    order.push(name);
    Ok(())
}

/// Services that depend on `name`, directly or transitively (sorted).
pub fn dependents(project: &Project, name: &str) -> BTreeSet<ServiceName> {
    let graph = edges(project);
    let mut out = BTreeSet::new();
    let mut todo = vec![name.to_owned()];
    while let Some(current) = todo.pop() {
        for (svc, deps) in &graph {
            if deps.contains(&current.as_str()) && out.insert(ServiceName::new(*svc)) {
                todo.push((*svc).to_owned());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::model::{Dependency, Service};
    use super::*;

    fn project(edges: &[(&str, &[&str])]) -> Project {
        let mut p = Project::default();
        for (name, deps) in edges {
            let mut s = Service {
                name: ServiceName::new(*name),
                ..Service::default()
            };
            for d in *deps {
                s.depends_on
                    .insert(ServiceName::new(*d), Dependency::default());
            }
            p.services.insert(ServiceName::new(*name), s);
        }
        p
    }

    #[test]
    fn order_puts_dependencies_first() {
        let p = project(&[("web", &["api", "db"]), ("api", &["db"]), ("db", &[])]);
        let order: Vec<String> = start_order(&p).unwrap().into_iter().map(|n| n.0).collect();
        assert_eq!(order, ["db", "api", "web"]);
        let deps: Vec<String> = dependents(&p, "db").into_iter().map(|n| n.0).collect();
        assert_eq!(deps, ["api", "web"]);
    }

    #[test]
    fn cycles_are_named() {
        let p = project(&[("a", &["b"]), ("b", &["c"]), ("c", &["a"])]);
        let err = start_order(&p).unwrap_err();
        assert_eq!(
            err.to_string(),
            "dependency cycle detected: a -> b -> c -> a"
        );
    }
}
