//! `devbox size` on a locally built image of more than 500 MB: analysis time and peak RSS.
//! The image has a 300 MiB file written in one layer and deleted in a later one, so the
//! streamed export walks ~560 MiB and must report the 300 MiB as wasted.
//! Run: `cargo bench --bench size` (needs a Docker engine; builds on the local fixture image).

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/common/mod.rs"]
mod common;

use std::collections::HashMap;
use std::time::Instant;

use bollard::query_parameters::BuildImageOptionsBuilder;
use futures_util::StreamExt;

const TAG: &str = "devbox-bench/size:1";

fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

#[tokio::main]
async fn main() {
    let Some(docker) = common::engine_or_skip().await else {
        return;
    };
    let base = common::fixture_image(&docker).await;
    let project = common::unique_project("bench-size");
    let _guard = common::ProjectGuard::new(&project);
    let dockerfile = format!(
        "FROM {base}\n\
         RUN dd if=/dev/urandom of=/big1 bs=1M count=300\n\
         RUN dd if=/dev/urandom of=/big2 bs=1M count=260\n\
         RUN rm /big1\n"
    );
    let mut tar = tar::Builder::new(Vec::new());
    let mut header = tar::Header::new_gnu();
    header.set_size(dockerfile.len() as u64);
    header.set_mode(0o644);
    tar.append_data(&mut header, "Dockerfile", dockerfile.as_bytes())
        .unwrap();
    let labels = HashMap::from([("com.docker.compose.project".to_string(), project.clone())]);
    let options = BuildImageOptionsBuilder::new()
        .t(TAG)
        .labels(&labels)
        .build();
    let started = Instant::now();
    let context = tar.into_inner().unwrap();
    let mut build = docker.build_image(options, None, Some(bollard::body_full(context.into())));
    while let Some(item) = build.next().await {
        if let Some(err) = item.unwrap().error_detail {
            panic!("build failed: {err:?}");
        }
    }
    println!("built {TAG} in {:.1} s", started.elapsed().as_secs_f64());
    let rss_before = peak_rss_kib();

    let mut times = Vec::new();
    let mut report = None;
    for _ in 0..3 {
        let started = Instant::now();
        report = Some(
            devbox::engine::image::size::analyse_image(&docker, TAG)
                .await
                .unwrap(),
        );
        times.push(started.elapsed().as_secs_f64());
    }
    let report = report.unwrap();
    times.sort_by(f64::total_cmp);
    println!(
        "image {:.0} MiB in {} layers; wasted {:.0} MiB; efficiency {:.1}%",
        report.total as f64 / 1048576.0,
        report.layers.len(),
        report.wasted as f64 / 1048576.0,
        report.efficiency * 100.0
    );
    println!(
        "analysis: median {:.2} s (min {:.2}, max {:.2}) over 3 runs",
        times[1], times[0], times[2]
    );
    println!(
        "peak RSS: {:.1} MiB (before analysis: {:.1} MiB)",
        peak_rss_kib() as f64 / 1024.0,
        rss_before as f64 / 1024.0
    );
}
