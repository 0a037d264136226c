//! Benchmark: load + normalise a 200-service compose file built with anchors and `<<` merge
//! keys, plus an override file touching every service. Prints min / median / mean.
//! Run: `cargo bench --bench compose_load`. Target: median under 20 ms.

use std::hint::black_box;
use std::time::{Duration, Instant};

use devbox::domain::compose::{LoadOptions, MemorySource, load};

const SERVICES: usize = 200;

fn base_file() -> String {
    let mut out = String::from(
        "name: bench\nx-common: &common\n  restart: unless-stopped\n  logging:\n    driver: json-file\n    options: {max-size: 10m}\n  environment: &env\n    TZ: UTC\n    LOG_LEVEL: ${LOG_LEVEL:-info}\n  healthcheck:\n    test: [\"CMD\", \"true\"]\n    interval: 10s\n    retries: 3\n  networks: [back]\nservices:\n",
    );
    for i in 0..SERVICES {
        let dep = if i > 0 {
            format!(
                "    depends_on:\n      svc{}:\n        condition: service_started\n",
                i - 1
            )
        } else {
            String::new()
        };
        out.push_str(&format!(
            "  svc{i}:\n    <<: *common\n    image: \"registry.local/svc{i}:${{TAG:-latest}}\"\n    ports:\n      - \"{}:8080\"\n    volumes:\n      - ./data/svc{i}:/data\n      - cache{}:/cache\n    environment:\n      <<: *env\n      INDEX: \"{i}\"\n{dep}",
            10000 + i,
            i % 10,
        ));
    }
    out.push_str("networks:\n  back: {}\nvolumes:\n");
    for v in 0..10 {
        out.push_str(&format!("  cache{v}: {{}}\n"));
    }
    out
}

fn override_file() -> String {
    let mut out = String::from("services:\n");
    for i in 0..SERVICES {
        out.push_str(&format!(
            "  svc{i}:\n    environment:\n      DEBUG: \"1\"\n    ports:\n      - \"{}:9229\"\n    command: [\"run\", \"--dev\"]\n",
            20000 + i
        ));
    }
    out
}

fn main() {
    let source = MemorySource::new()
        .with("/bench/compose.yaml", &base_file())
        .with("/bench/compose.override.yaml", &override_file());
    let opts = LoadOptions {
        files: vec![
            "/bench/compose.yaml".into(),
            "/bench/compose.override.yaml".into(),
        ],
        ..LoadOptions::for_dir("/bench")
    };
    let loaded = match load(&opts, &source) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("bench input does not load: {}", e.full_text());
            std::process::exit(1);
        }
    };
    assert_eq!(loaded.project.services.len(), SERVICES);
    for _ in 0..5 {
        black_box(load(&opts, &source).ok());
    }
    let mut samples: Vec<Duration> = (0..50)
        .map(|_| {
            let start = Instant::now();
            black_box(load(black_box(&opts), &source).ok());
            start.elapsed()
        })
        .collect();
    samples.sort();
    let mean = samples.iter().sum::<Duration>() / samples.len() as u32;
    println!(
        "compose_load: {SERVICES} services + override, {} samples: min {:.2} ms, median {:.2} ms, mean {:.2} ms (target < 20 ms)",
        samples.len(),
        samples[0].as_secs_f64() * 1e3,
        samples[samples.len() / 2].as_secs_f64() * 1e3,
        mean.as_secs_f64() * 1e3
    );
}
