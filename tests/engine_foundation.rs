//! Engine foundation: the fixture image imports, and a container from it is created, started,
//! inspected (it runs busybox's sh and wget) and removed.

mod common;

use std::collections::HashMap;

use bollard::models::ContainerCreateBody;
use bollard::query_parameters::{
    CreateContainerOptionsBuilder, RemoveContainerOptionsBuilder, WaitContainerOptions,
};
use futures_util::StreamExt;

#[tokio::test]
async fn fixture_container_lifecycle() {
    let Some(docker) = common::engine_or_skip().await else {
        return;
    };
    let image = common::fixture_image(&docker).await;
    let project = common::unique_project("foundation");
    let _guard = common::ProjectGuard::new(&project);

    let labels = HashMap::from([("com.docker.compose.project".to_string(), project.clone())]);
    let body = ContainerCreateBody {
        image: Some(image.clone()),
        cmd: Some(vec![
            "sh".into(),
            "-c".into(),
            "command -v wget && command -v rm && id -u app && exit 7".into(),
        ]),
        labels: Some(labels),
        ..Default::default()
    };
    let name = format!("{project}-probe-1");
    let opts = CreateContainerOptionsBuilder::new().name(&name).build();
    let created = docker.create_container(Some(opts), body).await.unwrap();
    docker.start_container(&created.id, None).await.unwrap();

    let mut wait = docker.wait_container(&created.id, None::<WaitContainerOptions>);
    let exit = match wait.next().await {
        Some(Ok(resp)) => resp.status_code,
        // bollard reports a non-zero exit as an error carrying the code.
        Some(Err(bollard::errors::Error::DockerContainerWaitError { code, .. })) => code,
        other => panic!("unexpected wait result {other:?}"),
    };
    assert_eq!(
        exit, 7,
        "the script's commands must all exist in the fixture image"
    );

    let inspected = docker.inspect_container(&created.id, None).await.unwrap();
    assert_eq!(inspected.name.as_deref(), Some(format!("/{name}").as_str()));
    assert_eq!(
        inspected.config.and_then(|c| c.image).as_deref(),
        Some(image.as_str())
    );

    let rm = RemoveContainerOptionsBuilder::new().force(true).build();
    docker
        .remove_container(&created.id, Some(rm))
        .await
        .unwrap();
    assert!(docker.inspect_container(&created.id, None).await.is_err());
}
