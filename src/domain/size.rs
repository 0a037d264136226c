//! Image insight, pure: given each layer's file index (from a streamed image export) and the
//! image config's history, compute per-layer sizes with the instruction that made them, the
//! bytes a later layer overwrote or deleted (wasted), an efficiency score and suggestions.

use std::collections::BTreeMap;

use serde::Serialize;

/// What one tar entry of a layer is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    File,
    Symlink,
    HardLink,
    Dir,
    /// `.wh.<name>`: `<name>` (and its subtree) is deleted from lower layers.
    Whiteout,
    /// `<dir>/.wh..wh..opq`: every lower child of `<dir>` is hidden.
    Opaque,
    Other,
}

/// One entry of a layer, its path normalised (no leading `./` or `/`, no trailing `/`).
/// For `Whiteout` the path is the deleted path; for `Opaque` it is the directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayerEntry {
    pub path: String,
    pub size: u64,
    pub kind: EntryKind,
}

/// One step of the image config's `history`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryStep {
    pub created_by: String,
    pub empty_layer: bool,
}

/// A layer as analysed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LayerReport {
    pub index: usize,
    pub diff_id: String,
    /// Regular-file bytes plus symlink target lengths, hard links counted once (as the engine).
    pub size: u64,
    /// The Dockerfile instruction that created the layer, cleaned for reading.
    pub instruction: String,
    /// Bytes of this layer that a later layer overwrote or deleted.
    pub wasted: u64,
}

/// A file added in one layer and overwritten or removed by a later one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WastedFile {
    pub path: String,
    pub size: u64,
    pub added_in: usize,
    pub removed_in: usize,
    pub how: WasteKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum WasteKind {
    Overwritten,
    Deleted,
}

/// The whole analysis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SizeReport {
    pub image: String,
    pub total: u64,
    pub wasted: u64,
    /// 1.0 when no byte is wasted.
    pub efficiency: f64,
    pub layers: Vec<LayerReport>,
    /// Largest first.
    pub wasted_files: Vec<WastedFile>,
    pub suggestions: Vec<String>,
}

/// Cleans a history `created_by` into the instruction a person wrote.
pub fn clean_instruction(created_by: &str) -> String {
    let text = created_by.trim();
    if text.is_empty() {
        return "(no instruction: imported or committed)".to_string();
    }
    let text = text.strip_suffix("# buildkit").unwrap_or(text).trim_end();
    if let Some(rest) = text.strip_prefix("/bin/sh -c #(nop)") {
        return rest.trim().to_string();
    }
    for shell_prefix in ["/bin/sh -c ", "RUN /bin/sh -c "] {
        if let Some(rest) = text.strip_prefix(shell_prefix) {
            return format!("RUN {}", rest.trim());
        }
    }
    if let Some(rest) = text.strip_prefix("|") {
        // BuildKit prefixes RUN with build args: `|2 A=1 B=2 /bin/sh -c cmd`.
        if let Some(pos) = rest.find("/bin/sh -c ") {
            return format!("RUN {}", rest[pos + "/bin/sh -c ".len()..].trim());
        }
    }
    text.to_string()
}

/// Maps each layer to its instruction: every history step that is not `empty_layer` takes the
/// next layer, bottom to top.
pub fn instructions_for_layers(history: &[HistoryStep], layer_count: usize) -> Vec<String> {
    let mut out: Vec<String> = history
        .iter()
        .filter(|step| !step.empty_layer)
        .map(|step| clean_instruction(&step.created_by))
        .collect();
    out.resize_with(layer_count, || "(no history for this layer)".to_string());
    out.truncate(layer_count);
    out
}

/// Analyses the layers bottom to top.
pub fn analyse(
    image: &str,
    layers: &[(String, Vec<LayerEntry>)],
    history: &[HistoryStep],
) -> SizeReport {
    let instructions = instructions_for_layers(history, layers.len());
    // Visible files: path -> (layer that wrote it, bytes).
    let mut visible: BTreeMap<String, (usize, u64)> = BTreeMap::new();
    let mut wasted_files = Vec::new();
    let mut reports: Vec<LayerReport> = Vec::with_capacity(layers.len());
    for (index, (diff_id, entries)) in layers.iter().enumerate() {
        let mut size = 0;
        for entry in entries {
            match entry.kind {
                EntryKind::Whiteout => {
                    remove_subtree(&mut visible, &entry.path, true, index, &mut wasted_files)
                }
                EntryKind::Opaque => {
                    remove_subtree(&mut visible, &entry.path, false, index, &mut wasted_files)
                }
                EntryKind::File | EntryKind::Symlink | EntryKind::HardLink => {
                    size += entry.size;
                    let previous = visible.insert(entry.path.clone(), (index, entry.size));
                    if let Some((added_in, bytes)) = previous
                        && added_in < index
                        && bytes > 0
                    {
                        wasted_files.push(WastedFile {
                            path: entry.path.clone(),
                            size: bytes,
                            added_in,
                            removed_in: index,
                            how: WasteKind::Overwritten,
                        });
                    }
                }
                EntryKind::Dir | EntryKind::Other => {}
            }
        }
        reports.push(LayerReport {
            index,
            diff_id: diff_id.clone(),
            size,
            instruction: instructions[index].clone(),
            wasted: 0,
        });
    }
    for file in &wasted_files {
        if let Some(layer) = reports.get_mut(file.added_in) {
            layer.wasted += file.size;
        }
    }
    wasted_files.sort_by(|a, b| b.size.cmp(&a.size).then_with(|| a.path.cmp(&b.path)));
    let total: u64 = reports.iter().map(|l| l.size).sum();
    let wasted: u64 = wasted_files.iter().map(|f| f.size).sum();
    let efficiency = if total == 0 {
        1.0
    } else {
        1.0 - wasted as f64 / total as f64
    };
    let suggestions = suggest(&reports, &wasted_files, &visible);
    SizeReport {
        image: image.to_string(),
        total,
        wasted,
        efficiency,
        layers: reports,
        wasted_files,
        suggestions,
    }
}

/// Removes `path` (when `include_self`) and everything under it that lower layers wrote.
fn remove_subtree(
    visible: &mut BTreeMap<String, (usize, u64)>,
    path: &str,
    include_self: bool,
    layer: usize,
    wasted: &mut Vec<WastedFile>,
) {
    let prefix = if path.is_empty() {
        String::new()
    } else {
        format!("{path}/")
    };
    let mut doomed: Vec<String> = visible
        .range(prefix.clone()..)
        .take_while(|(p, _)| p.starts_with(&prefix))
        .filter(|(_, (added, _))| *added < layer)
        .map(|(p, _)| p.clone())
        .collect();
    if include_self && visible.get(path).is_some_and(|(added, _)| *added < layer) {
        doomed.push(path.to_string());
    }
    for p in doomed {
        if let Some((added_in, size)) = visible.remove(&p)
            && size > 0
        {
            wasted.push(WastedFile {
                path: p,
                size,
                added_in,
                removed_in: layer,
                how: WasteKind::Deleted,
            });
        }
    }
}

/// Caches and leftovers that commonly bloat images, with the fix the source document gives.
const LEFTOVERS: &[(&str, &str)] = &[
    (
        "var/lib/apt/lists/",
        "apt lists left in the image: end the apt-get RUN with `rm -rf /var/lib/apt/lists/*`, or use a cache mount",
    ),
    (
        "var/cache/apt/",
        "apt's package cache left in the image: use `--mount=type=cache,target=/var/cache/apt`",
    ),
    (
        "var/cache/apk/",
        "apk cache left in the image: use `apk add --no-cache`",
    ),
    (
        "root/.cache/pip/",
        "pip's cache left in the image: `pip install --no-cache-dir` or a cache mount on /root/.cache/pip",
    ),
    (
        "root/.npm/",
        "npm's cache left in the image: `npm ci` with `--mount=type=cache,target=/root/.npm`",
    ),
    (
        "usr/local/share/.cache/yarn/",
        "yarn's cache left in the image: use a cache mount for it",
    ),
    (
        "root/.cache/go-build/",
        "Go build cache in the final image: build in a builder stage and copy only the binary",
    ),
    (
        "usr/local/go/",
        "the Go toolchain is in the final image: use a multi-stage build ending in distroless/static or scratch",
    ),
    (
        "usr/local/cargo/registry/",
        "cargo's registry is in the final image: build in a builder stage and copy only the binary",
    ),
];

fn suggest(
    layers: &[LayerReport],
    wasted: &[WastedFile],
    visible: &BTreeMap<String, (usize, u64)>,
) -> Vec<String> {
    let mut out = Vec::new();
    for (prefix, advice) in LEFTOVERS {
        let bytes: u64 = visible
            .range(prefix.to_string()..)
            .take_while(|(p, _)| p.starts_with(prefix))
            .map(|(_, (_, size))| size)
            .sum();
        if bytes >= 1024 * 1024 {
            out.push(format!(
                "{advice} ({} of it)",
                super::doctor::human_bytes(bytes)
            ));
        }
    }
    if let Some(worst) = layers
        .iter()
        .filter(|l| l.wasted > 0)
        .max_by_key(|l| l.wasted)
    {
        let deleter = wasted
            .iter()
            .find(|f| f.added_in == worst.index)
            .and_then(|f| layers.get(f.removed_in))
            .map(|l| l.instruction.clone())
            .unwrap_or_default();
        out.push(format!(
            "layer {} (`{}`) writes {} that a later step (`{}`) removes or replaces: do both in one RUN, or use a cache mount or a build stage",
            worst.index,
            truncate(&worst.instruction, 60),
            super::doctor::human_bytes(worst.wasted),
            truncate(&deleter, 60)
        ));
    }
    out
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let cut: String = text.chars().take(max - 1).collect();
        format!("{cut}…")
    }
}

/// Base images the source document recommends instead of a fat default, as (prefix, advice).
pub fn base_image_advice(from: &str) -> Option<String> {
    let (name, tag) = from.split_once(':').unwrap_or((from, "latest"));
    let name = name
        .trim_start_matches("docker.io/")
        .trim_start_matches("library/");
    let slim = tag.contains("slim") || tag.contains("alpine") || tag.contains("distroless");
    match name {
        "node" if !slim => Some(format!(
            "{from} → node:{}-alpine or node:{}-slim (hundreds of MB smaller)",
            version_or(tag, "lts"),
            version_or(tag, "lts")
        )),
        "python" if !slim => Some(format!("{from} → python:{}-slim", version_or(tag, "3"))),
        "golang" => Some(format!(
            "{from} in the final stage → build in golang, ship on gcr.io/distroless/static or scratch"
        )),
        "rust" => Some(format!(
            "{from} in the final stage → build in rust, ship on debian:bookworm-slim or gcr.io/distroless/cc"
        )),
        "ubuntu" | "debian" if !slim => Some(format!(
            "{from} → debian:bookworm-slim or a language -slim image"
        )),
        _ => None,
    }
}

/// The tag's version part (`22` of `22-bookworm`), or `fallback` for `latest` and plain names.
fn version_or<'a>(tag: &'a str, fallback: &'a str) -> &'a str {
    let version = tag.split('-').next().unwrap_or("");
    if version.is_empty()
        || version == "latest"
        || !version.starts_with(|c: char| c.is_ascii_digit())
    {
        fallback
    } else {
        version
    }
}

#[cfg(test)]
mod tests;

/// Parses a size like `200MB`, `1.5GiB`, `512m` or `1048576` into bytes (k/m/g are powers of
/// 1024, as Docker reads them).
pub fn parse_size(text: &str) -> Option<u64> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse().ok()?;
    let factor: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        "t" | "tb" | "tib" => 1 << 40,
        _ => return None,
    };
    (number >= 0.0).then_some((number * factor as f64) as u64)
}

/// Which CI thresholds a report breaks, as messages.
pub fn threshold_failures(
    report: &SizeReport,
    max_size: Option<u64>,
    min_efficiency: Option<f64>,
) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(max) = max_size
        && report.total > max
    {
        out.push(format!(
            "{} is {}, over the limit of {}",
            report.image,
            super::doctor::human_bytes(report.total),
            super::doctor::human_bytes(max)
        ));
    }
    if let Some(min) = min_efficiency
        && report.efficiency < min
    {
        out.push(format!(
            "{} has efficiency {:.1}%, under the minimum of {:.1}%",
            report.image,
            report.efficiency * 100.0,
            min * 100.0
        ));
    }
    out
}
