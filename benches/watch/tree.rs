//! The trees the watch benchmark writes and compares: the 5,000-file burst, the 100,000-file
//! project, and checksums of every file on the host and in a container.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use bollard::Docker;
use sha2::{Digest, Sha256};

/// Writes the burst on a thread: 5,000 files created in 50 directories, every third edited,
/// every seventh deleted; returns when it finished, counted from `started`.
pub fn write_burst(base: PathBuf, started: Instant) -> JoinHandle<Duration> {
    std::thread::spawn(move || {
        for i in 0..5000 {
            let path = base.join(format!("d{}/f{i}.js", i % 50));
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, format!("first {i}\n")).unwrap();
        }
        for i in (0..5000).step_by(3) {
            std::fs::write(
                base.join(format!("d{}/f{i}.js", i % 50)),
                format!("edited {i}\n"),
            )
            .unwrap();
        }
        for i in (1..5000).step_by(7) {
            std::fs::remove_file(base.join(format!("d{}/f{i}.js", i % 50))).unwrap();
        }
        started.elapsed()
    })
}

/// 100,000 files: 5,000 under `src`, 95,000 under `node_modules`; returns the directories.
pub fn big_tree(root: &Path) -> usize {
    let mut dirs = 0;
    for d in 0..250 {
        let dir = root.join(format!("src/m{d}"));
        std::fs::create_dir_all(&dir).unwrap();
        dirs += 1;
        for f in 0..20 {
            std::fs::write(dir.join(format!("f{f}.js")), "x").unwrap();
        }
    }
    for d in 0..4750 {
        let dir = root.join(format!("node_modules/p{}/lib{}", d / 10, d % 10));
        std::fs::create_dir_all(&dir).unwrap();
        dirs += 1 + usize::from(d % 10 == 0);
        for f in 0..20 {
            std::fs::write(dir.join(format!("f{f}.js")), "x").unwrap();
        }
    }
    dirs + 3
}

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

/// Every file under the container's `dir`, as `host_sums` names them.
pub async fn container_sums(docker: &Docker, id: &str, dir: &str) -> BTreeMap<String, String> {
    let script = format!("cd '{dir}' && find . -type f | xargs -r sha256sum");
    crate::common::exec_output(docker, id, &["sh", "-c", &script])
        .await
        .lines()
        .filter_map(|l| l.split_once("  "))
        .map(|(sum, path)| (path.trim_start_matches("./").to_string(), sum.to_string()))
        .collect()
}

/// How the container's tree differs from the host's: "equal", or counts of files missing,
/// extra and with other contents, with one example of each.
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
        "NOT equal: {} missing (e.g. {:?}), {} extra (e.g. {:?}), {} with other contents (e.g. {:?})",
        missing.len(),
        missing.first(),
        extra.len(),
        extra.first(),
        differ.len(),
        differ.first()
    )
}
