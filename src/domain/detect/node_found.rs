//! What the Node detector found: the partial detection, the dependency names (all, and the
//! production ones) other detectors and the entry-point search look at, and why.

use std::collections::BTreeSet;

use super::Partial;
use super::facts::{Reason, line_of};
use super::node_framework::Framework;

/// What the Node detector found, plus the dependency names other detectors look at.
#[derive(Debug, Clone, Default)]
pub(crate) struct NodeFound {
    pub partial: Partial,
    pub deps: BTreeSet<String>,
    /// `dependencies` only: what the production image installs.
    pub prod_deps: BTreeSet<String>,
    /// The line of package.json naming each dependency (for reasons).
    pub manifest: String,
    pub framework: Option<&'static Framework>,
    /// Something runs here (a server dependency, a start script, `main`, an entry file), as
    /// opposed to a manifest holding only tooling.
    pub runnable: bool,
}

impl NodeFound {
    pub fn dep_reason(&self, dep: &str, note: &str) -> Reason {
        Reason::at(
            "package.json",
            line_of(&self.manifest, &format!("\"{dep}\":")),
            note,
        )
    }
}
