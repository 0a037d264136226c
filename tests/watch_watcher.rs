//! The notify edge on a real file system (no engine): ignored trees are not watched, new
//! directories are picked up with their contents, the inotify budget falls back to polling,
//! and a full channel loses nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use devbox::domain::sync::{BuildIgnore, RuleSpec, ServiceWatchSpec, WatchSet, compile};
use devbox::watch::{FileWatcher, WatchOptions};

fn set_for(root: &Path) -> Arc<WatchSet> {
    let root = root.to_str().unwrap().to_string();
    Arc::new(
        compile(&[ServiceWatchSpec {
            service: "web".into(),
            rules: vec![RuleSpec {
                path: root.clone(),
                action: "sync".into(),
                target: "/app".into(),
                ignore: vec!["tmp/".into()],
                ..RuleSpec::default()
            }],
            has_build: true,
            build_ignore: Some(BuildIgnore {
                context: root.clone(),
                file: format!("{root}/.dockerignore"),
                text: "node_modules\n".into(),
            }),
            bind_sources: vec![],
        }])
        .unwrap(),
    )
}

fn mkfiles(root: &Path, rels: &[&str]) {
    for rel in rels {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, rel).unwrap();
    }
}

/// Collects batches until every wanted path was seen (or 10 s pass).
async fn collect_until(
    watcher: &mut FileWatcher,
    root: &Path,
    wanted: &[&str],
) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !wanted.iter().all(|w| seen.contains(*w)) {
        let batch = tokio::time::timeout_at(deadline, watcher.next_batch()).await;
        let Ok(Some(batch)) = batch else { break };
        for change in batch {
            let rel = Path::new(&change.path).strip_prefix(root).unwrap();
            seen.insert(rel.display().to_string());
        }
    }
    seen
}

#[tokio::test]
async fn ignored_trees_are_not_watched() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    let mut files = vec![
        "src/a.js".to_string(),
        "src/lib/b.js".to_string(),
        ".git/HEAD".to_string(),
    ];
    for i in 0..50 {
        files.push(format!("node_modules/p{i}/index.js"));
    }
    files.push("tmp/cache/x".into());
    mkfiles(&root, &files.iter().map(String::as_str).collect::<Vec<_>>());
    let watcher = FileWatcher::start(set_for(&root), WatchOptions::default()).unwrap();
    let stats = watcher.stats();
    // root, src, src/lib: node_modules (51 dirs), .git and tmp (2 dirs) are skipped whole.
    assert_eq!(stats.watched_dirs, 3, "{stats:?}");
    assert_eq!(stats.skipped_dirs, 3, "{stats:?}");
    assert_eq!(stats.limit, None);
}

#[tokio::test]
async fn changes_new_dirs_and_ignored_files() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    mkfiles(&root, &["src/a.js"]);
    let mut watcher = FileWatcher::start(set_for(&root), WatchOptions::default()).unwrap();
    mkfiles(&root, &["src/.a.js.swp", "node_modules/x.js", "src/a.js"]);
    let seen = collect_until(&mut watcher, &root, &["src/a.js"]).await;
    assert_eq!(seen, BTreeSet::from(["src/a.js".to_string()]));
    // A directory tree created at once: the files inside arrive even if written before the
    // watch on the new directory existed.
    mkfiles(&root, &["src/new/deep/c.js"]);
    let seen = collect_until(&mut watcher, &root, &["src/new/deep/c.js"]).await;
    assert!(seen.contains("src/new/deep/c.js"), "{seen:?}");
    // The new directory is now watched itself.
    mkfiles(&root, &["src/new/deep/d.js"]);
    let seen = collect_until(&mut watcher, &root, &["src/new/deep/d.js"]).await;
    assert!(seen.contains("src/new/deep/d.js"), "{seen:?}");
    std::fs::remove_file(root.join("src/a.js")).unwrap();
    let batch = loop {
        let batch = watcher.next_batch().await.unwrap();
        if batch.iter().any(|c| c.path.ends_with("src/a.js")) {
            break batch;
        }
    };
    let change = batch.iter().find(|c| c.path.ends_with("src/a.js")).unwrap();
    assert!(!change.exists);
}

#[tokio::test]
async fn watch_budget_falls_back_to_polling() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    mkfiles(&root, &["a/x", "b/y", "c/z"]);
    let options = WatchOptions {
        max_inotify_dirs: Some(1),
        poll_interval: Duration::from_millis(50),
        ..WatchOptions::default()
    };
    let mut watcher = FileWatcher::start(set_for(&root), options).unwrap();
    let stats = watcher.stats();
    assert_eq!((stats.watched_dirs, stats.polled_dirs), (1, 3), "{stats:?}");
    let limit = stats.limit.clone().unwrap();
    assert_eq!(limit.sysctl, "fs.inotify.max_user_watches");
    let message = limit.message(stats.polled_dirs);
    assert!(
        message.contains("sudo sysctl fs.inotify.max_user_watches=524288"),
        "{message}"
    );
    assert!(message.contains("polling 3 directories"), "{message}");
    // notify's poller compares mtimes in whole seconds: change the file in a later second.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    std::fs::write(root.join("c/z"), "changed, longer").unwrap();
    let seen = collect_until(&mut watcher, &root, &["c/z"]).await;
    assert!(seen.contains("c/z"), "{seen:?}");
}

#[tokio::test]
async fn full_channel_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    mkfiles(&root, &["d/keep"]);
    let options = WatchOptions {
        channel_capacity: 4,
        ..WatchOptions::default()
    };
    let mut watcher = FileWatcher::start(set_for(&root), options).unwrap();
    let names: Vec<String> = (0..300).map(|i| format!("d/f{i}")).collect();
    mkfiles(&root, &names.iter().map(String::as_str).collect::<Vec<_>>());
    let wanted: Vec<&str> = names.iter().map(String::as_str).collect();
    let seen = collect_until(&mut watcher, &root, &wanted).await;
    assert!(
        wanted.iter().all(|w| seen.contains(*w)),
        "missing some of 300"
    );
    assert!(watcher.stats().overflowed > 0);
}

/// Issue 19 item 9: a watched root that is deleted and created again (a `git checkout` of
/// another branch, `rm -rf src && cp -r …`) is watched again, with what was written into it.
#[tokio::test]
async fn a_root_deleted_and_created_again_is_watched_again() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    mkfiles(&root, &["src/a.js"]);
    let mut watcher =
        FileWatcher::start(set_for(&root.join("src")), WatchOptions::default()).unwrap();
    std::fs::remove_dir_all(root.join("src")).unwrap();
    let gone = collect_until(&mut watcher, &root, &["src/a.js"]).await;
    assert!(gone.contains("src/a.js"), "{gone:?}");
    mkfiles(&root, &["src/b.js"]);
    let back = collect_until(&mut watcher, &root, &["src/b.js"]).await;
    assert!(back.contains("src/b.js"), "{back:?}");
    // And it stays watched: a later edit arrives.
    tokio::time::sleep(Duration::from_millis(200)).await;
    mkfiles(&root, &["src/c.js"]);
    let later = collect_until(&mut watcher, &root, &["src/c.js"]).await;
    assert!(later.contains("src/c.js"), "{later:?}");
}

/// Issue 19 item 9: a file whose name is not UTF-8 cannot be matched by the rules (text), so it
/// is not synced; the watcher counts it, names it with its bytes escaped and raises a notice.
#[tokio::test]
async fn a_name_that_is_not_utf8_is_reported_not_dropped() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    mkfiles(&root, &["src/a.js"]);
    let mut watcher = FileWatcher::start(set_for(&root), WatchOptions::default()).unwrap();
    let name = std::ffi::OsStr::from_bytes(b"caf\xE9.txt");
    std::fs::write(root.join("src").join(name), "x").unwrap();
    mkfiles(&root, &["src/b.js"]);
    tokio::time::timeout(Duration::from_secs(10), watcher.notices().notified())
        .await
        .expect("a notice");
    let seen = collect_until(&mut watcher, &root, &["src/b.js"]).await;
    assert!(seen.contains("src/b.js"), "{seen:?}");
    let stats = watcher.stats();
    assert_eq!(stats.non_utf8, 1);
    let example = stats.non_utf8_example.unwrap();
    assert!(example.ends_with("src/caf\\xE9.txt"), "{example}");
}
