//! Two copies of one project network: two `up`s racing on a fresh project each create it, and
//! Engines before API 1.44 accept a second network of a name that exists (bollard's request has
//! no `CheckDuplicate` to ask them not to). Every later lookup by name then fails as
//! "ambiguous". Each `up` settles on the same copy and removes the others.

use bollard::Docker;
use bollard::query_parameters::ListNetworksOptions;

use super::labels;
use crate::engine::error::{StackError, status_code};
use crate::engine::progress::{Progress, Reporter};

/// Whether an engine error is the one two networks of the same name cause.
pub fn is_ambiguous(message: &str) -> bool {
    message.contains("is ambiguous")
}

/// Leaves one network named `name` of `project` and returns its id (`None` when there is none).
/// The copy kept is one a container uses, else the oldest (ties broken by id), so racing `up`s
/// keep the same one; a copy another `up` removed first is not an error.
pub async fn settle(
    docker: &Docker,
    project: &str,
    name: &str,
    reporter: &dyn Reporter,
) -> Result<Option<String>, StackError> {
    let mut filters = labels::project_filter(project);
    filters.insert("name".to_owned(), vec![name.to_owned()]);
    let list = docker
        .list_networks(Some(ListNetworksOptions {
            filters: Some(filters),
        }))
        .await
        .map_err(|e| StackError::engine(format!("listing networks named {name}"), e))?;
    // The `name` filter matches substrings.
    let found: Vec<_> = list
        .into_iter()
        .filter(|n| n.name.as_deref() == Some(name))
        .filter_map(|n| Some((n.created, n.id?)))
        .collect();
    if found.len() < 2 {
        return Ok(found.into_iter().next().map(|(_, id)| id));
    }
    // A copy a container already uses goes first: the engine assigns `Created` before the
    // network is listed, so the "oldest" copy can appear after the other `up` settled on the
    // newer one and attached to it; removing a copy in use fails ("active endpoints").
    let mut copies = Vec::with_capacity(found.len());
    for (created, id) in found {
        let in_use = match docker
            .inspect_network(
                &id,
                None::<bollard::query_parameters::InspectNetworkOptions>,
            )
            .await
        {
            Ok(n) => n.containers.is_some_and(|c| !c.is_empty()),
            // Removed by the other `up` meanwhile.
            Err(e) if status_code(&e) == Some(404) => continue,
            Err(e) => {
                return Err(StackError::engine(
                    format!("inspecting copy {} of network {name}", short(&id)),
                    e,
                ));
            }
        };
        copies.push((!in_use, created, id));
    }
    copies.sort();
    let mut copies = copies.into_iter().map(|(_, _, id)| id);
    let Some(kept) = copies.next() else {
        return Ok(None);
    };
    let extra: Vec<String> = copies.collect();
    if extra.is_empty() {
        return Ok(Some(kept));
    }
    reporter.report(Progress::Warning(format!(
        "network {name} was created twice (another `up` of this project ran at the same time): keeping {}, removing the other copy",
        short(&kept)
    )));
    for id in extra {
        match docker.remove_network(&id).await {
            Ok(()) => {}
            Err(e) if status_code(&e) == Some(404) => {}
            Err(e) => {
                return Err(StackError::engine(
                    format!(
                        "removing the extra copy {} of network {name} (run `devbox down`, then `devbox up`)",
                        short(&id)
                    ),
                    e,
                ));
            }
        }
    }
    Ok(Some(kept))
}

/// Runs `call` again while the engine answers that a network name is ambiguous: the `up` that
/// made the second copy removes it right after creating it (`settle`), so the name resolves
/// again within moments. Five tries, 200 ms apart; then the engine's error stands.
pub async fn retry_ambiguous<T, F, Fut>(mut call: F) -> Result<T, bollard::errors::Error>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, bollard::errors::Error>>,
{
    let mut tries = 1;
    loop {
        match call().await {
            Err(e) if tries < 5 && is_ambiguous(&crate::engine::error::engine_message(&e)) => {
                tries += 1;
                tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            }
            other => return other,
        }
    }
}

fn short(id: &str) -> &str {
    id.get(..12).unwrap_or(id)
}
