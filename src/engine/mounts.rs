//! Mounts of a service for the engine, as Compose's `buildContainerVolumes` does: simple binds
//! and named volumes as `Binds`, anonymous volumes, tmpfs and strict binds as `Mounts`,
//! service `tmpfs:` as `HostConfig.Tmpfs`, file secrets and configs as read-only binds.

use std::collections::HashMap;

use bollard::models::{Mount, MountBindOptions, MountTmpfsOptions, MountType, MountVolumeOptions};

use crate::domain::compose::model::VolumeMount;
use crate::domain::compose::{Project, Service};

use super::labels;

fn non_empty_str(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_owned())
}

/// Simple binds and named volumes go into `Binds` (as Compose does); anonymous volumes,
/// tmpfs mounts and binds that must not create their source use `Mounts`. File secrets and
/// configs become read-only binds.
pub fn volumes(project: &Project, s: &Service) -> (Vec<String>, Vec<Mount>) {
    let mut binds = Vec::new();
    let mut mounts = Vec::new();
    for v in &s.volumes {
        match v.kind.as_str() {
            "bind"
                if v.bind
                    .as_ref()
                    .is_none_or(|b| b.create_host_path && b.propagation.is_empty()) =>
            {
                binds.push(bind_string(&v.source, v));
            }
            "volume"
                if !v.source.is_empty()
                    && v.volume
                        .as_ref()
                        .is_none_or(|o| !o.nocopy && o.subpath.is_empty()) =>
            {
                let name = labels::volume_name(project, &v.source);
                binds.push(bind_string(&name, v));
            }
            _ => mounts.push(mount(project, v)),
        }
    }
    for r in &s.secrets {
        if let Some(file) = project
            .secrets
            .get(&r.source)
            .filter(|f| !f.file.is_empty())
        {
            let target = if r.target.is_empty() {
                format!("/run/secrets/{}", r.source)
            } else if r.target.starts_with('/') {
                r.target.clone()
            } else {
                format!("/run/secrets/{}", r.target)
            };
            binds.push(format!("{}:{target}:ro", file.file));
        }
    }
    for r in &s.configs {
        if let Some(file) = project
            .configs
            .get(&r.source)
            .filter(|f| !f.file.is_empty())
        {
            let target = if r.target.is_empty() {
                format!("/{}", r.source)
            } else {
                r.target.clone()
            };
            binds.push(format!("{}:{target}:ro", file.file));
        }
    }
    (binds, mounts)
}

fn bind_string(source: &str, v: &VolumeMount) -> String {
    let mut opts = vec![if v.read_only { "ro" } else { "rw" }.to_owned()];
    if let Some(selinux) = v
        .bind
        .as_ref()
        .map(|b| b.selinux.as_str())
        .filter(|s| !s.is_empty())
    {
        opts.push(selinux.to_owned());
    }
    format!("{source}:{}:{}", v.target, opts.join(","))
}

fn mount(project: &Project, v: &VolumeMount) -> Mount {
    let typ = match v.kind.as_str() {
        "bind" => MountType::BIND,
        "tmpfs" => MountType::TMPFS,
        "image" => MountType::IMAGE,
        "npipe" => MountType::NPIPE,
        _ => MountType::VOLUME,
    };
    let source = match typ {
        MountType::VOLUME if !v.source.is_empty() => Some(labels::volume_name(project, &v.source)),
        MountType::TMPFS => None,
        _ => non_empty_str(&v.source),
    };
    Mount {
        target: Some(v.target.clone()),
        source,
        typ: Some(typ),
        read_only: v.read_only.then_some(true),
        bind_options: v.bind.as_ref().map(|b| MountBindOptions {
            propagation: serde_json::from_value(serde_json::Value::String(b.propagation.clone()))
                .ok(),
            create_mountpoint: Some(b.create_host_path),
            ..MountBindOptions::default()
        }),
        volume_options: v.volume.as_ref().map(|o| MountVolumeOptions {
            no_copy: o.nocopy.then_some(true),
            labels: (!o.labels.is_empty()).then(|| {
                o.labels
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect()
            }),
            subpath: non_empty_str(&o.subpath),
            ..MountVolumeOptions::default()
        }),
        tmpfs_options: v.tmpfs.as_ref().map(|t| MountTmpfsOptions {
            size_bytes: (!t.size.is_zero()).then_some(t.size.0),
            mode: (t.mode != 0).then_some(i64::from(t.mode)),
            ..MountTmpfsOptions::default()
        }),
        ..Mount::default()
    }
}

pub fn tmpfs(s: &Service) -> Option<HashMap<String, String>> {
    (!s.tmpfs.is_empty()).then(|| {
        s.tmpfs
            .iter()
            .map(|t| match t.split_once(':') {
                Some((path, opts)) => (path.to_owned(), opts.to_owned()),
                None => (t.clone(), String::new()),
            })
            .collect()
    })
}
