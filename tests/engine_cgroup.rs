//! The Stack tab's local stats path against the real engine: a container's cgroup is found
//! from its init pid and reads the same CPU counter and memory the engine's stats report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use bollard::models::ContainerCreateBody;
use bollard::query_parameters::StatsOptionsBuilder;
use devbox::engine::{observe::cgroup, observe::stats};
use futures_util::StreamExt;

#[tokio::test]
async fn cgroup_counters_match_the_engines_stats() {
    let Some(docker) = common::engine_or_skip().await else {
        return;
    };
    let image = common::fixture_image(&docker).await;
    let project = common::unique_project("cgroup");
    let _guard = common::ProjectGuard::new(&project);
    let id = common::compose_container(
        &docker,
        &project,
        "busy",
        1,
        ContainerCreateBody {
            image: Some(image),
            // Some CPU and some memory to count.
            cmd: Some(vec![
                "sh".into(),
                "-c".into(),
                "head -c 8000000 /dev/zero > /tmp/fill; while :; do :; done".into(),
            ]),
            ..Default::default()
        },
    )
    .await;
    let pid = docker
        .inspect_container(&id, None)
        .await
        .unwrap()
        .state
        .unwrap()
        .pid
        .unwrap();
    let files = cgroup::locate(&id, pid).expect("the local container's cgroup");
    let first = cgroup::sample(&files, None).unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let second = cgroup::sample(&files, Some(&first)).unwrap();
    assert!(second.cpu_total > first.cpu_total, "the busy loop used CPU");
    assert_eq!(second.precpu_total, first.cpu_total);
    let cpu = devbox::domain::stack::cpu_percent(&second);
    assert!(
        cpu > 20.0 && cpu < 210.0,
        "a busy loop is about one core: {cpu}"
    );

    let options = StatsOptionsBuilder::new().stream(false).build();
    let engine = docker
        .stats(&id, Some(options))
        .next()
        .await
        .unwrap()
        .unwrap();
    let engine = stats::convert_stats(&engine);
    let ours = cgroup::sample(&files, None).unwrap();
    // Same counter, read a moment apart: the engine's is a little behind or ahead.
    let gap = ours.cpu_total.abs_diff(engine.cpu_total);
    assert!(
        gap < 3_000_000_000,
        "cpu counters {} vs {}",
        ours.cpu_total,
        engine.cpu_total
    );
    assert_eq!(
        ours.mem_limit, engine.mem_limit,
        "unlimited: the host's memory"
    );
    let (a, b) = (ours.mem_usage.unwrap(), engine.mem_usage.unwrap());
    assert!(a.abs_diff(b) < 4 << 20, "memory {a} vs {b}");
    // Network bytes: the namespace's net/dev and the engine's per-interface counters are the
    // same numbers (an idle container: equal or a few packets apart).
    let (a, b) = (ours.io.net_rx.unwrap(), engine.io.net_rx.unwrap());
    assert!(a.abs_diff(b) < 64 << 10, "received {a} vs {b}");
    let (a, b) = (ours.io.net_tx.unwrap(), engine.io.net_tx.unwrap());
    assert!(a.abs_diff(b) < 64 << 10, "sent {a} vs {b}");
    // Block I/O: both sources have the counters (what a tmpfs-backed write adds varies).
    assert!(ours.io.blk_write.is_some() && engine.io.blk_write.is_some());
}
