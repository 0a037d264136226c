//! Tests for the file-sync walk: order, excludes with lazy parents, includes, follow paths, links, mode bits.

use std::fs;
use std::os::unix::fs::symlink;

use super::*;

fn tree(files: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for file in files {
        let path = dir.path().join(file);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(&path, file.as_bytes()).expect("write");
    }
    dir
}

fn paths(nodes: &[Node]) -> Vec<&str> {
    nodes.iter().map(|n| n.stat.path.as_str()).collect()
}

fn excluding(patterns: &[&str]) -> Filter {
    Filter {
        excludes: vec![IgnoreMatcher::from_patterns(patterns).expect("patterns")],
        includes: None,
    }
}

#[test]
fn entries_come_sorted_by_name_in_each_directory_with_each_directory_before_its_children() {
    let dir = tree(&["b", "a.txt", "a/x", "a/c/y"]);
    let nodes = list(dir.path(), &Filter::default()).expect("list");
    assert_eq!(paths(&nodes), ["a", "a/c", "a/c/y", "a/x", "a.txt", "b"]);
    assert_eq!(nodes[0].stat.mode & GO_DIR, GO_DIR);
    assert!(!nodes[0].file);
    assert!(nodes[2].file);
    assert_eq!(nodes[2].stat.size, 5);
    assert_eq!((nodes[2].stat.uid, nodes[2].stat.gid), (0, 0));
}

#[test]
fn the_dockerfile_and_the_ignore_file_stay_out_when_the_ignore_file_says_so() {
    let dir = tree(&[
        "Dockerfile",
        ".dockerignore",
        "app.py",
        "node_modules/m/i.js",
    ]);
    let filter = excluding(&["Dockerfile", ".dockerignore", "node_modules"]);
    let nodes = list(dir.path(), &filter).expect("list");
    assert_eq!(paths(&nodes), ["app.py"]);
}

#[test]
fn an_excluded_directory_is_sent_just_before_the_first_file_an_exception_brings_back() {
    let dir = tree(&["docs/a.md", "docs/keep.md", "docs/z/q.md", "main.rs"]);
    let filter = excluding(&["docs", "!docs/keep.md"]);
    let nodes = list(dir.path(), &filter).expect("list");
    assert_eq!(paths(&nodes), ["docs", "docs/keep.md", "main.rs"]);
}

#[test]
fn include_patterns_send_only_their_matches_and_the_directories_above_them() {
    let dir = tree(&[
        ".dockerignore",
        "app.py",
        "deep/er/Dockerfile",
        "deep/other",
    ]);
    let only = |patterns: &[&str]| Filter {
        excludes: Vec::new(),
        includes: IncludeSet::new(
            dir.path(),
            &patterns.iter().map(|p| p.to_string()).collect::<Vec<_>>(),
            &[],
        ),
    };
    let nodes = list(dir.path(), &only(&[".dockerignore"])).expect("list");
    assert_eq!(paths(&nodes), [".dockerignore"]);
    let nodes = list(dir.path(), &only(&["deep/er/Dockerfile"])).expect("list");
    assert_eq!(paths(&nodes), ["deep", "deep/er", "deep/er/Dockerfile"]);
    let nodes = list(dir.path(), &only(&["**/Dockerfile"])).expect("list");
    assert_eq!(paths(&nodes), ["deep", "deep/er", "deep/er/Dockerfile"]);
}

#[test]
fn a_followed_symlink_brings_its_target_and_the_link_stays_a_link() {
    let dir = tree(&["build/Dockerfile.real", "other"]);
    symlink("build/Dockerfile.real", dir.path().join("Dockerfile")).expect("symlink");
    let filter = Filter {
        excludes: Vec::new(),
        includes: IncludeSet::new(dir.path(), &[], &["Dockerfile".to_owned()]),
    };
    let nodes = list(dir.path(), &filter).expect("list");
    assert_eq!(
        paths(&nodes),
        ["Dockerfile", "build", "build/Dockerfile.real"]
    );
    assert_eq!(nodes[0].stat.linkname, "build/Dockerfile.real");
    assert_eq!(nodes[0].stat.mode & GO_SYMLINK, GO_SYMLINK);
    assert!(!nodes[0].file, "a link's content is never requested");
}

#[test]
fn a_link_out_of_the_directory_is_sent_as_a_link_and_never_read() {
    let dir = tree(&["a"]);
    symlink("/etc/passwd", dir.path().join("leak")).expect("symlink");
    let nodes = list(dir.path(), &Filter::default()).expect("list");
    let leak = nodes.iter().find(|n| n.stat.path == "leak").expect("leak");
    assert!(!leak.file);
    assert_eq!(leak.stat.linkname, "/etc/passwd");
}

#[test]
fn setuid_and_permission_bits_use_go_file_mode_bits() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tree(&["tool"]);
    fs::set_permissions(dir.path().join("tool"), fs::Permissions::from_mode(0o4755))
        .expect("chmod");
    let nodes = list(dir.path(), &Filter::default()).expect("list");
    assert_eq!(nodes[0].stat.mode, 0o755 | GO_SETUID);
}
