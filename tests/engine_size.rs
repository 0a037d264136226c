//! `devbox size` against a real engine: an image whose second layer writes a file that the third
//! deletes reports exactly that file's bytes as wasted, named with both instructions.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::HashMap;

use bollard::query_parameters::BuildImageOptionsBuilder;
use futures_util::StreamExt;

/// Builds `dockerfile` (legacy builder, no context files) as `tag`, labelled with the project.
async fn build(docker: &bollard::Docker, dockerfile: &str, tag: &str, project: &str) {
    let mut tar = tar::Builder::new(Vec::new());
    let mut header = tar::Header::new_gnu();
    header.set_size(dockerfile.len() as u64);
    header.set_mode(0o644);
    tar.append_data(&mut header, "Dockerfile", dockerfile.as_bytes())
        .unwrap();
    let context = tar.into_inner().unwrap();
    let labels = HashMap::from([(
        "com.docker.compose.project".to_string(),
        project.to_string(),
    )]);
    let options = BuildImageOptionsBuilder::new()
        .t(tag)
        .labels(&labels)
        .rm(true)
        .build();
    let mut stream = docker.build_image(options, None, Some(bollard::body_full(context.into())));
    while let Some(item) = stream.next().await {
        let info = item.unwrap();
        if let Some(err) = info.error_detail {
            panic!("build failed: {err:?}");
        }
    }
}

#[tokio::test]
async fn deleted_file_is_reported_as_waste_with_its_instructions() {
    let Some(docker) = common::engine_or_skip().await else {
        return;
    };
    let base = common::fixture_image(&docker).await;
    let project = common::unique_project("size");
    let _guard = common::ProjectGuard::new(&project);
    let tag = format!("{project}-waste:1");
    let dockerfile = format!(
        "FROM {base}\nRUN dd if=/dev/zero of=/big bs=1024 count=300\nRUN rm /big\nRUN echo hi > /small\n"
    );
    build(&docker, &dockerfile, &tag, &project).await;

    let report = devbox::engine::image::size::analyse_image(&docker, &tag)
        .await
        .unwrap();
    assert_eq!(report.wasted, 300 * 1024, "{report:#?}");
    let big = &report.wasted_files[0];
    assert_eq!(big.path, "big");
    assert_eq!(big.size, 300 * 1024);
    let added = &report.layers[big.added_in].instruction;
    let removed = &report.layers[big.removed_in].instruction;
    assert!(added.contains("dd if=/dev/zero of=/big"), "{added}");
    assert!(removed.contains("rm /big"), "{removed}");
    assert_eq!(report.layers[big.added_in].wasted, 300 * 1024);
    assert!(report.efficiency < 1.0);
    // The top layer holds `/small` (3 bytes) and nothing wasted.
    let last = report.layers.last().unwrap();
    assert_eq!(last.size, 3);
    assert_eq!(last.wasted, 0);
}

#[tokio::test]
async fn missing_image_names_it() {
    let Some(docker) = common::engine_or_skip().await else {
        return;
    };
    let err = devbox::engine::image::size::analyse_image(&docker, "devbox-no-such-image:404")
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("devbox-no-such-image:404"),
        "{err}"
    );
}
