//! Shared helpers for engine tests: connect or skip, the local busybox fixture image, unique
//! project names, and a guard that removes everything a test project created, also on failure.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};

use bollard::Docker;
use bollard::query_parameters::{
    CreateImageOptionsBuilder, ListContainersOptionsBuilder, ListImagesOptionsBuilder,
    ListNetworksOptions, ListVolumesOptions, RemoveContainerOptionsBuilder,
    RemoveImageOptionsBuilder,
};
use futures_util::StreamExt;

pub mod registry;
pub mod screen;
pub mod trees;

/// The image every engine test builds on: busybox-static with its applets linked.
pub const FIXTURE_IMAGE: &str = "devbox-fixture/busybox:1";

/// Connects to the engine, or prints `skipped: no Docker engine` and returns `None`.
/// With `DEVBOX_REQUIRE_DOCKER=1` (set by CI) an unreachable engine fails the test instead.
pub async fn engine_or_skip() -> Option<Docker> {
    match devbox::engine::connect::client::connect().await {
        Ok(engine) => Some(engine.docker),
        Err(err) => {
            if std::env::var("DEVBOX_REQUIRE_DOCKER").as_deref() == Ok("1") {
                panic!("DEVBOX_REQUIRE_DOCKER=1 but no Docker engine answers: {err}");
            }
            eprintln!("skipped: no Docker engine ({err})");
            None
        }
    }
}

/// A project name no other test (or run) uses.
pub fn unique_project(prefix: &str) -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!("dbxt-{prefix}-{}-{n}-{nanos:x}", std::process::id())
}

/// Imports the fixture image from the host's busybox-static binary unless it exists already.
pub async fn fixture_image(docker: &Docker) -> String {
    if docker.inspect_image(FIXTURE_IMAGE).await.is_ok() {
        return FIXTURE_IMAGE.to_string();
    }
    import_image(docker, busybox_rootfs_tar(), "devbox-fixture/busybox", "1").await
}

/// Imports a root file system tar as `repo:tag` (no registry needed) and returns the name.
async fn import_image(docker: &Docker, rootfs: Vec<u8>, repo: &str, tag: &str) -> String {
    // `repo:tag` in `repo` alone: Podman before 4.6 ignores `tag` on an import (and names the
    // image `repo:latest`); both engines take the combined form.
    let options = CreateImageOptionsBuilder::new()
        .from_src("-")
        .repo(&format!("{repo}:{tag}"))
        .build();
    let mut stream =
        docker.create_image(Some(options), Some(bollard::body_full(rootfs.into())), None);
    while let Some(item) = stream.next().await {
        if let Err(err) = item {
            panic!("importing {repo}:{tag} failed: {err}");
        }
    }
    format!("{repo}:{tag}")
}

fn busybox_path() -> std::path::PathBuf {
    if let Ok(path) = std::env::var("DEVBOX_BUSYBOX") {
        return path.into();
    }
    for candidate in ["/bin/busybox", "/usr/bin/busybox"] {
        if std::path::Path::new(candidate).exists() {
            return candidate.into();
        }
    }
    panic!("no busybox binary: install Debian's busybox-static (apt-get install busybox-static)");
}

/// A root file system: /bin/busybox, a link per applet, /etc/passwd with root, nobody and
/// uid 1000 `app`, and a world-writable /tmp.
fn busybox_rootfs_tar() -> Vec<u8> {
    let busybox = busybox_path();
    let binary = std::fs::read(&busybox).expect("read busybox");
    let list = std::process::Command::new(&busybox)
        .arg("--list-full")
        .output()
        .expect("run busybox --list-full");
    let applets = String::from_utf8_lossy(&list.stdout).to_string();

    let mut tar = tar::Builder::new(Vec::new());
    let mut dirs: Vec<&str> = vec!["bin", "sbin", "usr", "usr/bin", "usr/sbin", "etc", "root"];
    dirs.extend([
        "home", "home/app", "var", "var/run", "app", "proc", "sys", "dev",
    ]);
    for dir in dirs {
        append_dir(&mut tar, dir, 0o755, 0);
    }
    append_dir(&mut tar, "tmp", 0o1777, 0);
    append_file(&mut tar, "bin/busybox", &binary, 0o755);
    let passwd = "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n";
    let group = "root:x:0:\napp:x:1000:\nnogroup:x:65534:\n";
    append_file(&mut tar, "etc/passwd", passwd.as_bytes(), 0o644);
    append_file(&mut tar, "etc/group", group.as_bytes(), 0o644);
    for applet in applets.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let applet = applet.trim_start_matches('/');
        if applet == "bin/busybox" {
            continue;
        }
        let mut header = tar::Header::new_gnu();
        header.set_entry_type(tar::EntryType::Symlink);
        header.set_size(0);
        header.set_mode(0o777);
        tar.append_link(&mut header, applet, "/bin/busybox")
            .expect("append applet link");
    }
    tar.into_inner().expect("finish rootfs tar")
}

fn append_dir(tar: &mut tar::Builder<Vec<u8>>, path: &str, mode: u32, uid: u64) {
    let mut header = tar::Header::new_gnu();
    header.set_entry_type(tar::EntryType::Directory);
    header.set_size(0);
    header.set_mode(mode);
    header.set_uid(uid);
    tar.append_data(&mut header, format!("{path}/"), std::io::empty())
        .expect("append dir");
}

fn append_file(tar: &mut tar::Builder<Vec<u8>>, path: &str, data: &[u8], mode: u32) {
    let mut header = tar::Header::new_gnu();
    header.set_size(data.len() as u64);
    header.set_mode(mode);
    tar.append_data(&mut header, path, data)
        .expect("append file");
}

/// Removes every container, network, volume and image labelled with the project when dropped,
/// so a failing test leaves nothing behind.
pub struct ProjectGuard {
    pub project: String,
}

impl ProjectGuard {
    pub fn new(project: impl Into<String>) -> Self {
        Self {
            project: project.into(),
        }
    }
}

impl Drop for ProjectGuard {
    fn drop(&mut self) {
        let project = self.project.clone();
        // Drop may run inside a tokio runtime; a fresh thread with its own runtime avoids
        // blocking (or nesting) the test's runtime.
        let handle = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("cleanup runtime");
            rt.block_on(remove_project(&project));
        });
        let _ = handle.join();
    }
}

/// Removes everything labelled `com.docker.compose.project=<project>`.
pub async fn remove_project(project: &str) {
    let Ok(engine) = devbox::engine::connect::client::connect().await else {
        return;
    };
    let docker = engine.docker;
    let label = format!("com.docker.compose.project={project}");
    let filters: HashMap<String, Vec<String>> =
        HashMap::from([("label".to_string(), vec![label.clone()])]);
    let list = ListContainersOptionsBuilder::new()
        .all(true)
        .filters(&filters)
        .build();
    if let Ok(containers) = docker.list_containers(Some(list)).await {
        for c in containers {
            if let Some(id) = c.id {
                let opts = RemoveContainerOptionsBuilder::new()
                    .force(true)
                    .v(true)
                    .build();
                let _ = docker.remove_container(&id, Some(opts)).await;
            }
        }
    }
    let net_opts = ListNetworksOptions {
        filters: Some(filters.clone()),
    };
    if let Ok(networks) = docker.list_networks(Some(net_opts)).await {
        for n in networks {
            if let Some(id) = n.id {
                let _ = docker.remove_network(&id).await;
            }
        }
    }
    let vol_opts = ListVolumesOptions {
        filters: Some(filters.clone()),
    };
    if let Ok(volumes) = docker.list_volumes(Some(vol_opts)).await {
        for v in volumes.volumes.unwrap_or_default() {
            let _ = docker
                .remove_volume(
                    &v.name,
                    None::<bollard::query_parameters::RemoveVolumeOptions>,
                )
                .await;
        }
    }
    let img_opts = ListImagesOptionsBuilder::new().filters(&filters).build();
    if let Ok(images) = docker.list_images(Some(img_opts)).await {
        for image in images {
            let opts = RemoveImageOptionsBuilder::new().force(true).build();
            let _ = docker.remove_image(&image.id, Some(opts), None).await;
        }
    }
    // Docker Compose does not label the images it builds; they are named `<project>-<service>`
    // (and the project names of tests are unique).
    let prefix = format!("{project}-");
    if let Ok(images) = docker
        .list_images(None::<bollard::query_parameters::ListImagesOptions>)
        .await
    {
        for tag in images
            .iter()
            .flat_map(|i| i.repo_tags.iter())
            .filter(|t| t.starts_with(&prefix))
        {
            let opts = RemoveImageOptionsBuilder::new().force(true).build();
            let _ = docker.remove_image(tag, Some(opts), None).await;
        }
    }
}

/// An image with only `/bin/busybox` (no applet links): no `sh` or `tar` on the PATH, like a
/// distroless image.
pub async fn bare_image(docker: &Docker) -> String {
    const BARE: &str = "devbox-fixture/bare:1";
    if docker.inspect_image(BARE).await.is_ok() {
        return BARE.to_string();
    }
    let binary = std::fs::read(busybox_path()).expect("read busybox");
    let mut tar = tar::Builder::new(Vec::new());
    append_file(&mut tar, "bin/busybox", &binary, 0o755);
    append_file(&mut tar, "tmp/.keep", b"", 0o644);
    let rootfs = tar.into_inner().expect("finish tar");
    import_image(docker, rootfs, "devbox-fixture/bare", "1").await
}

/// Creates and starts a container labelled as Compose labels `<project>-<service>-<number>`.
pub async fn compose_container(
    docker: &Docker,
    project: &str,
    service: &str,
    number: u32,
    body: bollard::models::ContainerCreateBody,
) -> String {
    let mut labels = body.labels.clone().unwrap_or_default();
    labels.extend([
        (
            "com.docker.compose.project".to_string(),
            project.to_string(),
        ),
        (
            "com.docker.compose.service".to_string(),
            service.to_string(),
        ),
        ("com.docker.compose.oneoff".to_string(), "False".to_string()),
        (
            "com.docker.compose.container-number".to_string(),
            number.to_string(),
        ),
    ]);
    let body = bollard::models::ContainerCreateBody {
        labels: Some(labels),
        stop_timeout: body.stop_timeout.or(Some(1)),
        ..body
    };
    let name = format!("{project}-{service}-{number}");
    let options = bollard::query_parameters::CreateContainerOptionsBuilder::new()
        .name(&name)
        .build();
    let id = docker
        .create_container(Some(options), body)
        .await
        .expect("create container")
        .id;
    docker
        .start_container(&id, None)
        .await
        .expect("start container");
    id
}

/// Runs `argv` in a container and returns its output (stdout and stderr).
pub async fn exec_output(docker: &Docker, id: &str, argv: &[&str]) -> String {
    exec_output_as(docker, id, None, argv).await
}

/// `exec_output` as a given user (`Some("0")` for root in a non-root container).
pub async fn exec_output_as(
    docker: &Docker,
    id: &str,
    user: Option<&str>,
    argv: &[&str],
) -> String {
    let options = bollard::exec::CreateExecOptions {
        cmd: Some(argv.iter().map(|a| (*a).to_string()).collect()),
        user: user.map(str::to_string),
        attach_stdout: Some(true),
        attach_stderr: Some(true),
        ..Default::default()
    };
    let exec = docker.create_exec(id, options).await.expect("create exec");
    let mut out = String::new();
    if let bollard::exec::StartExecResults::Attached { mut output, .. } =
        docker.start_exec(&exec.id, None).await.expect("start exec")
    {
        while let Some(chunk) = output.next().await {
            out.push_str(&chunk.expect("exec output").to_string());
        }
    }
    out
}
