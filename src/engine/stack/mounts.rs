//! Mounts of a service for the engine, as Compose's `buildContainerVolumes` does: simple binds
//! and named volumes as `Binds`, anonymous volumes, tmpfs and strict binds as `Mounts`,
//! service `tmpfs:` as `HostConfig.Tmpfs`, file secrets and configs as read-only binds; and
//! the volumes a replacement container inherits from the one it replaces.

use std::collections::{BTreeSet, HashMap};

use bollard::models::{
    Mount, MountBindOptions, MountPoint, MountTmpfsOptions, MountType, MountVolumeOptions,
};

use crate::domain::compose::model::VolumeMount;
use crate::domain::compose::{Project, Service};

use super::labels;

fn non_empty_str(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_owned())
}

/// Simple binds and named volumes go into `Binds` (as Compose does); anonymous volumes,
/// tmpfs mounts and binds that must not create their source use `Mounts`. File secrets and
/// configs become read-only binds. `inherited` (see [`inherited`]) replaces the service's
/// anonymous volumes at the same paths.
pub fn volumes(project: &Project, s: &Service, inherited: &[Mount]) -> (Vec<String>, Vec<Mount>) {
    let mut binds = Vec::new();
    let mut mounts: Vec<Mount> = inherited.to_vec();
    let taken: BTreeSet<&str> = inherited
        .iter()
        .filter_map(|m| m.target.as_deref())
        .collect();
    for v in &s.volumes {
        if is_anonymous(v) && taken.contains(v.target.as_str()) {
            continue;
        }
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

fn is_anonymous(v: &VolumeMount) -> bool {
    v.kind == "volume" && v.source.is_empty()
}

/// What a replacement container takes over from the container it replaces, as Compose's
/// `buildContainerMountOptions` does on recreate: each old mount other than tmpfs whose path is
/// a VOLUME of the new image, or an anonymous volume of the service, is mounted again from the
/// same volume (or host path), so `- /app/node_modules` and a database image's data outlive
/// `--force-recreate`, a config change and a watch rebuild instead of being orphaned.
pub fn inherited(old: &[MountPoint], image_volumes: &BTreeSet<String>, s: &Service) -> Vec<Mount> {
    let anonymous: BTreeSet<&str> = s
        .volumes
        .iter()
        .filter(|v| is_anonymous(v))
        .map(|v| v.target.as_str())
        .collect();
    // The service's own mount at a path wins over the image's VOLUME there (Compose fills the
    // service's mounts over the inherited ones).
    let declared: BTreeSet<&str> = s
        .volumes
        .iter()
        .filter(|v| !is_anonymous(v))
        .map(|v| v.target.as_str())
        .chain(s.tmpfs.iter().map(|t| t.split(':').next().unwrap_or(t)))
        .collect();
    let mut out: Vec<Mount> = Vec::new();
    for m in old {
        let (Some(kind), Some(destination)) = (m.typ.as_deref(), m.destination.as_deref()) else {
            continue;
        };
        let typ = match kind {
            "volume" => MountType::VOLUME,
            "bind" => MountType::BIND,
            _ => continue,
        };
        let wanted = anonymous.contains(destination)
            || (image_volumes.contains(destination) && !declared.contains(destination));
        if !wanted {
            continue;
        }
        if out.iter().any(|o| o.target.as_deref() == Some(destination)) {
            continue;
        }
        let source = if typ == MountType::VOLUME {
            m.name.clone()
        } else {
            m.source.clone()
        };
        let Some(source) = source.filter(|s| !s.is_empty()) else {
            continue;
        };
        out.push(Mount {
            target: Some(destination.to_owned()),
            source: Some(source),
            typ: Some(typ),
            read_only: (m.rw == Some(false)).then_some(true),
            ..Mount::default()
        });
    }
    out
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
