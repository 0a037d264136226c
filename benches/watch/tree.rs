//! The trees the watch benchmark writes: the 5,000-file burst and the 100,000-file project
//! (they are compared with `common::trees`).

use std::path::{Path, PathBuf};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

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
