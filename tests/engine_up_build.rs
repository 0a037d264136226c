//! Builds through the stack engine: BuildKit with a session (RUN --mount=type=cache works on
//! the engine), the context honours `.dockerignore`, the image gets Compose's labels and
//! name; a failing RUN names its step and the tail of its output (BuildKit and legacy).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "engine_up_support.rs"]
mod support;

use std::sync::Arc;

use devbox::engine::error::StackError;
use devbox::engine::image::build::{BuildOptions, Builder, build_service, detect_builder};
use devbox::engine::progress::Recorder;
use devbox::engine::stack::down::{DownOptions, RemoveImages};
use devbox::engine::stack::up::UpOptions;
use support::Stack;

fn write(stack: &Stack, path: &str, text: &str) {
    let full = stack.dir.path().join(path);
    std::fs::create_dir_all(full.parent().unwrap()).unwrap();
    std::fs::write(full, text).unwrap();
}

#[tokio::test]
async fn buildkit_build_with_cache_mount_and_dockerignore() {
    let Some(docker) = common::engine_or_skip().await else {
        return;
    };
    common::fixture_image(&docker).await;
    let name = common::unique_project("build");
    let _guard = common::ProjectGuard::new(&name);
    let stack = Stack::new(
        &name,
        "services:\n  app:\n    build: ./app\n    command: [\"sleep\", \"3600\"]\n    init: true\n",
    );
    write(
        &stack,
        "app/Dockerfile",
        "FROM devbox-fixture/busybox:1\nRUN --mount=type=cache,target=/cache echo cached > /cache/x\nCOPY . /ctx/\n",
    );
    write(&stack, "app/.dockerignore", "secret.txt\nlogs/**\n");
    write(&stack, "app/secret.txt", "no");
    write(&stack, "app/logs/a.log", "no");
    write(&stack, "app/keep.txt", "yes");
    assert_eq!(
        detect_builder(&docker).await,
        Builder::BuildKit,
        "this engine has BuildKit"
    );

    let outcome = stack.up(&docker, &UpOptions::default()).await.0.unwrap();
    let id = &outcome.containers[0].id;
    let out = std::process::Command::new("docker")
        .args(["exec", id, "ls", "-A", "/ctx"])
        .output()
        .unwrap();
    let listing = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(listing.contains("keep.txt"), "{listing}");
    assert!(
        !listing.contains("secret.txt"),
        "ignored file reached the image: {listing}"
    );
    let image = docker.inspect_image(&format!("{name}-app")).await.unwrap();
    let labels = image.config.and_then(|c| c.labels).unwrap_or_default();
    assert_eq!(labels.get("com.docker.compose.project"), Some(&name));
    assert_eq!(
        labels.get("com.docker.compose.service").map(String::as_str),
        Some("app")
    );

    stack
        .down(
            &docker,
            &DownOptions {
                remove_images: Some(RemoveImages::Local),
                ..DownOptions::default()
            },
        )
        .await;
    assert!(
        docker.inspect_image(&format!("{name}-app")).await.is_err(),
        "--rmi local removes the built image"
    );
}

#[tokio::test]
async fn failing_step_and_its_output_are_named_with_both_builders() {
    let Some(docker) = common::engine_or_skip().await else {
        return;
    };
    common::fixture_image(&docker).await;
    let name = common::unique_project("buildfail");
    let _guard = common::ProjectGuard::new(&name);
    let stack = Stack::new(&name, "services:\n  app:\n    build: ./app\n");
    write(
        &stack,
        "app/Dockerfile",
        "FROM devbox-fixture/busybox:1\nRUN echo preparing && echo 'missing dependency libfoo' >&2 && exit 3\n",
    );
    let service = &stack.project.services["app"];
    for builder in [Builder::BuildKit, Builder::Legacy] {
        let recorder = Arc::new(Recorder::default());
        let err = build_service(
            &docker,
            &stack.project,
            service,
            builder,
            &BuildOptions::default(),
            recorder.as_ref(),
        )
        .await
        .unwrap_err();
        let text = err.to_string();
        match &err {
            StackError::Build {
                service,
                step,
                tail,
                ..
            } => {
                assert_eq!(service, "app");
                assert!(
                    step.contains("RUN echo preparing"),
                    "{builder:?}: step {step}"
                );
                assert!(
                    tail.contains("missing dependency libfoo"),
                    "{builder:?}: tail {tail}"
                );
            }
            other => panic!("{builder:?}: expected a build error, got {other}"),
        }
        assert!(text.contains("3"), "{text}");
    }
}
