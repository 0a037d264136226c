//! The expanded-size budget of one load: every step that can make a project larger than its
//! files (parsing, YAML aliases, `extends` copies, interpolation, env files merged into
//! services, port ranges, the variable list) spends from one count of bytes, so memory stays
//! proportional to the limit whatever the input does. Also the services-per-project check.

use super::error::{LoadError, Pos};
use super::model::{PortConfig, Service, ServiceNetwork};
use super::yaml::{Node, Value};
use crate::domain::limits::{Limit, Limits};

/// What a value costs besides its text: the node, its key and the map slot holding it, so the
/// budget tracks memory rather than characters (a file of a million `- 1` lines is 4 MB of text
/// but ~200 MB of tree).
pub const VALUE_COST: u64 =
    (std::mem::size_of::<Node>() + std::mem::size_of::<String>() + 16) as u64;

/// What grew the project when the budget ran out; the error names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Growth {
    /// The files' own values.
    Values,
    /// `*alias` copies (and `<<` merges of them).
    Aliases,
    /// `${VAR}` replaced by longer values.
    Interpolation,
    /// A service copied by `extends`.
    Extends,
    /// `env_file` / `label_file` entries merged into a service.
    EnvFiles,
    /// A port range expanded to one entry per port.
    Ports,
    /// The defaults kept for `config --variables`.
    Variables,
}

impl Growth {
    fn what(self) -> &'static str {
        match self {
            Growth::Values => "the compose files' values",
            Growth::Aliases => "YAML aliases",
            Growth::Interpolation => "interpolated variables",
            Growth::Extends => "services copied by `extends`",
            Growth::EnvFiles => "env files merged into services",
            Growth::Ports => "port ranges",
            Growth::Variables => "variable defaults",
        }
    }

    fn advice(self) -> &'static str {
        match self {
            Growth::Aliases => {
                "a small file that grows this much is an alias bomb; alias smaller anchors or fewer times"
            }
            Growth::Interpolation => {
                "check the variables used here: one long value repeated many times adds up"
            }
            Growth::Extends => "extend a smaller base service, or fewer times",
            Growth::EnvFiles => "share one env file among fewer services, or make it smaller",
            Growth::Ports => "publish narrower port ranges",
            Growth::Values | Growth::Variables => "split the project into smaller ones",
        }
    }
}

/// Bytes spent so far against the `expanded size` limit.
#[derive(Debug, Clone)]
pub struct Budget {
    limits: Limits,
    spent: u64,
}

impl Budget {
    pub fn new(limits: &Limits) -> Self {
        Self {
            limits: limits.clone(),
            spent: 0,
        }
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    pub fn spent(&self) -> u64 {
        self.spent
    }

    /// What is left before the limit.
    pub fn remaining(&self) -> u64 {
        self.limits
            .get(Limit::ExpandedBytes)
            .saturating_sub(self.spent)
    }

    /// Counts `bytes` of growth at `pos`, or fails once the total passes the limit.
    pub fn spend(&mut self, bytes: u64, growth: Growth, pos: &Pos) -> Result<(), LoadError> {
        self.spent = self.spent.saturating_add(bytes);
        if self.spent <= self.limits.get(Limit::ExpandedBytes) {
            return Ok(());
        }
        Err(self.exceeded(growth, pos))
    }

    /// The error for running out while `growth` was expanding at `pos`.
    pub fn exceeded(&self, growth: Growth, pos: &Pos) -> LoadError {
        let max = self.limits.get(Limit::ExpandedBytes);
        let message = format!(
            "{} grow the project past {} here ({}; each value counts {VALUE_COST} bytes plus its text)",
            growth.what(),
            Limit::ExpandedBytes.format(max),
            self.limits.describe(Limit::ExpandedBytes),
        );
        let mut help = growth.advice().to_owned();
        if let Some(raise) = self.limits.raise_hint(Limit::ExpandedBytes) {
            help = format!("{help}; {raise}");
        }
        LoadError::at(pos.clone(), "", message).with_help(help)
    }

    /// Refuses a project with more services than the limit; `pos` is the first one too many.
    pub fn check_services(&self, count: usize, pos: &Pos) -> Result<(), LoadError> {
        let max = self.limits.get(Limit::Services);
        if count as u64 <= max {
            return Ok(());
        }
        let mut help = "split the project into smaller ones".to_owned();
        if let Some(raise) = self.limits.raise_hint_to(Limit::Services, count as u64) {
            help = format!("{help}, or {raise}");
        }
        Err(LoadError::at(
            pos.clone(),
            "services",
            format!(
                "the project defines {count} services, more than devbox loads ({})",
                self.limits.describe(Limit::Services)
            ),
        )
        .with_help(help))
    }
}

/// What decoding multiplies, checked on the merged tree before the model is built: the number
/// of services (each becomes a `Service` of a few KiB) and short port ranges (one entry per
/// port: `"1-65535:1-65535"` is 65,535 entries from 15 characters).
pub fn before_decode(merged: &Node, budget: &mut Budget) -> Result<(), LoadError> {
    let Some(services) = merged
        .as_map()
        .and_then(|m| m.get("services"))
        .and_then(Node::as_map)
    else {
        return Ok(());
    };
    let max = usize::try_from(budget.limits().get(Limit::Services)).unwrap_or(usize::MAX);
    if let Some((_, first_too_many)) = services.get_index(max) {
        budget.check_services(services.len(), &first_too_many.key_pos)?;
    }
    for service in services.values() {
        budget.spend(SERVICE_COST, Growth::Values, &service.key_pos)?;
        let ports = service
            .as_map()
            .and_then(|m| m.get("ports"))
            .and_then(|p| match &p.value {
                Value::Seq(items) => Some(items),
                _ => None,
            });
        for port in ports.into_iter().flatten() {
            if let Some(spec) = port.as_str() {
                budget.spend(port_entries(spec) * PORT_COST, Growth::Ports, &port.pos)?;
            }
        }
    }
    Ok(())
}

/// A decoded service: its struct, plus the first B-tree node (11 slots) of the network map
/// every service gets (`default`).
const SERVICE_COST: u64 = (std::mem::size_of::<Service>()
    + 11 * (std::mem::size_of::<String>() + std::mem::size_of::<Option<ServiceNetwork>>()))
    as u64;
/// A decoded port plus its strings (mode, protocol, published).
const PORT_COST: u64 = std::mem::size_of::<PortConfig>() as u64 + 32;

/// How many entries a short port spec decodes to: the size of its container range.
fn port_entries(spec: &str) -> u64 {
    let body = spec.rsplit_once('/').map_or(spec, |(b, _)| b);
    let container = body.rsplit(':').next().unwrap_or(body);
    let bound = |p: &str| p.trim().parse::<u64>().ok();
    match container.split_once('-') {
        Some((a, b)) => match (bound(a), bound(b)) {
            (Some(a), Some(b)) if a <= b => b - a + 1,
            _ => 1,
        },
        None => 1,
    }
}

/// What `node` costs the budget: `VALUE_COST` per value plus the text of scalars and keys.
pub fn cost_of(node: &Node) -> u64 {
    VALUE_COST
        + match &node.value {
            Value::Str(s) => s.len() as u64,
            Value::Seq(items) => items.iter().map(cost_of).sum(),
            Value::Map(map) => map.iter().map(|(k, v)| k.len() as u64 + cost_of(v)).sum(),
            Value::Null | Value::Bool(_) | Value::Int(_) | Value::Float(_) => 0,
        }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn pos() -> Pos {
        Pos::new(Arc::from("compose.yaml"), 3, 5)
    }

    #[test]
    fn spending_past_the_limit_names_the_growth_and_the_limit() {
        let limits = Limits::default().with(Limit::ExpandedBytes, 1000);
        let mut budget = Budget::new(&limits);
        budget.spend(600, Growth::Values, &pos()).unwrap();
        let err = budget.spend(600, Growth::Aliases, &pos()).unwrap_err();
        let text = err.full_text();
        assert!(text.starts_with("compose.yaml:3:5: YAML aliases grow the project past 1000 B here (limit: expanded size, 1000 B;"), "{text}");
        assert!(text.contains("alias bomb"), "{text}");
        assert!(text.contains("DEVBOX_LIMIT_EXPANDED_BYTES=2000"), "{text}");
    }

    #[test]
    fn port_ranges_count_one_entry_per_port() {
        assert_eq!(port_entries("8080:80"), 1);
        assert_eq!(port_entries("127.0.0.1:8000-8010:8000-8010/udp"), 11);
        assert_eq!(port_entries("1-65535:1-65535"), 65_535);
        assert_eq!(port_entries("[::1]:80:80"), 1);
        assert_eq!(port_entries("9-1"), 1);
    }

    #[test]
    fn services_over_the_limit_are_refused() {
        let budget = Budget::new(&Limits::default().with(Limit::Services, 2));
        assert!(budget.check_services(2, &pos()).is_ok());
        let err = budget.check_services(3, &pos()).unwrap_err();
        assert!(
            err.full_text()
                .contains("3 services, more than devbox loads (limit: services per project, 2)"),
            "{}",
            err.full_text()
        );
        assert!(err.full_text().contains("DEVBOX_LIMIT_SERVICES=4 (now 2)"));
    }
}
