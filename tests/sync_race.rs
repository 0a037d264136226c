//! The tar writer that watch and the build context share never sends a file from outside the
//! project, even while something renames a symlink to an outside file over a watched file in a
//! loop (a container can do that through a bind mount). A check of the path followed by an open
//! that follows links loses this race within milliseconds.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use devbox::engine::image::build_context::{EntryKind, append_path};

const SECRET: &[u8] = b"OUTSIDE-SECRET-0123456789";
const OUTSIDE: &[u8] = b"OUTSIDE";

#[test]
fn a_symlink_swapped_over_a_watched_file_never_sends_the_outside_file() {
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret");
    std::fs::write(&secret, SECRET).unwrap();
    let project = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(project.path()).unwrap();
    let watched = root.join("f");
    std::fs::write(&watched, b"inside content").unwrap();

    let stop = Arc::new(AtomicBool::new(false));
    let swapper = {
        let stop = stop.clone();
        let root = root.clone();
        std::thread::spawn(move || {
            let (link, file, target) = (root.join(".link"), root.join(".file"), root.join("f"));
            let mut swaps = 0u64;
            while !stop.load(Ordering::Relaxed) {
                let _ = std::fs::remove_file(&link);
                std::os::unix::fs::symlink(&secret, &link).unwrap();
                std::fs::rename(&link, &target).unwrap();
                std::fs::write(&file, b"inside content").unwrap();
                std::fs::rename(&file, &target).unwrap();
                swaps += 1;
            }
            swaps
        })
    };

    // A fixed budget of attempts and time, whichever ends first (not a timing assertion).
    let deadline = Instant::now() + Duration::from_secs(3);
    let mut sent = 0u64;
    let mut attempts = 0u64;
    while Instant::now() < deadline && attempts < 200_000 {
        attempts += 1;
        let mut builder = tar::Builder::new(Vec::new());
        match append_path(&mut builder, &root, &watched, "f", &EntryKind::File, (0, 0)) {
            Ok(()) => {}
            // Renamed away between calls: nothing sent, which is fine.
            Err(_) => continue,
        }
        let tar = builder.into_inner().unwrap();
        // Any prefix of the outside file counts: the old code read as many bytes as the
        // inside file's size from whatever the open reached.
        assert!(
            !tar.windows(OUTSIDE.len()).any(|w| w == OUTSIDE),
            "the outside file's content was sent (attempt {attempts})"
        );
        if tar.windows(14).any(|w| w == b"inside content") {
            sent += 1;
        }
    }
    stop.store(true, Ordering::Relaxed);
    let swaps = swapper.join().unwrap();
    assert!(swaps > 100, "the race did not run ({swaps} swaps)");
    assert!(
        sent > 0,
        "the inside file was never sent in {attempts} attempts"
    );
}
