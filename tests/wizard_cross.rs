//! Cross-compilation in the generated Go Dockerfile, proved by outcome: `devbox build` of its
//! build stage for linux/arm64 on this (amd64) engine runs the compiler on the builder's platform
//! (`FROM --platform=$BUILDPLATFORM`, no emulation needed) and leaves an aarch64 binary.
//! The Rust template has the same structure, but its cross branch needs rustup and Debian's
//! cross toolchain, which the rust stand-in does not have: it is checked statically (golden,
//! hadolint) and natively (the rust e2e row builds through the same `--target` path).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod e2e;

use bollard::query_parameters::{
    CreateContainerOptionsBuilder, DownloadFromContainerOptionsBuilder,
    RemoveContainerOptionsBuilder,
};
use futures_util::StreamExt;

/// ELF `e_machine` for AArch64.
const EM_AARCH64: u16 = 183;

#[tokio::test(flavor = "multi_thread")]
async fn the_go_build_stage_cross_compiles_for_arm64() {
    let Some(docker) = common::engine_or_skip().await else {
        return;
    };
    let _serial = e2e::SERIAL.lock().await;
    if !e2e::stand_ins() {
        return;
    }
    let dir = e2e::fixture_copy("go-server");
    let project = e2e::Project {
        dir: dir.path().to_path_buf(),
        name: common::unique_project("cross-go"),
        port: e2e::free_port(),
        production_port: e2e::free_port(),
    };
    let _guard = common::ProjectGuard::new(&project.name);
    project.run(&["init", "--yes"]);
    std::fs::write(
        dir.path().join("compose.cross.yaml"),
        "services:\n  cross:\n    build:\n      context: .\n      target: build\n      platforms: [\"linux/arm64\"]\n",
    )
    .unwrap();
    project.run(&["build", "-f", "compose.cross.yaml"]);

    let image = format!("{}-cross", project.name);
    let inspect = docker.inspect_image(&image).await.unwrap();
    assert_eq!(inspect.architecture.as_deref(), Some("arm64"));

    // The binary, read out of a container that is created, never started (an arm64 binary cannot
    // run here); the project label lets the guard remove it if an assertion fails first.
    let body = bollard::models::ContainerCreateBody {
        image: Some(image.clone()),
        cmd: Some(vec!["/out/server".to_string()]),
        labels: Some(std::collections::HashMap::from([(
            "com.docker.compose.project".to_string(),
            project.name.clone(),
        )])),
        ..Default::default()
    };
    let id = docker
        .create_container(Some(CreateContainerOptionsBuilder::new().build()), body)
        .await
        .unwrap()
        .id;
    let options = DownloadFromContainerOptionsBuilder::new()
        .path("/out/server")
        .build();
    let mut bytes = Vec::new();
    let mut stream = docker.download_from_container(&id, Some(options));
    while let Some(chunk) = stream.next().await {
        bytes.extend_from_slice(&chunk.unwrap());
    }
    let remove = RemoveContainerOptionsBuilder::new().force(true).build();
    docker.remove_container(&id, Some(remove)).await.unwrap();
    let mut archive = tar::Archive::new(bytes.as_slice());
    let mut entry = archive.entries().unwrap().next().unwrap().unwrap();
    let mut header = [0u8; 20];
    std::io::Read::read_exact(&mut entry, &mut header).unwrap();
    assert_eq!(&header[..4], b"\x7fELF", "not an ELF binary");
    let machine = u16::from_le_bytes([header[18], header[19]]);
    assert_eq!(
        machine, EM_AARCH64,
        "e_machine {machine}: not built for arm64"
    );
}
