//! Watch sync against a real engine on the fixture image: each action, an ignore/include
//! table written like a spec, delete and rename, a symlink out of the project not followed,
//! a stopped container during a delete, and a 2,000-file burst through the real watcher
//! after which the container's tree equals the host's (checksums of every file).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;
use std::time::Duration;

use bollard::Docker;
use bollard::query_parameters::InspectContainerOptions;
use devbox::domain::sync::{
    BuildIgnore, ExecHook, FsChange, RuleSpec, ServiceWatchSpec, WatchSet, compile, plan,
    plan_initial,
};
use devbox::engine::sync::{SyncSession, apply};
use devbox::watch::{FileWatcher, WatchOptions};

struct Fixture {
    docker: Docker,
    project: String,
    dir: tempfile::TempDir,
    _guard: common::ProjectGuard,
}

impl Fixture {
    async fn new(prefix: &str) -> Option<Fixture> {
        let docker = common::engine_or_skip().await?;
        common::fixture_image(&docker).await;
        let project = common::unique_project(prefix);
        let guard = common::ProjectGuard::new(project.clone());
        let dir = tempfile::tempdir().unwrap();
        Some(Fixture {
            docker,
            project,
            dir,
            _guard: guard,
        })
    }

    fn root(&self) -> String {
        self.dir
            .path()
            .canonicalize()
            .unwrap()
            .display()
            .to_string()
    }

    fn write(&self, rel: &str, text: &str) {
        let path = self.dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// A running container of `service`, labelled as Compose labels it.
    async fn container(&self, service: &str, number: u32) -> String {
        let body = bollard::models::ContainerCreateBody {
            image: Some(common::FIXTURE_IMAGE.to_string()),
            cmd: Some(vec!["sleep".into(), "3600".into()]),
            working_dir: Some("/app".into()),
            ..Default::default()
        };
        common::compose_container(&self.docker, &self.project, service, number, body).await
    }

    async fn sh(&self, id: &str, script: &str) -> String {
        common::exec_output(&self.docker, id, &["sh", "-c", script]).await
    }

    async fn started_at(&self, id: &str) -> String {
        let c = self
            .docker
            .inspect_container(id, None::<InspectContainerOptions>)
            .await
            .unwrap();
        c.state.unwrap().started_at.unwrap()
    }

    async fn run(&self, set: &WatchSet, changes: Vec<FsChange>, pending: &mut SyncSession) {
        for p in plan(set, &changes) {
            apply(&self.docker, &self.project, set, &p, pending)
                .await
                .unwrap();
        }
    }
}

fn rule(root: &str, path: &str, action: &str, target: &str) -> RuleSpec {
    RuleSpec {
        path: format!("{root}/{path}"),
        action: action.into(),
        target: target.into(),
        ..RuleSpec::default()
    }
}

fn spec(service: &str, rules: Vec<RuleSpec>) -> ServiceWatchSpec {
    ServiceWatchSpec {
        service: service.into(),
        rules,
        has_build: true,
        ..ServiceWatchSpec::default()
    }
}

fn changed(root: &str, rel: &str) -> FsChange {
    devbox::watch::stat_change(&format!("{root}/{rel}"))
}

#[tokio::test]
async fn each_action() {
    let Some(f) = Fixture::new("wact").await else {
        return;
    };
    let root = f.root();
    let id = f.container("web", 1).await;
    let mut hook = rule(&root, "hooked", "sync+exec", "/app/hooked");
    hook.exec = Some(ExecHook {
        command: vec!["sh".into(), "-c".into(), "echo ran-$X > /tmp/hook".into()],
        environment: vec![("X".into(), "1".into())],
        ..ExecHook::default()
    });
    let set = compile(&[spec(
        "web",
        vec![
            rule(&root, "src", "sync", "/app/src"),
            rule(&root, "conf", "sync+restart", "/etc/web"),
            rule(&root, "Procfile", "restart", ""),
            hook,
        ],
    )])
    .unwrap();
    let mut pending = SyncSession::default();

    f.write("src/a.js", "one");
    f.run(&set, vec![changed(&root, "src/a.js")], &mut pending)
        .await;
    assert_eq!(f.sh(&id, "cat /app/src/a.js").await, "one");

    let before = f.started_at(&id).await;
    f.write("conf/web.conf", "x=1");
    f.run(&set, vec![changed(&root, "conf/web.conf")], &mut pending)
        .await;
    assert_eq!(f.sh(&id, "cat /etc/web/web.conf").await, "x=1");
    let after_sync_restart = f.started_at(&id).await;
    assert_ne!(before, after_sync_restart);

    f.write("Procfile", "web: x");
    f.run(&set, vec![changed(&root, "Procfile")], &mut pending)
        .await;
    assert_ne!(f.started_at(&id).await, after_sync_restart);
    assert_eq!(
        f.sh(&id, "ls /app/Procfile 2>&1 | grep -c 'No such'")
            .await
            .trim(),
        "1"
    );

    f.write("hooked/h.txt", "h");
    f.run(&set, vec![changed(&root, "hooked/h.txt")], &mut pending)
        .await;
    assert_eq!(
        f.sh(&id, "cat /app/hooked/h.txt /tmp/hook").await,
        "hran-1\n"
    );
}

#[tokio::test]
async fn ignore_and_include_table() {
    let Some(f) = Fixture::new("wtab").await else {
        return;
    };
    let root = f.root();
    let id = f.container("web", 1).await;
    for rel in [
        "src/a.js",
        "src/lib/b.js",
        "src/a.test.js",
        "src/.a.js.swp",
        "src/a.js~",
        "node_modules/x",
        "pkg/node_modules/y",
        "dist/bundle.js",
        ".git/HEAD",
        "sub/.git/config",
        "docs/guide.md",
        "docs/deep/notes.md",
        "docs/deep/notes.txt",
    ] {
        f.write(rel, rel);
    }
    let mut app = rule(&root, "", "sync", "/app");
    app.path = root.clone();
    app.ignore = vec!["node_modules/".into(), "**/*.test.js".into(), "docs".into()];
    app.initial_sync = true;
    let mut docs = rule(&root, "docs", "sync", "/docs");
    docs.include = vec!["**/*.md".into()];
    docs.initial_sync = true;
    let mut web = spec("web", vec![app, docs]);
    web.build_ignore = Some(BuildIgnore {
        context: root.clone(),
        file: format!("{root}/.dockerignore"),
        text: "dist\n".into(),
    });
    let set = compile(&[web]).unwrap();
    let roots = vec![changed(&root, ""), changed(&root, "docs")];
    let mut pending = SyncSession::default();
    for p in plan_initial(&set, &roots) {
        apply(&f.docker, &f.project, &set, &p, &mut pending)
            .await
            .unwrap();
    }
    let listing = f.sh(&id, "find /app /docs -type f | sort").await;
    let files: Vec<&str> = listing.lines().collect();
    let syncs = |host: &str, container: &str| {
        assert!(
            files.contains(&container),
            "{host} should sync to {container}: {files:?}"
        );
    };
    let ignored = |host: &str| {
        assert!(
            !files.iter().any(|f| f.ends_with(host)),
            "{host} should be ignored: {files:?}"
        );
    };
    syncs("src/a.js", "/app/src/a.js");
    syncs("src/lib/b.js", "/app/src/lib/b.js");
    syncs("pkg/node_modules/y", "/app/pkg/node_modules/y");
    syncs("docs/guide.md", "/docs/guide.md");
    syncs("docs/deep/notes.md", "/docs/deep/notes.md");
    ignored("node_modules/x");
    ignored("src/a.test.js");
    ignored("src/.a.js.swp");
    ignored("src/a.js~");
    ignored("dist/bundle.js");
    ignored(".git/HEAD");
    ignored("sub/.git/config");
    ignored("docs/deep/notes.txt");
    ignored("/app/docs/guide.md");
    assert_eq!(files.len(), 5, "{files:?}");
}

#[tokio::test]
async fn delete_rename_and_symlinks() {
    let Some(f) = Fixture::new("wdel").await else {
        return;
    };
    let root = f.root();
    let id = f.container("web", 1).await;
    let set = compile(&[spec("web", vec![rule(&root, "src", "sync", "/app/src")])]).unwrap();
    let mut pending = SyncSession::default();
    f.write("src/old.js", "o");
    f.write("src/gone/x.js", "x");
    f.run(&set, vec![changed(&root, "src")], &mut pending).await;
    assert_eq!(
        f.sh(&id, "cat /app/src/old.js /app/src/gone/x.js").await,
        "ox"
    );

    std::fs::rename(
        f.dir.path().join("src/old.js"),
        f.dir.path().join("src/new.js"),
    )
    .unwrap();
    std::fs::remove_dir_all(f.dir.path().join("src/gone")).unwrap();
    let changes = vec![
        changed(&root, "src/old.js"),
        changed(&root, "src/new.js"),
        changed(&root, "src/gone"),
    ];
    f.run(&set, changes, &mut pending).await;
    assert_eq!(
        f.sh(&id, "cd /app/src && find . | sort").await,
        ".\n./new.js\n"
    );

    // A link pointing out of the project arrives as a link; what it points at is not sent.
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret"), "host secret").unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret"), f.dir.path().join("src/link"))
        .unwrap();
    std::os::unix::fs::symlink(outside.path(), f.dir.path().join("src/linkdir")).unwrap();
    let changes = vec![
        changed(&root, "src/link"),
        changed(&root, "src/linkdir"),
        changed(&root, "src/linkdir/secret"),
    ];
    f.run(&set, changes, &mut pending).await;
    let out = f.sh(&id, "readlink /app/src/link; readlink /app/src/linkdir; cat /app/src/link 2>&1; ls /app/src").await;
    let expected_target = outside.path().join("secret").display().to_string();
    assert!(
        out.starts_with(&format!(
            "{expected_target}\n{}\n",
            outside.path().display()
        )),
        "{out}"
    );
    assert!(!out.contains("host secret"), "{out}");
}

#[tokio::test]
async fn stopped_container_during_a_delete() {
    let Some(f) = Fixture::new("wstop").await else {
        return;
    };
    let root = f.root();
    let running = f.container("web", 1).await;
    let stopped = f.container("web", 2).await;
    let set = compile(&[spec("web", vec![rule(&root, "src", "sync", "/app/src")])]).unwrap();
    let mut pending = SyncSession::default();
    f.write("src/a.js", "a");
    f.run(&set, vec![changed(&root, "src/a.js")], &mut pending)
        .await;
    f.docker.stop_container(&stopped, None).await.unwrap();

    std::fs::remove_file(f.dir.path().join("src/a.js")).unwrap();
    f.write("src/b.js", "b");
    let p = plan(
        &set,
        &[changed(&root, "src/a.js"), changed(&root, "src/b.js")],
    );
    let report = apply(&f.docker, &f.project, &set, &p[0], &mut pending)
        .await
        .unwrap();
    assert_eq!(
        (
            report.containers,
            report.deferred,
            pending.pending_deletes()
        ),
        (2, 1, 1)
    );
    assert_eq!(f.sh(&running, "ls /app/src").await, "b.js\n");

    f.docker.start_container(&stopped, None).await.unwrap();
    assert_eq!(f.sh(&stopped, "ls /app/src").await, "a.js\nb.js\n");
    f.write("src/c.js", "c");
    f.run(&set, vec![changed(&root, "src/c.js")], &mut pending)
        .await;
    assert_eq!(f.sh(&stopped, "ls /app/src").await, "b.js\nc.js\n");
    assert_eq!(pending.pending_deletes(), 0);
}

#[tokio::test]
async fn burst_of_2000_files_ends_equal() {
    let Some(f) = Fixture::new("wburst").await else {
        return;
    };
    let root = f.root();
    let id = f.container("web", 1).await;
    std::fs::create_dir(f.dir.path().join("src")).unwrap();
    let set =
        Arc::new(compile(&[spec("web", vec![rule(&root, "src", "sync", "/app/src")])]).unwrap());
    let mut watcher = FileWatcher::start(Arc::clone(&set), WatchOptions::default()).unwrap();
    let writer = {
        let base = f.dir.path().join("src");
        std::thread::spawn(move || {
            for i in 0..2000 {
                let path = base.join(format!("d{}/f{i}.txt", i % 40));
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, format!("first {i}")).unwrap();
            }
            for i in (0..2000).step_by(3) {
                std::fs::write(
                    base.join(format!("d{}/f{i}.txt", i % 40)),
                    format!("edited {i}"),
                )
                .unwrap();
            }
            for i in (1..2000).step_by(7) {
                std::fs::remove_file(base.join(format!("d{}/f{i}.txt", i % 40))).unwrap();
            }
        })
    };
    let mut pending = SyncSession::default();
    let mut batches = 0;
    loop {
        let next = tokio::time::timeout(Duration::from_secs(2), watcher.next_batch()).await;
        let Ok(Some(batch)) = next else { break };
        batches += 1;
        f.run(&set, batch, &mut pending).await;
    }
    writer.join().unwrap();
    let host = common::trees::host_sums(&f.dir.path().join("src"));
    let container = common::trees::container_sums(&f.docker, &id, "/app/src").await;
    assert_eq!(host.len(), 2000 - 286);
    let diff = common::trees::compare(&host, &container);
    assert!(diff == "equal", "after {batches} batches: {diff}");
    assert!(batches < 200, "{batches} batches for one burst");
}

#[tokio::test]
async fn symlinked_target_dir_and_dir_replaced_by_file() {
    let Some(f) = Fixture::new("wlink").await else {
        return;
    };
    let root = f.root();
    let id = f.container("web", 1).await;
    f.sh(&id, "mkdir -p /srv/real /app && ln -s /srv/real /app/link")
        .await;
    let set = compile(&[spec(
        "web",
        vec![
            rule(&root, "assets", "sync", "/app/link"),
            rule(&root, "src", "sync", "/app/src"),
        ],
    )])
    .unwrap();
    let mut pending = SyncSession::default();
    // The image's symlinked directory stays a link; the files land where it points.
    f.write("assets/sub/a.txt", "a");
    f.run(&set, vec![changed(&root, "assets")], &mut pending)
        .await;
    let out = f
        .sh(&id, "readlink /app/link; cat /srv/real/sub/a.txt")
        .await;
    assert_eq!(out, "/srv/real\na");

    // A directory in the container that became a file on the host.
    f.write("src/x/inner.txt", "i");
    f.run(&set, vec![changed(&root, "src/x")], &mut pending)
        .await;
    std::fs::remove_dir_all(f.dir.path().join("src/x")).unwrap();
    f.write("src/x", "now a file");
    f.run(
        &set,
        vec![changed(&root, "src/x/inner.txt"), changed(&root, "src/x")],
        &mut pending,
    )
    .await;
    assert_eq!(f.sh(&id, "cat /app/src/x").await, "now a file");
}
