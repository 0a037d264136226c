//! Time to healthy: `devbox up --wait` vs `docker-compose up --wait` on a 10-service stack with
//! a 3-deep `service_healthy` chain (1 s health interval), alternating in the same run, each
//! from nothing (`down` between runs, not timed). Prints every sample, the medians and the
//! ratio. Needs the engine, the fixture image (run any engine test once) and docker-compose.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn compose_bin() -> Option<PathBuf> {
    let mut dirs: Vec<String> = std::env::var("DEVBOX_TOOLS_BIN").ok().into_iter().collect();
    dirs.extend(
        std::env::var("PATH")
            .unwrap_or_default()
            .split(':')
            .map(str::to_owned),
    );
    dirs.push("/tmp/devbox-tools/venv/bin".to_owned());
    dirs.into_iter()
        .map(|d| Path::new(&d).join("docker-compose"))
        .find(|p| p.is_file())
}

/// Runs `<program> <command> <args>` for `project`: Compose takes `-p` before the subcommand,
/// devbox after it.
fn run(program: &Path, dir: &Path, project: &str, args: &[&str]) -> Result<Duration, String> {
    let mut cmd = Command::new(program);
    cmd.current_dir(dir);
    if program.ends_with("docker-compose") {
        cmd.args(["-p", project]).args(args);
    } else {
        cmd.arg(args[0]).args(["-p", project]).args(&args[1..]);
    }
    let start = Instant::now();
    let out = cmd
        .output()
        .map_err(|e| format!("{}: {e}", program.display()))?;
    let took = start.elapsed();
    if out.status.success() {
        Ok(took)
    } else {
        Err(format!(
            "{} {args:?} failed: {}",
            program.display(),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    if n == 0 {
        return 0.0;
    }
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn main() {
    let devbox = PathBuf::from(
        std::env::var("DEVBOX_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_devbox").to_owned()),
    );
    let Some(compose) = compose_bin() else {
        eprintln!("up_time: no docker-compose binary (PATH or DEVBOX_TOOLS_BIN); nothing measured");
        return;
    };
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/stacks/up_time");
    let rounds: usize = std::env::var("UP_TIME_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    // Warm-up: first container starts on a cold engine are slower for whoever goes first.
    let _ = run(&devbox, &dir, "uptime-warm", &["up", "-d", "--wait"]);
    let _ = run(&devbox, &dir, "uptime-warm", &["down"]);
    for round in 0..rounds {
        let order: [(&str, &Path); 2] = if round % 2 == 0 {
            [("devbox", devbox.as_path()), ("compose", compose.as_path())]
        } else {
            [("compose", compose.as_path()), ("devbox", devbox.as_path())]
        };
        for (who, bin) in order {
            let project = format!("uptime-{who}");
            match run(bin, &dir, &project, &["up", "-d", "--wait"]) {
                Ok(t) => {
                    println!("round {round} {who:8} {:.3} s", t.as_secs_f64());
                    if who == "devbox" {
                        ours.push(t.as_secs_f64())
                    } else {
                        theirs.push(t.as_secs_f64())
                    }
                }
                Err(e) => eprintln!("round {round} {who}: {e}"),
            }
            let _ = run(bin, &dir, &project, &["down"]);
        }
    }
    let (d, c) = (median(ours.clone()), median(theirs.clone()));
    println!("devbox  up --wait median {d:.3} s over {} runs", ours.len());
    println!(
        "compose up --wait median {c:.3} s over {} runs",
        theirs.len()
    );
    if c > 0.0 {
        println!("ratio devbox/compose {:.2}", d / c);
    }
}
