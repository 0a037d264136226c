//! Stop order from labels alone: each service's dependencies read from the `depends_on` label
//! of its containers, and the waves that stop dependents before their dependencies (reversed,
//! the order to start them). `down` and the lifecycle verbs need no compose file for it.

use std::collections::{BTreeMap, BTreeSet};

use super::labels;
use super::state::Observed;

/// Service → dependencies, from the `depends_on` labels (`dep:condition:restart,...`).
pub fn label_graph(containers: &[Observed]) -> BTreeMap<String, BTreeSet<String>> {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for c in containers {
        let deps = graph.entry(c.service.clone()).or_default();
        if let Some(label) = c.labels.get(labels::DEPENDS_ON) {
            for entry in label.split(',').filter(|e| !e.is_empty()) {
                deps.insert(entry.split(':').next().unwrap_or_default().to_owned());
            }
        }
    }
    graph
}

/// Waves of services to stop: dependents before their dependencies.
pub fn stop_waves(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    let mut remaining: BTreeSet<String> = graph.keys().cloned().collect();
    let mut waves = Vec::new();
    while !remaining.is_empty() {
        // A service can stop once nothing remaining depends on it.
        let wave: Vec<String> = remaining
            .iter()
            .filter(|s| {
                !remaining
                    .iter()
                    .any(|o| graph.get(o).is_some_and(|d| d.contains(*s)))
            })
            .cloned()
            .collect();
        // A cycle in labels (hand-made containers): stop the rest together.
        let wave = if wave.is_empty() {
            remaining.iter().cloned().collect()
        } else {
            wave
        };
        for s in &wave {
            remaining.remove(s);
        }
        waves.push(wave);
    }
    waves
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dependents_stop_before_their_dependencies() {
        let graph: BTreeMap<String, BTreeSet<String>> = [
            ("db".to_owned(), BTreeSet::new()),
            ("api".to_owned(), ["db".to_owned()].into()),
            ("web".to_owned(), ["api".to_owned()].into()),
            ("tool".to_owned(), BTreeSet::new()),
        ]
        .into();
        assert_eq!(
            stop_waves(&graph),
            vec![
                vec!["tool".to_owned(), "web".to_owned()],
                vec!["api".to_owned()],
                vec!["db".to_owned()]
            ]
        );
    }
}
