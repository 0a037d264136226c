//! One image pull's layers folded into a line for the dashboard: how many layers are done and
//! how many bytes of the known sizes have arrived (`pulling: 2/5 layers, 12.3 MiB of 40.1 MiB`).

use std::collections::BTreeMap;

use super::format::human_bytes;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Layer {
    current: u64,
    total: u64,
    done: bool,
}

/// The layers of one pull, by layer id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PullMeter {
    layers: BTreeMap<String, Layer>,
}

impl PullMeter {
    /// Folds one progress message of a layer in (the engine's status words: `Pulling fs
    /// layer`, `Downloading`, `Extracting`, `Pull complete`, `Already exists`).
    pub fn update(&mut self, layer: &str, status: &str, current: u64, total: u64) {
        let entry = self.layers.entry(layer.to_owned()).or_default();
        if status.starts_with("Pull complete") || status.starts_with("Already exists") {
            entry.done = true;
            entry.current = entry.total;
        } else if status.starts_with("Downloading") {
            entry.total = entry.total.max(total);
            entry.current = current;
        } else if status.starts_with("Download complete") {
            entry.current = entry.total;
        }
    }

    /// `pulling: 2/5 layers, 12.3 MiB of 40.1 MiB` (bytes once a size is known).
    pub fn summary(&self) -> String {
        let done = self.layers.values().filter(|l| l.done).count();
        let total: u64 = self.layers.values().map(|l| l.total).sum();
        let current: u64 = self.layers.values().map(|l| l.current).sum();
        let mut text = format!("pulling: {done}/{} layers", self.layers.len());
        if total > 0 {
            text.push_str(&format!(
                ", {} of {}",
                human_bytes(current.min(total)),
                human_bytes(total)
            ));
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layers_and_bytes() {
        let mut m = PullMeter::default();
        m.update("a", "Pulling fs layer", 0, 0);
        m.update("b", "Already exists", 0, 0);
        assert_eq!(m.summary(), "pulling: 1/2 layers");
        m.update("a", "Downloading", 512 * 1024, 2 * 1024 * 1024);
        assert_eq!(m.summary(), "pulling: 1/2 layers, 512.0 KiB of 2.0 MiB");
        m.update("a", "Download complete", 0, 0);
        m.update("a", "Extracting", 100, 2 * 1024 * 1024);
        m.update("a", "Pull complete", 0, 0);
        assert_eq!(m.summary(), "pulling: 2/2 layers, 2.0 MiB of 2.0 MiB");
    }
}
