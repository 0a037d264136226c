//! `devbox cp SERVICE:SRC DEST` and `devbox cp SRC SERVICE:DEST`: files between the host and a
//! service container through the Engine API's archive endpoints (no shared file system, so it
//! works with a remote engine). Downloads are spooled to a temporary file and unpacked next to
//! the destination, then moved into place: a failed copy leaves nothing half-written.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use bollard::query_parameters::{DownloadFromContainerOptions, UploadToContainerOptionsBuilder};
use futures_util::StreamExt;

use crate::commands::down::project_or_name;
use crate::commands::project::ProjectArgs;
use crate::engine::connect::client::connect;
use crate::engine::error::{StackError, engine_message};
use crate::engine::stack::state::{Observed, project_containers};
use crate::error::CliResult;

#[derive(Debug, clap::Args)]
pub struct CpArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// Which replica, when the service is scaled.
    #[arg(long, default_value_t = 1)]
    pub index: u32,
    /// `SERVICE:PATH` or a host path.
    pub source: String,
    /// `SERVICE:PATH` or a host path.
    pub destination: String,
}

/// `SERVICE:PATH` when the part before the first colon names something (no slash in it).
fn split_remote(arg: &str) -> Option<(&str, &str)> {
    let (service, path) = arg.split_once(':')?;
    (!service.is_empty() && !service.contains('/') && !path.is_empty()).then_some((service, path))
}

pub async fn run(args: CpArgs) -> CliResult {
    let (name, _) = project_or_name(&args.project)?;
    let engine = connect().await?;
    let docker = &engine.docker;
    let (service, download) = match (split_remote(&args.source), split_remote(&args.destination)) {
        (Some((s, _)), None) => (s, true),
        (None, Some((s, _))) => (s, false),
        _ => {
            return Err(miette::miette!(
                help = "e.g. `devbox cp web:/app/log.txt .` or `devbox cp ./seed.sql db:/tmp/`",
                "one of source and destination must be SERVICE:PATH, the other a host path"
            ));
        }
    };
    let containers = project_containers(docker, &name).await?;
    let Some(c) = containers
        .iter()
        .find(|c| c.service == service && c.number == args.index && !c.oneoff)
    else {
        return Err(miette::miette!(
            help = "check the names with `devbox ps -a`",
            "service \"{service}\" has no container number {} in project \"{name}\"",
            args.index
        ));
    };
    if download {
        let (_, path) = split_remote(&args.source).unwrap_or_default();
        fetch(docker, c, path, Path::new(&args.destination)).await?;
    } else {
        let (_, path) = split_remote(&args.destination).unwrap_or_default();
        send(docker, c, Path::new(&args.source), path).await?;
    }
    Ok(ExitCode::SUCCESS)
}

fn io_error(what: String) -> impl FnOnce(std::io::Error) -> miette::Report {
    move |e| miette::miette!(help = "check the path and its permissions", "{what}: {e}")
}

async fn fetch(
    docker: &bollard::Docker,
    c: &Observed,
    path: &str,
    dest: &Path,
) -> Result<(), miette::Report> {
    let options = DownloadFromContainerOptions {
        path: path.to_owned(),
    };
    let mut spool = tempfile::tempfile().map_err(io_error("creating a temporary file".into()))?;
    let mut stream = docker.download_from_container(&c.id, Some(options));
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| {
            miette::miette!(
                help = format!(
                    "check the path with `devbox exec {} ls -la {path}`",
                    c.service
                ),
                "copying {path} from {}: {}",
                c.name,
                engine_message(&e)
            )
        })?;
        spool
            .write_all(&chunk)
            .map_err(io_error("writing the temporary file".into()))?;
    }
    std::io::Seek::rewind(&mut spool).map_err(io_error("reading the temporary file".into()))?;
    let into_dir = dest.is_dir();
    let parent = if into_dir {
        dest.to_path_buf()
    } else {
        dest.parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
    };
    let staging = tempfile::Builder::new()
        .prefix(".devbox-cp-")
        .tempdir_in(&parent)
        .map_err(io_error(format!(
            "creating a staging directory in {}",
            parent.display()
        )))?;
    tar::Archive::new(spool)
        .unpack(staging.path())
        .map_err(io_error(format!("unpacking {path} from {}", c.name)))?;
    let top = Path::new(path.trim_end_matches('/'))
        .file_name()
        .map_or_else(|| PathBuf::from("."), PathBuf::from);
    let unpacked = staging.path().join(&top);
    let target = if into_dir {
        dest.join(&top)
    } else {
        dest.to_path_buf()
    };
    std::fs::rename(&unpacked, &target)
        .map_err(io_error(format!("moving the copy to {}", target.display())))?;
    Ok(())
}

async fn send(
    docker: &bollard::Docker,
    c: &Observed,
    source: &Path,
    path: &str,
) -> Result<(), miette::Report> {
    let meta = std::fs::symlink_metadata(source)
        .map_err(io_error(format!("reading {}", source.display())))?;
    let (dir, name) = if path.ends_with('/') {
        let name = source
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        (path.to_owned(), name)
    } else {
        let p = Path::new(path);
        let dir = p
            .parent()
            .map_or_else(|| "/".to_owned(), |d| d.display().to_string());
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        (if dir.is_empty() { "/".to_owned() } else { dir }, name)
    };
    let mut tar = tar::Builder::new(Vec::new());
    // Links are copied as links, as `docker cp` does without -L.
    tar.follow_symlinks(false);
    let appended = if meta.is_dir() {
        tar.append_dir_all(&name, source)
    } else {
        tar.append_path_with_name(source, &name)
    };
    appended.map_err(io_error(format!("packing {}", source.display())))?;
    let bytes = tar
        .into_inner()
        .map_err(io_error(format!("packing {}", source.display())))?;
    let options = UploadToContainerOptionsBuilder::new().path(&dir).build();
    docker
        .upload_to_container(&c.id, Some(options), bollard::body_full(bytes.into()))
        .await
        .map_err(|e| {
            miette::Report::new(StackError::engine(
                format!("copying {} to {}:{dir}", source.display(), c.name),
                e,
            ))
        })
}

#[cfg(test)]
mod tests {
    #[test]
    fn remote_side_is_a_service_name_before_a_colon() {
        assert_eq!(super::split_remote("web:/app"), Some(("web", "/app")));
        assert_eq!(super::split_remote("./a:b"), None);
        assert_eq!(super::split_remote("/tmp/x"), None);
        assert_eq!(super::split_remote("web:"), None);
    }
}
