//! `devbox context` on a 100,000-file tree whose node_modules holds 90,000 of them (the
//! issue's target: a report within 1 s), beside `du -sb` (a walk that only sums sizes, the
//! floor) and, with an engine, the Docker CLI's legacy build sending the same context.
//! Run: `cargo bench --bench context_report`. The tree is made once under
//! `target/bench-context-tree` and reused.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const PACKAGES: usize = 3000;
const FILES_PER_PACKAGE: usize = 30;
const SOURCE_DIRS: usize = 500;
const FILES_PER_SOURCE_DIR: usize = 20;

fn make_tree(root: &Path) {
    let done = root.join(".complete");
    if done.exists() {
        return;
    }
    let _ = std::fs::remove_dir_all(root);
    std::fs::create_dir_all(root).unwrap();
    std::fs::write(
        root.join("Dockerfile"),
        "FROM scratch\nCOPY package.json /\n",
    )
    .unwrap();
    std::fs::write(root.join(".dockerignore"), "node_modules\n.git\n").unwrap();
    std::fs::write(root.join("package.json"), "{\"name\":\"bench\"}").unwrap();
    let body = vec![b'm'; 1024];
    for p in 0..PACKAGES {
        let dir = root.join(format!("node_modules/pkg{p}/lib"));
        std::fs::create_dir_all(&dir).unwrap();
        for f in 0..FILES_PER_PACKAGE {
            std::fs::write(dir.join(format!("f{f}.js")), &body).unwrap();
        }
    }
    for d in 0..SOURCE_DIRS {
        let dir = root.join(format!("src/mod{d}"));
        std::fs::create_dir_all(&dir).unwrap();
        for f in 0..FILES_PER_SOURCE_DIR {
            std::fs::write(dir.join(format!("f{f}.ts")), &body[..300]).unwrap();
        }
    }
    std::fs::write(done, "").unwrap();
}

fn stats(mut times: Vec<Duration>) -> String {
    times.sort();
    format!(
        "min {:>7.1} ms  median {:>7.1} ms",
        times[0].as_secs_f64() * 1e3,
        times[times.len() / 2].as_secs_f64() * 1e3
    )
}

fn time(runs: usize, mut f: impl FnMut()) -> Vec<Duration> {
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect()
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-context-tree");
    make_tree(&root);
    let files = PACKAGES * FILES_PER_PACKAGE + SOURCE_DIRS * FILES_PER_SOURCE_DIR + 3;
    println!("tree: {files} files, node_modules {PACKAGES}×{FILES_PER_PACKAGE} (1 KiB each)");
    // Warm the page cache once, as a developer's second run would be.
    let _ = devbox::engine::image::context_report::report(&root, "Dockerfile", 10).unwrap();

    let lib = time(7, || {
        let s = devbox::engine::image::context_report::report(&root, "Dockerfile", 10).unwrap();
        assert_eq!(
            s.report.excluded.files as usize,
            PACKAGES * FILES_PER_PACKAGE
        );
    });
    println!("devbox context (library)     {}", stats(lib));
    let bin = env!("CARGO_MANIFEST_DIR").to_owned() + "/target/release/devbox";
    if Path::new(&bin).exists() {
        let cli = time(7, || {
            let out = Command::new(&bin)
                .args(["context", "--json"])
                .current_dir(&root)
                .output()
                .unwrap();
            assert!(out.status.success());
        });
        println!("devbox context (release CLI) {}", stats(cli));
    }
    let du = time(7, || {
        let out = Command::new("du").arg("-sb").arg(&root).output().unwrap();
        assert!(out.status.success());
    });
    println!("du -sb (walk floor)          {}", stats(du));
    let engine = Command::new("docker")
        .args(["info", "--format", "{{.ServerVersion}}"])
        .output()
        .is_ok_and(|o| o.status.success());
    if engine {
        let tag = "devbox-bench/context:1";
        let sent = time(3, || {
            let out = Command::new("docker")
                .args(["build", "-q", "-t", tag, "."])
                .env("DOCKER_BUILDKIT", "0")
                .current_dir(&root)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        });
        let _ = Command::new("docker").args(["rmi", "-f", tag]).output();
        println!("docker build (legacy, sends the context) {}", stats(sent));
    } else {
        println!("docker build: skipped (no engine)");
    }
}
