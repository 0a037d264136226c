//! Dockerfiles linted per second on the lint corpus (one core), and hadolint's rate on the same
//! files in the same run (one process per file, as CI runs it), when hadolint is on PATH; then
//! the time for the largest Dockerfiles the limits let through (2 MiB, 1,000 chained stages),
//! which were quadratic before.

use devbox::domain::lint::{FixOptions, LintConfig, Project, lint};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn corpus() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lint/corpus");
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .filter_map(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    std::fs::read_to_string(e.path()).ok().map(|t| (name, t))
                })
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

fn hadolint() -> Option<PathBuf> {
    let dirs = std::env::var_os("DEVBOX_TOOLS_BIN")
        .into_iter()
        .chain(std::env::var_os("PATH"));
    dirs.flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .chain([PathBuf::from("/tmp/devbox-tools/venv/bin")])
        .map(|d| d.join("hadolint"))
        .find(|p| p.is_file())
}

/// A Dockerfile of `bytes` with a stage every `per_stage` RUNs, each stage built on the last.
fn at_the_limit(bytes: usize, per_stage: usize) -> String {
    let mut text = String::new();
    let mut i = 0;
    while text.len() < bytes - 200 {
        if i % per_stage == 0 {
            let stage = i / per_stage;
            let base = if stage == 0 {
                "busybox:1.36".to_owned()
            } else {
                format!("s{}", stage - 1)
            };
            text.push_str(&format!("FROM {base} AS s{stage}\nUSER app\n"));
        }
        text.push_str(&format!(
            "RUN curl -fsSL https://x/{i} | sh && pip install a{i}\nCOPY --from=s0 /a{i} /b\n"
        ));
        i += 1;
    }
    text
}

fn limits() {
    let config = LintConfig::default();
    let options = FixOptions::default();
    let max = devbox::domain::limits::Limit::DockerfileBytes.default_value() as usize;
    for (what, per_stage) in [("one stage", usize::MAX), ("~950 chained stages", 26)] {
        let text = at_the_limit(max, per_stage);
        let project = Project::single_dockerfile("Dockerfile", &text);
        let start = Instant::now();
        let report = lint(&project, &config, &options);
        println!(
            "devbox lint at the size limit ({} KiB, {what}): {:.2}s, {} findings",
            text.len() / 1024,
            start.elapsed().as_secs_f64(),
            report.findings.len()
        );
    }
}

fn main() {
    limits();
    let files = corpus();
    if files.is_empty() {
        println!("lint bench: no corpus found");
        return;
    }
    let config = LintConfig::default();
    let options = FixOptions::default();
    let projects: Vec<Project> = files
        .iter()
        .map(|(n, t)| Project::single_dockerfile(n, t))
        .collect();
    // Warm-up, then as many full passes as fit in ~3 s.
    let mut findings = 0;
    for p in &projects {
        findings += lint(p, &config, &options).findings.len();
    }
    let start = Instant::now();
    let mut linted = 0usize;
    while start.elapsed() < Duration::from_secs(3) {
        for p in &projects {
            std::hint::black_box(lint(std::hint::black_box(p), &config, &options));
            linted += 1;
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "devbox lint: {} Dockerfiles ({} files x {} passes) in {secs:.2}s = {:.0} Dockerfiles/s on one core ({findings} findings per pass)",
        linted,
        files.len(),
        linted / files.len(),
        linted as f64 / secs
    );
    match hadolint() {
        Some(bin) => {
            let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lint/corpus");
            let start = Instant::now();
            for (name, _) in &files {
                let _ = std::process::Command::new(&bin)
                    .arg("--no-fail")
                    .arg(dir.join(name))
                    .output();
            }
            let secs = start.elapsed().as_secs_f64();
            println!(
                "hadolint ({}): {} Dockerfiles in {secs:.2}s = {:.1} Dockerfiles/s (one process per file)",
                bin.display(),
                files.len(),
                files.len() as f64 / secs
            );
        }
        None => println!(
            "hadolint: not found on PATH, DEVBOX_TOOLS_BIN or /tmp/devbox-tools/venv/bin; skipped"
        ),
    }
}
