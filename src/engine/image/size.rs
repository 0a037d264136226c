//! Streams an image export (`GET /images/{name}/get`) and indexes every layer's files without
//! holding a layer in memory: the HTTP body feeds a bounded channel that a blocking tar reader
//! drains, each layer is hashed while it is read to find its diffID, and the pure analysis in
//! `domain::size` does the rest.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};

use bollard::Docker;
use bytes::Bytes;
use futures_util::StreamExt;
use sha2::{Digest, Sha256};
use tokio::sync::mpsc;

use crate::domain::size::{self, EntryKind, HistoryStep, LayerEntry, SizeReport};

/// Chunks in flight between the HTTP body and the tar reader: bounds memory to a few MiB
/// whatever the image's size.
const CHANNEL_CHUNKS: usize = 16;
/// Config blobs are small; anything larger that looks like JSON is not a config.
const MAX_CONFIG_BYTES: u64 = 8 * 1024 * 1024;

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum SizeError {
    #[error("image {image:?} was not found on the engine: {reason}")]
    #[diagnostic(help(
        "build it first (`devbox up --build` or `docker build`), or name an image from `docker images`"
    ))]
    NotFound { image: String, reason: String },
    #[error("exporting image {image:?} failed: {reason}")]
    #[diagnostic(help("check the engine's logs; the export streams the whole image"))]
    Export { image: String, reason: String },
    #[error(
        "image {image:?}: layer {diff_id} is compressed with {format}, which devbox cannot read"
    )]
    #[diagnostic(help("only uncompressed and gzip layers are supported"))]
    Compression {
        image: String,
        diff_id: String,
        format: &'static str,
    },
    #[error("image {image:?}: the export has no layer with diffID {diff_id}")]
    #[diagnostic(help(
        "the engine's export did not match the image's RootFS; report this with `docker version`"
    ))]
    MissingLayer { image: String, diff_id: String },
}

/// Analyses an image: per-layer sizes and instructions, wasted bytes, efficiency, suggestions.
pub async fn analyse_image(docker: &Docker, image: &str) -> Result<SizeReport, SizeError> {
    let inspect = docker
        .inspect_image(image)
        .await
        .map_err(|err| SizeError::NotFound {
            image: image.into(),
            reason: err.to_string(),
        })?;
    let diff_ids: Vec<String> = inspect.root_fs.and_then(|r| r.layers).unwrap_or_default();

    let (tx, rx) = mpsc::channel::<Result<Bytes, String>>(CHANNEL_CHUNKS);
    let image_name = image.to_string();
    let reader =
        tokio::task::spawn_blocking(move || index_export(ChannelReader::new(rx), &image_name));
    let mut body = docker.export_image(image);
    while let Some(chunk) = body.next().await {
        let item = chunk.map_err(|err| err.to_string());
        let failed = item.is_err();
        if tx.send(item).await.is_err() || failed {
            break;
        }
    }
    drop(tx);
    let export = reader.await.map_err(|err| SizeError::Export {
        image: image.into(),
        reason: err.to_string(),
    })??;

    let mut layers = Vec::with_capacity(diff_ids.len());
    for diff_id in &diff_ids {
        let entries =
            export
                .layers
                .get(diff_id)
                .cloned()
                .ok_or_else(|| SizeError::MissingLayer {
                    image: image.into(),
                    diff_id: diff_id.clone(),
                })?;
        layers.push((diff_id.clone(), entries));
    }
    Ok(size::analyse(image, &layers, &export.history))
}

/// What one pass over the export yields.
#[derive(Default)]
struct ExportIndex {
    layers: HashMap<String, Vec<LayerEntry>>,
    history: Vec<HistoryStep>,
}

fn index_export(reader: ChannelReader, image: &str) -> Result<ExportIndex, SizeError> {
    let export_err = |reason: String| SizeError::Export {
        image: image.into(),
        reason,
    };
    let mut index = ExportIndex::default();
    let mut archive = tar::Archive::new(reader);
    let entries = archive.entries().map_err(|e| export_err(e.to_string()))?;
    for entry in entries {
        let entry = entry.map_err(|e| export_err(e.to_string()))?;
        if entry.header().entry_type() != tar::EntryType::Regular {
            continue; // repeated layers are symlinks to the first copy
        }
        let size = entry.header().size().unwrap_or(0);
        let mut buffered = BufReader::with_capacity(64 * 1024, entry);
        let head = buffered.fill_buf().map_err(|e| export_err(e.to_string()))?;
        match sniff(head) {
            Blob::Gzip => {
                let decoder = flate2::read::GzDecoder::new(buffered);
                let (diff_id, files) = index_layer(decoder).map_err(export_err)?;
                index.layers.insert(diff_id, files);
            }
            Blob::Tar => {
                let (diff_id, files) = index_layer(buffered).map_err(export_err)?;
                index.layers.insert(diff_id, files);
            }
            Blob::Zstd => {
                return Err(SizeError::Compression {
                    image: image.into(),
                    diff_id: "(zstd blob)".into(),
                    format: "zstd",
                });
            }
            Blob::Json if size <= MAX_CONFIG_BYTES => {
                let mut text = String::new();
                buffered
                    .read_to_string(&mut text)
                    .map_err(|e| export_err(e.to_string()))?;
                if let Some(history) = config_history(&text) {
                    index.history = history;
                }
            }
            Blob::Json | Blob::Other => {}
        }
    }
    Ok(index)
}

enum Blob {
    Gzip,
    Zstd,
    Tar,
    Json,
    Other,
}

fn sniff(head: &[u8]) -> Blob {
    if head.starts_with(&[0x1f, 0x8b]) {
        Blob::Gzip
    } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        Blob::Zstd
    } else if head.len() >= 262 && &head[257..262] == b"ustar" {
        Blob::Tar
    } else if head.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{') {
        Blob::Json
    } else {
        Blob::Other
    }
}

/// The image config's `history`, if `text` is an image config.
fn config_history(text: &str) -> Option<Vec<HistoryStep>> {
    let value: serde_json::Value = serde_json::from_str(text).ok()?;
    value.get("rootfs")?;
    let steps = value.get("history")?.as_array()?;
    Some(
        steps
            .iter()
            .map(|step| HistoryStep {
                created_by: step
                    .get("created_by")
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string(),
                empty_layer: step
                    .get("empty_layer")
                    .and_then(|v| v.as_bool())
                    .unwrap_or(false),
            })
            .collect(),
    )
}

/// Indexes one layer tar while hashing it; returns its diffID and its entries.
fn index_layer(reader: impl Read) -> Result<(String, Vec<LayerEntry>), String> {
    let mut hashing = HashingReader {
        inner: reader,
        hasher: Sha256::new(),
    };
    let mut files = Vec::new();
    {
        let mut layer = tar::Archive::new(&mut hashing);
        for entry in layer.entries().map_err(|e| e.to_string())? {
            let entry = entry.map_err(|e| e.to_string())?;
            if let Some(item) = layer_entry(&entry) {
                files.push(item);
            }
        }
    }
    // The tar reader stops at the end-of-archive marker; the padding after it is still part
    // of the bytes the diffID covers.
    std::io::copy(&mut hashing, &mut std::io::sink()).map_err(|e| e.to_string())?;
    let digest = hashing.hasher.finalize();
    Ok((format!("sha256:{}", hex::encode(digest)), files))
}

fn layer_entry<R: Read>(entry: &tar::Entry<'_, R>) -> Option<LayerEntry> {
    let raw = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
    let path = raw
        .trim_start_matches("./")
        .trim_start_matches('/')
        .trim_end_matches('/')
        .to_string();
    let (dir, name) = match path.rsplit_once('/') {
        Some((dir, name)) => (dir.to_string(), name),
        None => (String::new(), path.as_str()),
    };
    if name == ".wh..wh..opq" {
        return Some(LayerEntry {
            path: dir,
            size: 0,
            kind: EntryKind::Opaque,
        });
    }
    if name.starts_with(".wh..wh.") {
        return None; // other AUFS metadata
    }
    if let Some(hidden) = name.strip_prefix(".wh.") {
        let target = if dir.is_empty() {
            hidden.to_string()
        } else {
            format!("{dir}/{hidden}")
        };
        return Some(LayerEntry {
            path: target,
            size: 0,
            kind: EntryKind::Whiteout,
        });
    }
    let header = entry.header();
    let (kind, size) = match header.entry_type() {
        tar::EntryType::Regular | tar::EntryType::Continuous => {
            (EntryKind::File, header.size().unwrap_or(0))
        }
        tar::EntryType::Symlink => {
            let target_len = entry.link_name_bytes().map(|b| b.len() as u64).unwrap_or(0);
            (EntryKind::Symlink, target_len)
        }
        tar::EntryType::Link => (EntryKind::HardLink, 0),
        tar::EntryType::Directory => (EntryKind::Dir, 0),
        _ => (EntryKind::Other, 0),
    };
    Some(LayerEntry { path, size, kind })
}

struct HashingReader<R> {
    inner: R,
    hasher: Sha256,
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}

/// A blocking `Read` over the chunks the async side sends.
struct ChannelReader {
    rx: mpsc::Receiver<Result<Bytes, String>>,
    current: Bytes,
}

impl ChannelReader {
    fn new(rx: mpsc::Receiver<Result<Bytes, String>>) -> Self {
        Self {
            rx,
            current: Bytes::new(),
        }
    }
}

impl Read for ChannelReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.current.is_empty() {
            match self.rx.blocking_recv() {
                Some(Ok(chunk)) => self.current = chunk,
                Some(Err(reason)) => return Err(std::io::Error::other(reason)),
                None => return Ok(0),
            }
        }
        let n = buf.len().min(self.current.len());
        buf[..n].copy_from_slice(&self.current[..n]);
        let _ = self.current.split_to(n);
        Ok(n)
    }
}
