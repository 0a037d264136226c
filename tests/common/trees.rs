//! File trees compared by content: every file's sha256 on the host and in a container, and a
//! readable account of how two such maps differ.

use std::collections::BTreeMap;
use std::path::Path;

use bollard::Docker;
use sha2::{Digest, Sha256};

/// Every file under `root` by relative path → sha256.
pub fn host_sums(root: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(root).unwrap().display().to_string();
                out.insert(
                    rel,
                    hex::encode(Sha256::digest(std::fs::read(&path).unwrap())),
                );
            }
        }
    }
    out
}

/// Every file under the container's `dir`, named as `host_sums` names them.
pub async fn container_sums(docker: &Docker, id: &str, dir: &str) -> BTreeMap<String, String> {
    let script = format!("cd '{dir}' && find . -type f | xargs -r sha256sum");
    super::exec_output(docker, id, &["sh", "-c", &script])
        .await
        .lines()
        .filter_map(|l| l.split_once("  "))
        .map(|(sum, path)| (path.trim_start_matches("./").to_string(), sum.to_string()))
        .collect()
}

/// "equal", or how `container` differs from `host`: files missing, extra and with other
/// contents, with up to five of each.
pub fn compare(host: &BTreeMap<String, String>, container: &BTreeMap<String, String>) -> String {
    let missing: Vec<&String> = host
        .keys()
        .filter(|k| !container.contains_key(*k))
        .collect();
    let extra: Vec<&String> = container
        .keys()
        .filter(|k| !host.contains_key(*k))
        .collect();
    let differ: Vec<&String> = host
        .iter()
        .filter(|(k, v)| container.get(*k).is_some_and(|c| c != *v))
        .map(|(k, _)| k)
        .collect();
    if missing.is_empty() && extra.is_empty() && differ.is_empty() {
        return "equal".to_string();
    }
    format!(
        "NOT equal: {} missing {:?}.., {} extra {:?}.., {} with other contents {:?}..",
        missing.len(),
        &missing[..missing.len().min(5)],
        extra.len(),
        &extra[..extra.len().min(5)],
        differ.len(),
        &differ[..differ.len().min(5)],
    )
}
