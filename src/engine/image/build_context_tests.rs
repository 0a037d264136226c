//! The context walk and tar writer on real trees.

use super::*;

fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (rel, text) in files {
        let path = dir.path().join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    dir
}

fn rels(entries: &[ContextEntry]) -> Vec<&str> {
    entries.iter().map(|e| e.rel.as_str()).collect()
}

#[test]
fn sorted_pruned_and_build_files_forced() {
    let dir = tree(&[
        ("Dockerfile", "FROM x"),
        (".dockerignore", "*\n!src\n"),
        ("src/b.rs", ""),
        ("src/a.rs", ""),
        ("target/big", ""),
    ]);
    let entries = collect(dir.path(), "Dockerfile").unwrap();
    assert_eq!(
        rels(&entries),
        [".dockerignore", "Dockerfile", "src", "src/a.rs", "src/b.rs"]
    );
}

#[test]
fn exception_inside_an_excluded_dir_is_walked() {
    let dir = tree(&[
        (
            ".dockerignore",
            "node_modules\n!node_modules/pkg/keep.txt\n",
        ),
        ("node_modules/pkg/keep.txt", ""),
        ("node_modules/pkg/index.js", ""),
    ]);
    let entries = collect(dir.path(), "Dockerfile").unwrap();
    assert_eq!(
        rels(&entries),
        [".dockerignore", "node_modules/pkg/keep.txt"]
    );
}

#[test]
fn symlinks_are_links_and_tar_is_readable() {
    let dir = tree(&[("a.txt", "hello")]);
    std::os::unix::fs::symlink("/etc/passwd", dir.path().join("link")).unwrap();
    let entries = collect(dir.path(), "Dockerfile").unwrap();
    assert_eq!(
        entries[1].kind,
        EntryKind::Symlink(PathBuf::from("/etc/passwd"))
    );
    let bytes = context_tar(dir.path(), "Dockerfile").unwrap();
    let mut archive = tar::Archive::new(bytes.as_slice());
    let mut seen = Vec::new();
    for entry in archive.entries().unwrap() {
        let entry = entry.unwrap();
        let header = entry.header();
        seen.push((
            entry.path().unwrap().display().to_string(),
            header.entry_type(),
            header.uid().unwrap(),
            header.size().unwrap(),
        ));
    }
    assert_eq!(
        seen,
        [
            ("a.txt".to_string(), tar::EntryType::Regular, 0, 5),
            ("link".to_string(), tar::EntryType::Symlink, 0, 0),
        ]
    );
}

#[test]
fn bad_ignore_file_names_the_file_and_line() {
    let dir = tree(&[(".dockerignore", "ok\n[\n")]);
    let err = collect(dir.path(), "Dockerfile").unwrap_err().to_string();
    assert!(
        err.ends_with(".dockerignore: line 2: pattern `[`: syntax error in pattern"),
        "{err}"
    );
}

#[tokio::test]
async fn stream_equals_in_memory_tar() {
    use futures_util::StreamExt;
    let big = "x".repeat(600 * 1024);
    let dir = tree(&[("big.bin", big.as_str()), ("small", "s")]);
    let whole = context_tar(dir.path(), "Dockerfile").unwrap();
    let mut streamed = Vec::new();
    let mut stream = std::pin::pin!(context_stream(dir.path().into(), "Dockerfile".into()));
    let mut chunks = 0;
    while let Some(chunk) = stream.next().await {
        streamed.extend_from_slice(&chunk.unwrap());
        chunks += 1;
    }
    assert!(chunks > 1);
    assert_eq!(streamed, whole);
}

/// `devbox context` promises the byte count devbox streams: its arithmetic must equal the
/// tar the writer produces, for long names, long link targets, odd sizes and empty files.
#[test]
fn the_report_counts_the_tar_that_is_written() {
    let deep = format!("{}/{}", "d".repeat(60), "e".repeat(50));
    let long_file = format!("{deep}/{}.txt", "f".repeat(40));
    let odd = "y".repeat(513);
    let dir = tree(&[
        ("Dockerfile", "FROM scratch\nCOPY . /\n"),
        (".dockerignore", "node_modules\n*.log\n!keep.log\n"),
        ("a.txt", "hello"),
        ("empty", ""),
        ("odd.bin", odd.as_str()),
        ("x.log", "gone"),
        ("keep.log", "kept"),
        ("node_modules/pkg/index.js", "module.exports = 1"),
        (long_file.as_str(), "long"),
    ]);
    std::os::unix::fs::symlink("t".repeat(150), dir.path().join("far")).unwrap();
    std::os::unix::fs::symlink("a.txt", dir.path().join("near")).unwrap();
    let tar = context_tar(dir.path(), "Dockerfile").unwrap();
    let summary = super::super::context_report::report(dir.path(), "Dockerfile", 5).unwrap();
    assert_eq!(summary.report.tar_bytes, tar.len() as u64);
    let entries = collect(dir.path(), "Dockerfile").unwrap();
    let sent = &summary.report.sent;
    assert_eq!(
        (sent.files + sent.dirs + sent.links) as usize,
        entries.len()
    );
    assert_eq!(sent.links, 2);
    let mut archive = tar::Archive::new(tar.as_slice());
    let file_bytes: u64 = archive
        .entries()
        .unwrap()
        .map(|e| e.unwrap().header().size().unwrap())
        .sum();
    assert_eq!(sent.bytes, file_bytes);
    assert_eq!(summary.report.excluded.files, 2, "x.log and index.js");
    assert_eq!(summary.report.excluded.dirs, 2, "node_modules and pkg");
}
