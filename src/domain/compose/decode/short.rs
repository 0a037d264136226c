//! Short-syntax parsers: ports (`[[IP:](port|range):](port|range)[/proto]`, docker's
//! `nat.ParsePortSpecs` rules) and volumes (`SRC:DST[:opts]`, compose-go's `ParseVolume`).

use super::super::model::{BindOptions, PortConfig, VolumeMount, VolumeOptions};

/// Expands one short port spec into one entry per container port.
pub fn parse_port(spec: &str) -> Result<Vec<PortConfig>, String> {
    let (body, proto) = match spec.rsplit_once('/') {
        Some((b, p)) if !p.is_empty() => (b, p.to_ascii_lowercase()),
        Some(_) => return Err(format!("invalid port {spec:?}: empty protocol")),
        None => (spec, "tcp".to_owned()),
    };
    if !matches!(proto.as_str(), "tcp" | "udp" | "sctp") {
        return Err(format!(
            "invalid protocol {proto:?} in port {spec:?}: expected tcp, udp or sctp"
        ));
    }
    let (ip, host, container) = split_port_parts(body).ok_or_else(|| {
        format!("invalid port {spec:?}: expected [HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]")
    })?;
    if !ip.is_empty() && ip.parse::<std::net::IpAddr>().is_err() {
        return Err(format!("invalid IP address {ip:?} in port {spec:?}"));
    }
    let (start, end) = port_range(container)
        .ok_or_else(|| format!("invalid container port {container:?} in {spec:?}: expected a port (1-65535) or a range like 8000-8010"))?;
    let host_range = if host.is_empty() {
        None
    } else {
        Some(port_range(host).ok_or_else(|| {
            format!("invalid host port {host:?} in {spec:?}: expected a port (1-65535) or a range like 8000-8010")
        })?)
    };
    if let Some((hs, he)) = host_range {
        // A host range may map onto one container port; two ranges must have equal sizes.
        if he - hs != end - start && end != start {
            return Err(format!(
                "invalid port {spec:?}: the host range and the container range have different sizes"
            ));
        }
    }
    let mut entries: Vec<(String, PortConfig)> = Vec::new();
    for (i, target) in (start..=end).enumerate() {
        let published = match host_range {
            None => String::new(),
            Some((hs, he)) if he - hs == end - start => (hs + i as u32).to_string(),
            Some((hs, he)) => format!("{hs}-{he}"),
        };
        let config = PortConfig {
            mode: "ingress".to_owned(),
            host_ip: ip.to_owned(),
            target,
            published,
            protocol: proto.clone(),
            ..PortConfig::default()
        };
        entries.push((format!("{target}/{proto}"), config));
    }
    // compose-go walks the ports in the order of their sorted "port/proto" strings.
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(entries.into_iter().map(|(_, c)| c).collect())
}

/// Splits `[ip:][host:]container`, with IPv6 addresses in brackets.
fn split_port_parts(body: &str) -> Option<(&str, &str, &str)> {
    if let Some(rest) = body.strip_prefix('[') {
        let (ip, after) = rest.split_once(']')?;
        let after = after.strip_prefix(':')?;
        let (host, container) = after.split_once(':')?;
        return Some((ip, host, container));
    }
    let parts: Vec<&str> = body.split(':').collect();
    match parts.as_slice() {
        [c] => Some(("", "", c)),
        [h, c] => Some(("", h, c)),
        [ip, h, c] => Some((ip, h, c)),
        _ => {
            // An unbracketed IPv6 address: the last two parts are host and container.
            let (rest, container) = body.rsplit_once(':')?;
            let (ip, host) = rest.rsplit_once(':')?;
            if ip.contains(':') {
                Some((ip, host, container))
            } else {
                None
            }
        }
    }
}

fn port_range(text: &str) -> Option<(u32, u32)> {
    let parse = |p: &str| p.parse::<u32>().ok().filter(|n| *n <= 65535);
    match text.split_once('-') {
        Some((a, b)) => {
            let (a, b) = (parse(a)?, parse(b)?);
            (a <= b).then_some((a, b))
        }
        None => parse(text).map(|p| (p, p)),
    }
}

/// Whether a short-syntax volume source is a host path (bind) rather than a volume name.
pub fn is_host_path(source: &str) -> bool {
    let bytes = source.as_bytes();
    match bytes.first() {
        None => false,
        Some(b'.' | b'/' | b'~') => true,
        Some(b'\\') => bytes.get(1) == Some(&b'\\'),
        Some(c) => c.is_ascii_alphabetic() && bytes.get(1) == Some(&b':') && bytes.len() > 2,
    }
}

/// Parses `SRC:DST[:opts]` / `DST`. Relative sources are left as written (the caller
/// resolves them against the right directory).
pub fn parse_volume(spec: &str) -> Result<VolumeMount, String> {
    let mut mount = VolumeMount::default();
    if spec.is_empty() {
        return Err("invalid empty volume spec".to_owned());
    }
    if spec.chars().count() <= 2 {
        mount.kind = "volume".to_owned();
        mount.target = spec.to_owned();
        mount.volume = Some(VolumeOptions::default());
        return Ok(mount);
    }
    let parts = split_volume(spec);
    let (source, target, options) = match parts.as_slice() {
        [t] => ("", *t, None),
        [s, t] => (*s, *t, None),
        [s, t, o] => (*s, *t, Some(*o)),
        _ => return Err(format!("invalid volume {spec:?}: too many colons")),
    };
    if parts.iter().any(|p| p.is_empty()) {
        return Err(format!(
            "invalid volume {spec:?}: empty section between colons"
        ));
    }
    mount.source = source.to_owned();
    mount.target = target.to_owned();
    let mut bind: Option<BindOptions> = None;
    for option in options.unwrap_or("").split(',').filter(|o| !o.is_empty()) {
        match option {
            "ro" => mount.read_only = true,
            "rw" => mount.read_only = false,
            "nocopy" => {
                mount.volume = Some(VolumeOptions {
                    nocopy: true,
                    ..VolumeOptions::default()
                });
            }
            "z" | "Z" => bind.get_or_insert_with(BindOptions::default).selinux = option.to_owned(),
            "rprivate" | "private" | "rshared" | "shared" | "rslave" | "slave" => {
                bind.get_or_insert_with(BindOptions::default).propagation = option.to_owned();
            }
            // compose-go ignores options it does not know.
            _ => {}
        }
    }
    if is_host_path(&mount.source) {
        mount.kind = "bind".to_owned();
        mount.bind = Some(bind.unwrap_or_default());
    } else {
        mount.kind = "volume".to_owned();
        if mount.volume.is_none() {
            mount.volume = Some(VolumeOptions::default());
        }
        mount.bind = bind;
    }
    Ok(mount)
}

/// Splits on `:` but keeps a Windows drive letter (`C:\`) with its path.
fn split_volume(spec: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let bytes = spec.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b != b':' {
            continue;
        }
        let segment = &spec[start..i];
        let drive = segment.len() == 1
            && segment.as_bytes()[0].is_ascii_alphabetic()
            && matches!(bytes.get(i + 1), Some(b'\\' | b'/'));
        if drive {
            continue;
        }
        parts.push(segment);
        start = i + 1;
    }
    parts.push(&spec[start..]);
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ports(spec: &str) -> Vec<(String, u32, String, String)> {
        parse_port(spec)
            .unwrap()
            .into_iter()
            .map(|p| (p.host_ip, p.target, p.published, p.protocol))
            .collect()
    }

    #[test]
    fn port_forms() {
        assert_eq!(ports("3000"), [("".into(), 3000, "".into(), "tcp".into())]);
        assert_eq!(
            ports("8080:80"),
            [("".into(), 80, "8080".into(), "tcp".into())]
        );
        assert_eq!(
            ports("127.0.0.1:8000-8001:80-81/UDP"),
            [
                ("127.0.0.1".into(), 80, "8000".into(), "udp".into()),
                ("127.0.0.1".into(), 81, "8001".into(), "udp".into())
            ]
        );
        assert_eq!(
            ports("9000-9010:80"),
            [("".into(), 80, "9000-9010".into(), "tcp".into())]
        );
        assert_eq!(
            ports("[::1]:80:80"),
            [("::1".into(), 80, "80".into(), "tcp".into())]
        );
        let order: Vec<u32> = ports("8-10").into_iter().map(|p| p.1).collect();
        assert_eq!(order, [10, 8, 9]);
    }

    #[test]
    fn bad_ports() {
        for spec in ["abc", "80:", "70000", "1-2:3-5", "80/xyz", "1:2:3:4"] {
            assert!(parse_port(spec).is_err(), "{spec}");
        }
    }

    #[test]
    fn volume_forms() {
        let v = parse_volume("./src:/app:ro,z").unwrap();
        assert_eq!(
            (
                v.kind.as_str(),
                v.source.as_str(),
                v.target.as_str(),
                v.read_only
            ),
            ("bind", "./src", "/app", true)
        );
        assert_eq!(v.bind.unwrap().selinux, "z");
        let v = parse_volume("data:/data:nocopy").unwrap();
        assert_eq!(v.kind, "volume");
        assert!(v.volume.unwrap().nocopy);
        let v = parse_volume("/tmp").unwrap();
        assert_eq!(
            (v.kind.as_str(), v.source.as_str(), v.target.as_str()),
            ("volume", "", "/tmp")
        );
        assert!(parse_volume("a:b:c:d").is_err());
        assert!(parse_volume("a::b").is_err());
    }
}
