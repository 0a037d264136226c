//! The watch's fast sync path against a real engine: the per-container receiver serves root
//! and numeric-user containers with the same owners, modes and contents the archive API
//! writes, reopens after a restart, and steps aside (archive API, with a notice when it could
//! not start) for an image without `sh` and for root without capabilities. Deletions go
//! through the receiver too, and fall back to `rm` as root for what its user cannot remove.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use bollard::Docker;
use bollard::models::{ContainerCreateBody, HostConfig};
use devbox::domain::sync::{FsChange, RuleSpec, ServiceWatchSpec, WatchSet, compile, plan};
use devbox::engine::sync::{SyncReport, SyncSession, apply};

struct Fixture {
    docker: Docker,
    project: String,
    dir: tempfile::TempDir,
    set: WatchSet,
    _guard: common::ProjectGuard,
}

impl Fixture {
    /// A project with one service `web` whose `src` syncs to `/tmp/app`.
    async fn new(prefix: &str) -> Option<Fixture> {
        let docker = common::engine_or_skip().await?;
        common::fixture_image(&docker).await;
        let project = common::unique_project(prefix);
        let guard = common::ProjectGuard::new(project.clone());
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("src")).unwrap();
        let root = dir.path().canonicalize().unwrap().display().to_string();
        let set = compile(&[ServiceWatchSpec {
            service: "web".into(),
            rules: vec![RuleSpec {
                path: format!("{root}/src"),
                action: "sync".into(),
                target: "/tmp/app".into(),
                ..RuleSpec::default()
            }],
            has_build: true,
            ..ServiceWatchSpec::default()
        }])
        .unwrap();
        Some(Fixture {
            docker,
            project,
            dir,
            set,
            _guard: guard,
        })
    }

    async fn container(&self, body: ContainerCreateBody) -> String {
        common::compose_container(&self.docker, &self.project, "web", 1, body).await
    }

    fn write(&self, rel: &str, text: &str, mode: u32) -> FsChange {
        use std::os::unix::fs::PermissionsExt as _;
        let path = self.dir.path().join("src").join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        devbox::watch::stat_change(&path.canonicalize().unwrap().display().to_string())
    }

    async fn sync(&self, changes: Vec<FsChange>, session: &mut SyncSession) -> SyncReport {
        let plans = plan(&self.set, &changes);
        assert_eq!(plans.len(), 1, "one plan for web");
        apply(&self.docker, &self.project, &self.set, &plans[0], session)
            .await
            .unwrap()
    }
}

fn sleeper(image: &str) -> ContainerCreateBody {
    ContainerCreateBody {
        image: Some(image.to_string()),
        cmd: Some(vec!["sleep".into(), "3600".into()]),
        ..Default::default()
    }
}

#[tokio::test]
async fn root_and_numeric_users_get_the_archive_apis_owners_modes_and_contents() {
    let Some(f) = Fixture::new("rcv").await else {
        return;
    };
    let image = common::FIXTURE_IMAGE;
    // Compare against the archive API in a twin container of another project.
    let twin = Fixture::new("rcvref").await.unwrap();
    for user in [None, Some("1000:1000")] {
        let body = ContainerCreateBody {
            user: user.map(str::to_owned),
            ..sleeper(image)
        };
        let fast = f.container(body.clone()).await;
        let reference = twin.container(body).await;
        let changes = vec![
            f.write("a.js", "one", 0o755),
            f.write("lib/b.txt", "two", 0o640),
        ];
        twin.write("a.js", "one", 0o755);
        twin.write("lib/b.txt", "two", 0o640);
        let twin_changes = vec![
            devbox::watch::stat_change(&twin_path(&twin, "a.js")),
            devbox::watch::stat_change(&twin_path(&twin, "lib/b.txt")),
        ];
        let report = f.sync(changes, &mut SyncSession::default()).await;
        assert_eq!(report.received, 1, "the receiver took it: {report:?}");
        assert!(report.notices.is_empty(), "{:?}", report.notices);
        let plans = plan(&twin.set, &twin_changes);
        let archive = apply(
            &twin.docker,
            &twin.project,
            &twin.set,
            &plans[0],
            &mut SyncSession::archive_only(),
        )
        .await
        .unwrap();
        assert_eq!(archive.received, 0);
        let listing = "cd /tmp/app && find . | sort | while read p; do stat -c '%n %u:%g %a %s %Y' \"$p\"; done; cat a.js lib/b.txt";
        let fast_view = common::exec_output(&f.docker, &fast, &["sh", "-c", listing]).await;
        let reference_view =
            common::exec_output(&twin.docker, &reference, &["sh", "-c", listing]).await;
        // Files: the same owners, modes, sizes and mtimes. Directories the tar only implies
        // (no header): the archive API creates them as root, the receiver as the container's
        // user, so a non-root app can write in them; their mtimes differ anyway.
        let (files, dirs) = files_and_dirs(&fast_view);
        let (reference_files, reference_dirs) = files_and_dirs(&reference_view);
        assert_eq!(files, reference_files, "user {user:?}");
        let owner = user.unwrap_or("0:0");
        assert!(
            dirs.iter().all(|d| d.contains(&format!(" {owner} 755 "))),
            "{dirs:?}"
        );
        assert!(
            reference_dirs.iter().all(|d| d.contains(" 0:0 755 ")),
            "{reference_dirs:?}"
        );
        assert!(fast_view.contains("onetwo"), "{fast_view}");
        common::remove_project(&f.project).await;
        common::remove_project(&twin.project).await;
    }
}

/// The listing's lines split into files (and the contents line) and the two directories.
fn files_and_dirs(view: &str) -> (Vec<String>, Vec<String>) {
    view.lines()
        .map(str::to_owned)
        .partition(|l| !(l.starts_with(". ") || l.starts_with("./lib ")))
}

fn twin_path(f: &Fixture, rel: &str) -> String {
    f.dir
        .path()
        .join("src")
        .join(rel)
        .canonicalize()
        .unwrap()
        .display()
        .to_string()
}

#[tokio::test]
async fn the_receiver_reopens_after_a_restart() {
    let Some(f) = Fixture::new("rcvrst").await else {
        return;
    };
    let id = f.container(sleeper(common::FIXTURE_IMAGE)).await;
    let mut session = SyncSession::default();
    let first = f
        .sync(vec![f.write("a.js", "one", 0o644)], &mut session)
        .await;
    assert_eq!(first.received, 1);
    f.docker.restart_container(&id, None).await.unwrap();
    let second = f
        .sync(vec![f.write("a.js", "two", 0o644)], &mut session)
        .await;
    assert_eq!(second.received, 1, "{second:?}");
    assert!(second.notices.is_empty(), "{:?}", second.notices);
    assert_eq!(
        common::exec_output(&f.docker, &id, &["cat", "/tmp/app/a.js"]).await,
        "two"
    );
}

#[tokio::test]
async fn an_image_without_sh_syncs_through_the_archive_api_and_says_so() {
    let Some(f) = Fixture::new("rcvbare").await else {
        return;
    };
    let image = common::bare_image(&f.docker).await;
    let id = f
        .container(ContainerCreateBody {
            image: Some(image),
            cmd: Some(vec!["/bin/busybox".into(), "sleep".into(), "3600".into()]),
            ..Default::default()
        })
        .await;
    let mut session = SyncSession::default();
    let report = f
        .sync(vec![f.write("a.js", "one", 0o644)], &mut session)
        .await;
    assert_eq!(report.received, 0);
    assert_eq!(report.notices.len(), 1, "{:?}", report.notices);
    assert!(
        report.notices[0].contains("archive API"),
        "{:?}",
        report.notices
    );
    let again = f
        .sync(vec![f.write("a.js", "two", 0o644)], &mut session)
        .await;
    assert!(again.notices.is_empty(), "said once per container");
    assert_eq!(
        common::exec_output(&f.docker, &id, &["/bin/busybox", "cat", "/tmp/app/a.js"]).await,
        "two"
    );
}

#[tokio::test]
async fn root_without_capabilities_uses_the_archive_api() {
    let Some(f) = Fixture::new("rcvcap").await else {
        return;
    };
    let id = f
        .container(ContainerCreateBody {
            host_config: Some(HostConfig {
                cap_drop: Some(vec!["ALL".into()]),
                ..Default::default()
            }),
            ..sleeper(common::FIXTURE_IMAGE)
        })
        .await;
    let report = f
        .sync(
            vec![f.write("a.js", "one", 0o644)],
            &mut SyncSession::default(),
        )
        .await;
    assert_eq!(
        report.received, 0,
        "root without CAP_CHOWN cannot keep owners"
    );
    assert!(report.notices.is_empty());
    assert_eq!(
        common::exec_output(&f.docker, &id, &["cat", "/tmp/app/a.js"]).await,
        "one"
    );
}

/// How many execs the engine created in the container between two instants (unix time, as
/// `seconds.nanoseconds`: the engine filters events to the nanosecond).
async fn execs_created(docker: &Docker, id: &str, since: &str, until: &str) -> usize {
    use futures_util::StreamExt as _;
    let filters = std::collections::HashMap::from([
        ("container".to_string(), vec![id.to_string()]),
        ("event".to_string(), vec!["exec_create".to_string()]),
    ]);
    let options = bollard::query_parameters::EventsOptionsBuilder::new()
        .since(since)
        .until(until)
        .filters(&filters)
        .build();
    docker.events(Some(options)).count().await
}

fn unix_now() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap();
    format!("{}.{:09}", now.as_secs(), now.subsec_nanos())
}

#[tokio::test]
async fn deletes_go_through_the_receiver_and_fall_back_to_root_for_what_it_cannot_remove() {
    let Some(f) = Fixture::new("rcvdel").await else {
        return;
    };
    let id = f
        .container(ContainerCreateBody {
            user: Some("1000:1000".into()),
            ..sleeper(common::FIXTURE_IMAGE)
        })
        .await;
    let mut session = SyncSession::default();
    let written = vec![
        f.write("a.js", "one", 0o644),
        f.write("locked/b.js", "two", 0o644),
    ];
    assert_eq!(f.sync(written, &mut session).await.received, 1);
    // A directory the container's user cannot write (as if the image had made it).
    common::exec_output_as(
        &f.docker,
        &id,
        Some("0"),
        &[
            "sh",
            "-c",
            "chown 0:0 /tmp/app/locked && chmod 755 /tmp/app/locked",
        ],
    )
    .await;
    let gone = |rel: &str| {
        let path = f.dir.path().canonicalize().unwrap().join("src").join(rel);
        std::fs::remove_file(&path).unwrap();
        devbox::watch::stat_change(&path.display().to_string())
    };

    let since = unix_now();
    let own = f.sync(vec![gone("a.js")], &mut session).await;
    assert_eq!(own.deleted, 1);
    let until = unix_now();
    assert_eq!(
        execs_created(&f.docker, &id, &since, &until).await,
        0,
        "the open receiver removes its user's own file"
    );

    let since = unix_now();
    let locked = f.sync(vec![gone("locked/b.js")], &mut session).await;
    assert_eq!(locked.deleted, 1);
    let until = unix_now();
    assert_eq!(
        execs_created(&f.docker, &id, &since, &until).await,
        1,
        "one `rm -rf` exec as root after the receiver's rm was refused"
    );
    let left = common::exec_output(&f.docker, &id, &["find", "/tmp/app"]).await;
    assert_eq!(
        left.split_whitespace().collect::<Vec<_>>(),
        ["/tmp/app", "/tmp/app/locked"]
    );
}
