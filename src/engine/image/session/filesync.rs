//! The file-sync service a build session offers BuildKit (fsutil's DiffCopy, the sending side):
//! every entry's `Stat` in walk order, then the content of each file the receiver asks for by
//! index, then `FIN`. This is how the Docker CLI sends a context, so `.dockerignore` applies to
//! the Dockerfile and to itself (a tar must carry the Dockerfile, and `COPY . .` then copies it).

use std::collections::HashMap;
use std::io::Read as _;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;

use bollard_buildkit_proto::fsutil::types::{Packet, packet::PacketType};
use bollard_buildkit_proto::health::health_server::Health;
use bollard_buildkit_proto::health::{
    HealthCheckRequest, HealthCheckResponse, HealthListRequest, HealthListResponse,
    health_check_response::ServingStatus,
};
use bollard_buildkit_proto::moby::filesync::v1::file_sync_server::FileSync;
use futures_util::Stream;
use tokio::sync::mpsc;
use tonic::{Request, Response, Status, Streaming};

use super::tree::{self, Filter, IncludeSet, Node};
use crate::domain::dockerignore::IgnoreMatcher;

/// fsutil's sender copies in 32 KiB pieces; gRPC's default message limit is 4 MiB.
const CHUNK: usize = 32 * 1024;

/// What one directory name of the session serves.
#[derive(Debug, Clone)]
pub enum Source {
    /// A directory on disk; `excludes` is devbox's own `.dockerignore` for it (none for the
    /// Dockerfile's directory).
    Disk {
        root: PathBuf,
        excludes: Option<IgnoreMatcher>,
    },
    /// Files held in memory, at the top level (an inline Dockerfile).
    Memory(Vec<(String, Arc<[u8]>)>),
}

/// The session's directories by the names BuildKit asks for (`context`, `dockerfile`).
#[derive(Debug, Clone, Default)]
pub struct Dirs(pub HashMap<String, Source>);

type PacketStream = Pin<Box<dyn Stream<Item = Result<Packet, Status>> + Send>>;

#[tonic::async_trait]
impl FileSync for Dirs {
    type DiffCopyStream = PacketStream;
    type TarStreamStream = PacketStream;

    async fn diff_copy(
        &self,
        request: Request<Streaming<Packet>>,
    ) -> Result<Response<PacketStream>, Status> {
        let meta = request.metadata();
        let values = |key: &str| -> Vec<String> {
            meta.get_all(key)
                .iter()
                .filter_map(|v| v.to_str().ok().map(str::to_owned))
                .collect()
        };
        let name = values("dir-name").into_iter().next().unwrap_or_default();
        let Some(source) = self.0.get(&name).cloned() else {
            return Err(Status::not_found(format!(
                "no access allowed to dir \"{name}\""
            )));
        };
        let includes = values("include-patterns");
        let follow = values("followpaths");
        let excludes = values("exclude-patterns");
        let (out_tx, out_rx) = mpsc::channel::<Result<Packet, Status>>(64);
        let (req_tx, req_rx) = mpsc::unbounded_channel::<Incoming>();
        let mut incoming = request.into_inner();
        tokio::spawn(async move {
            loop {
                let next = match incoming.message().await {
                    Ok(Some(packet)) => match PacketType::try_from(packet.r#type) {
                        Ok(PacketType::PacketReq) => Incoming::Request(packet.id),
                        Ok(PacketType::PacketFin) => Incoming::Fin,
                        Ok(PacketType::PacketErr) => Incoming::Gone,
                        _ => continue,
                    },
                    Ok(None) | Err(_) => Incoming::Gone,
                };
                let done = !matches!(next, Incoming::Request(_));
                if req_tx.send(next).is_err() || done {
                    return;
                }
            }
        });
        tokio::task::spawn_blocking(move || {
            let sender = Sender { out: out_tx };
            sender.run(&source, &includes, &follow, &excludes, req_rx);
        });
        let stream = futures_util::stream::unfold(out_rx, |mut rx| async move {
            rx.recv().await.map(|item| (item, rx))
        });
        Ok(Response::new(Box::pin(stream)))
    }

    async fn tar_stream(
        &self,
        _request: Request<Streaming<Packet>>,
    ) -> Result<Response<PacketStream>, Status> {
        // Not advertised in the session's methods: BuildKit uses DiffCopy when it is offered.
        Err(Status::unimplemented(
            "devbox sends build contexts with DiffCopy",
        ))
    }
}

enum Incoming {
    Request(u32),
    Fin,
    Gone,
}

struct Sender {
    out: mpsc::Sender<Result<Packet, Status>>,
}

impl Sender {
    fn send(&self, packet: Packet) -> bool {
        self.out.blocking_send(Ok(packet)).is_ok()
    }

    fn fail(&self, message: String) {
        let _ = self.out.blocking_send(Ok(Packet {
            r#type: PacketType::PacketErr as i32,
            data: message.into_bytes(),
            ..Packet::default()
        }));
    }

    fn run(
        &self,
        source: &Source,
        includes: &[String],
        follow: &[String],
        excludes: &[String],
        mut requests: mpsc::UnboundedReceiver<Incoming>,
    ) {
        let nodes = match list(source, includes, follow, excludes) {
            Ok(nodes) => nodes,
            Err(message) => return self.fail(message),
        };
        for node in &nodes {
            let packet = Packet {
                r#type: PacketType::PacketStat as i32,
                stat: Some(node.stat.clone()),
                ..Packet::default()
            };
            if !self.send(packet) {
                return;
            }
        }
        if !self.send(Packet::default()) {
            return;
        }
        // Resolved once: each file's real path must stay under it (see `open_regular`).
        let source = match source {
            Source::Disk { root, excludes } => Source::Disk {
                root: std::fs::canonicalize(root).unwrap_or_else(|_| root.clone()),
                excludes: excludes.clone(),
            },
            memory => memory.clone(),
        };
        let source = &source;
        while let Some(next) = requests.blocking_recv() {
            match next {
                Incoming::Request(id) => {
                    if let Err(message) = self.content(source, &nodes, id) {
                        return self.fail(message);
                    }
                }
                Incoming::Fin => {
                    self.send(Packet {
                        r#type: PacketType::PacketFin as i32,
                        ..Packet::default()
                    });
                    return;
                }
                Incoming::Gone => return,
            }
        }
    }

    /// Sends file `id`'s bytes, then an empty DATA packet that ends it. A file that stopped
    /// being a regular file inside the directory since it was listed is sent empty.
    fn content(&self, source: &Source, nodes: &[Node], id: u32) -> Result<(), String> {
        let node = usize::try_from(id)
            .ok()
            .and_then(|i| nodes.get(i))
            .filter(|n| n.file)
            .ok_or_else(|| format!("invalid file request {id}"))?;
        let data = |bytes: Vec<u8>| Packet {
            r#type: PacketType::PacketData as i32,
            id,
            data: bytes,
            ..Packet::default()
        };
        match source {
            Source::Memory(files) => {
                if let Some((_, bytes)) = files.iter().find(|(n, _)| *n == node.stat.path) {
                    for piece in bytes.chunks(CHUNK) {
                        if !self.send(data(piece.to_vec())) {
                            return Ok(());
                        }
                    }
                }
            }
            Source::Disk { root, .. } => {
                let path = root.join(&node.stat.path);
                let opened = crate::engine::image::build_context::open_regular(&path, root)
                    .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
                if let Some((file, _)) = opened {
                    let mut reader = file;
                    let mut buf = vec![0u8; CHUNK];
                    loop {
                        let n = reader
                            .read(&mut buf)
                            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
                        if n == 0 {
                            break;
                        }
                        if !self.send(data(buf[..n].to_vec())) {
                            return Ok(());
                        }
                    }
                }
            }
        }
        self.send(data(Vec::new()));
        Ok(())
    }
}

/// The entries for one request: the source's own excludes plus the request's.
fn list(
    source: &Source,
    includes: &[String],
    follow: &[String],
    excludes: &[String],
) -> Result<Vec<Node>, String> {
    match source {
        Source::Memory(files) => {
            let wanted = |name: &str| {
                (includes.is_empty() && follow.is_empty())
                    || includes.iter().chain(follow).any(|p| p == name)
            };
            Ok(files
                .iter()
                .filter(|(name, _)| wanted(name))
                .map(|(name, bytes)| tree::memory_file(name, bytes.len()))
                .collect())
        }
        Source::Disk {
            root,
            excludes: own,
        } => {
            let mut filter = Filter::default();
            filter.excludes.extend(own.iter().cloned());
            if !excludes.is_empty() {
                let theirs = IgnoreMatcher::from_patterns(excludes)
                    .map_err(|e| format!("exclude pattern {}: {:?}", e.text, e.reason))?;
                filter.excludes.push(theirs);
            }
            if !includes.is_empty() || !follow.is_empty() {
                filter.includes = IncludeSet::new(root, includes, follow);
                if filter.includes.is_none() {
                    return Err("an include pattern could not be parsed".to_owned());
                }
            }
            tree::list(root, &filter)
                .map_err(|e| format!("cannot read {}: {}", e.path.display(), e.error))
        }
    }
}

/// BuildKit checks the session's health every second and drops a session that does not answer.
#[derive(Debug, Default)]
pub struct Alive;

#[tonic::async_trait]
impl Health for Alive {
    async fn check(
        &self,
        _request: Request<HealthCheckRequest>,
    ) -> Result<Response<HealthCheckResponse>, Status> {
        Ok(Response::new(HealthCheckResponse {
            status: ServingStatus::Serving as i32,
        }))
    }

    async fn list(
        &self,
        _request: Request<HealthListRequest>,
    ) -> Result<Response<HealthListResponse>, Status> {
        Err(Status::unimplemented("only Check is offered"))
    }

    type WatchStream = Pin<Box<dyn Stream<Item = Result<HealthCheckResponse, Status>> + Send>>;

    async fn watch(
        &self,
        _request: Request<HealthCheckRequest>,
    ) -> Result<Response<Self::WatchStream>, Status> {
        Err(Status::unimplemented("only Check is offered"))
    }
}
