//! Decoders for the nested service structures: build, deploy, develop, healthcheck,
//! networks, volumes (long and short form), hooks, GPUs, extra_hosts, shell-word splitting.

use super::super::error::{LoadError, index, join};
use super::super::model::{
    BindOptions, BlkioConfig, DevelopConfig, Healthcheck, ImageOptions, ServiceHook,
    ServiceNetwork, TmpfsOptions, VolumeMount, VolumeOptions, WatchRule,
};
use super::super::yaml::{Node, Value};
use super::short::parse_volume;
use super::values::{
    Result, boolean, bytes, duration, env_map, expected, int, is_extension, map, one_of, string,
    string_list, string_map, uint, unknown_key,
};

/// `extra_hosts`: list of `host:ip` / `host=ip`, or mapping `host: ip|[ips]` → `host=ip`.
pub fn extra_hosts(node: &Node, path: &str) -> Result<Vec<String>> {
    let mut out = Vec::new();
    match &node.value {
        Value::Map(entries) => {
            for (host, v) in entries {
                let p = join(path, host);
                for ip in string_list(v, &p, true)? {
                    out.push(format!("{host}={ip}"));
                }
            }
        }
        _ => {
            for (i, entry) in string_list(node, path, false)?.into_iter().enumerate() {
                let split = entry.split_once('=').or_else(|| entry.split_once(':'));
                match split {
                    // `myhost:[2001:db8::33]`: Compose drops the brackets of an IPv6 address.
                    Some((host, ip)) => {
                        let ip = ip
                            .strip_prefix('[')
                            .and_then(|i| i.strip_suffix(']'))
                            .unwrap_or(ip);
                        out.push(format!("{host}={ip}"));
                    }
                    None => {
                        let item = match &node.value {
                            Value::Seq(items) => items.get(i).unwrap_or(node),
                            _ => node,
                        };
                        return Err(LoadError::at(
                            item.pos.clone(),
                            index(path, i),
                            format!("invalid extra host {entry:?}: expected HOST:IP or HOST=IP"),
                        ));
                    }
                }
            }
        }
    }
    Ok(out)
}

pub fn healthcheck(node: &Node, path: &str) -> Result<Healthcheck> {
    let mut h = Healthcheck::default();
    const KEYS: &[&str] = &[
        "test",
        "timeout",
        "interval",
        "retries",
        "start_period",
        "start_interval",
        "disable",
    ];
    for (key, v) in map(node, path)? {
        let p = join(path, key);
        let p = p.as_str();
        match key.as_str() {
            "test" => {
                h.test = match &v.value {
                    Value::Seq(_) => {
                        let test = string_list(v, p, false)?;
                        if let Some(first) = test.first()
                            && !matches!(first.as_str(), "NONE" | "CMD" | "CMD-SHELL")
                        {
                            return Err(LoadError::at(
                                    v.pos.clone(),
                                    p,
                                    format!("healthcheck.test must start with NONE, CMD or CMD-SHELL, found {first:?}"),
                                )
                                .with_help(format!("write [\"CMD\", {first:?}, ...] or a plain string for a shell command")));
                        }
                        test
                    }
                    _ => vec!["CMD-SHELL".to_owned(), string(v, p)?],
                };
            }
            "timeout" => h.timeout = Some(duration(v, p)?),
            "interval" => h.interval = Some(duration(v, p)?),
            "retries" => h.retries = Some(uint(v, p)?),
            "start_period" => h.start_period = Some(duration(v, p)?),
            "start_interval" => h.start_interval = Some(duration(v, p)?),
            "disable" => h.disable = boolean(v, p)?,
            k if is_extension(k) => {}
            k => return Err(unknown_key(k, v, path, KEYS)),
        }
    }
    Ok(h)
}

pub fn service_network(node: &Node, path: &str) -> Result<ServiceNetwork> {
    let mut n = ServiceNetwork::default();
    const KEYS: &[&str] = &[
        "aliases",
        "driver_opts",
        "gw_priority",
        "interface_name",
        "ipv4_address",
        "ipv6_address",
        "link_local_ips",
        "mac_address",
        "priority",
    ];
    for (key, v) in map(node, path)? {
        let p = join(path, key);
        let p = p.as_str();
        match key.as_str() {
            "aliases" => n.aliases = string_list(v, p, false)?,
            "driver_opts" => n.driver_opts = string_map(v, p)?,
            "gw_priority" => n.gw_priority = int(v, p)?,
            "interface_name" => n.interface_name = string(v, p)?,
            "ipv4_address" => n.ipv4_address = string(v, p)?,
            "ipv6_address" => n.ipv6_address = string(v, p)?,
            "link_local_ips" => n.link_local_ips = string_list(v, p, false)?,
            "mac_address" => n.mac_address = string(v, p)?,
            "priority" => n.priority = int(v, p)?,
            k if is_extension(k) => {}
            k => return Err(unknown_key(k, v, path, KEYS)),
        }
    }
    Ok(n)
}

pub fn volumes(node: &Node, path: &str) -> Result<Vec<VolumeMount>> {
    let Value::Seq(items) = &node.value else {
        return Err(expected(node, path, "a list of volumes"));
    };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| volume(item, &index(path, i)))
        .collect()
}

pub fn volume(item: &Node, path: &str) -> Result<VolumeMount> {
    if !matches!(item.value, Value::Map(_)) {
        let spec = string(item, path)?;
        return parse_volume(&spec).map_err(|msg| {
            LoadError::at(item.pos.clone(), path, msg)
                .with_help("write volumes as SOURCE:TARGET[:ro], e.g. \"./src:/app/src\" or \"data:/var/lib/data\"")
        });
    }
    let mut m = VolumeMount::default();
    const KEYS: &[&str] = &[
        "type",
        "source",
        "target",
        "read_only",
        "consistency",
        "bind",
        "volume",
        "tmpfs",
        "image",
    ];
    for (key, v) in map(item, path)? {
        let p = join(path, key);
        let p = p.as_str();
        match key.as_str() {
            "type" => {
                m.kind = one_of(
                    v,
                    p,
                    &["bind", "volume", "tmpfs", "image", "npipe", "cluster"],
                )?
            }
            "source" => m.source = string(v, p)?,
            "target" => m.target = string(v, p)?,
            "read_only" => m.read_only = boolean(v, p)?,
            "consistency" => m.consistency = string(v, p)?,
            "bind" => {
                let mut b = BindOptions::default();
                for (k, x) in map(v, p)? {
                    let kp = join(p, k);
                    match k.as_str() {
                        "propagation" => b.propagation = string(x, &kp)?,
                        "create_host_path" => b.create_host_path = boolean(x, &kp)?,
                        "selinux" => b.selinux = one_of(x, &kp, &["z", "Z"])?,
                        "recursive" => {
                            b.recursive =
                                one_of(x, &kp, &["enabled", "disabled", "writable", "readonly"])?
                        }
                        other if is_extension(other) => {}
                        other => {
                            return Err(unknown_key(
                                other,
                                x,
                                p,
                                &["propagation", "create_host_path", "selinux", "recursive"],
                            ));
                        }
                    }
                }
                m.bind = Some(b);
            }
            "volume" => {
                let mut o = VolumeOptions::default();
                for (k, x) in map(v, p)? {
                    let kp = join(p, k);
                    match k.as_str() {
                        "nocopy" => o.nocopy = boolean(x, &kp)?,
                        "subpath" => o.subpath = string(x, &kp)?,
                        "labels" => o.labels = string_map(x, &kp)?,
                        other if is_extension(other) => {}
                        other => {
                            return Err(unknown_key(other, x, p, &["nocopy", "subpath", "labels"]));
                        }
                    }
                }
                m.volume = Some(o);
            }
            "tmpfs" => {
                let mut o = TmpfsOptions::default();
                for (k, x) in map(v, p)? {
                    let kp = join(p, k);
                    match k.as_str() {
                        "size" => o.size = bytes(x, &kp)?,
                        "mode" => o.mode = super::values::file_mode(x, &kp)?,
                        other if is_extension(other) => {}
                        other => return Err(unknown_key(other, x, p, &["size", "mode"])),
                    }
                }
                m.tmpfs = Some(o);
            }
            "image" => {
                let mut o = ImageOptions::default();
                for (k, x) in map(v, p)? {
                    let kp = join(p, k);
                    match k.as_str() {
                        "subpath" => o.subpath = string(x, &kp)?,
                        other => return Err(unknown_key(other, x, p, &["subpath"])),
                    }
                }
                m.image = Some(o);
            }
            k if is_extension(k) => {}
            k => return Err(unknown_key(k, v, path, KEYS)),
        }
    }
    if m.kind.is_empty() {
        return Err(LoadError::at(
            item.pos.clone(),
            path,
            "volume is missing `type`".to_owned(),
        )
        .with_help("add `type: bind`, `type: volume` or `type: tmpfs`"));
    }
    if m.target.is_empty() && m.kind != "npipe" {
        return Err(LoadError::at(
            item.pos.clone(),
            path,
            "volume is missing `target`".to_owned(),
        )
        .with_help("add `target:` with the path inside the container"));
    }
    Ok(m)
}

pub fn develop(node: &Node, path: &str) -> Result<DevelopConfig> {
    let mut d = DevelopConfig::default();
    for (key, v) in map(node, path)? {
        let p = join(path, key);
        match key.as_str() {
            "watch" => {
                let Value::Seq(items) = &v.value else {
                    return Err(expected(v, &p, "a list of watch rules"));
                };
                for (i, item) in items.iter().enumerate() {
                    d.watch.push(watch_rule(item, &index(&p, i))?);
                }
            }
            k if is_extension(k) => {}
            k => return Err(unknown_key(k, v, path, &["watch"])),
        }
    }
    Ok(d)
}

fn watch_rule(node: &Node, path: &str) -> Result<WatchRule> {
    let mut w = WatchRule::default();
    const KEYS: &[&str] = &[
        "path",
        "action",
        "target",
        "exec",
        "ignore",
        "include",
        "initial_sync",
    ];
    for (key, v) in map(node, path)? {
        let p = join(path, key);
        let p = p.as_str();
        match key.as_str() {
            "path" => w.path = string(v, p)?,
            "action" => {
                w.action = one_of(
                    v,
                    p,
                    &["sync", "rebuild", "restart", "sync+restart", "sync+exec"],
                )?;
            }
            "target" => w.target = string(v, p)?,
            "exec" => w.exec = hook(v, p)?,
            "ignore" => w.ignore = string_list(v, p, true)?,
            "include" => w.include = string_list(v, p, true)?,
            "initial_sync" => w.initial_sync = boolean(v, p)?,
            k if is_extension(k) => {}
            k => return Err(unknown_key(k, v, path, KEYS)),
        }
    }
    for (field, missing) in [("path", w.path.is_empty()), ("action", w.action.is_empty())] {
        if missing {
            return Err(LoadError::at(
                node.pos.clone(),
                path,
                format!("watch rule is missing `{field}`"),
            )
            .with_help("each develop.watch rule needs `path` and `action`"));
        }
    }
    Ok(w)
}

pub fn hooks(node: &Node, path: &str) -> Result<Vec<ServiceHook>> {
    let Value::Seq(items) = &node.value else {
        return Err(expected(node, path, "a list of hooks"));
    };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| hook(item, &index(path, i)))
        .collect()
}

fn hook(node: &Node, path: &str) -> Result<ServiceHook> {
    let mut h = ServiceHook::default();
    for (key, v) in map(node, path)? {
        let p = join(path, key);
        let p = p.as_str();
        match key.as_str() {
            "command" => h.command = shell_command(v, p)?,
            "user" => h.user = string(v, p)?,
            "privileged" => h.privileged = boolean(v, p)?,
            "working_dir" => h.working_dir = string(v, p)?,
            "environment" => h.environment = env_map(v, p)?,
            k if is_extension(k) => {}
            k => {
                return Err(unknown_key(
                    k,
                    v,
                    path,
                    &[
                        "command",
                        "user",
                        "privileged",
                        "working_dir",
                        "environment",
                    ],
                ));
            }
        }
    }
    Ok(h)
}

pub fn blkio(node: &Node, path: &str) -> Result<BlkioConfig> {
    let mut b = BlkioConfig::default();
    for (key, v) in map(node, path)? {
        let p = join(path, key);
        let p = p.as_str();
        match key.as_str() {
            "weight" => b.weight = int(v, p)?,
            "weight_device" => b.weight_device = super::deploy::list_json(v, p)?,
            "device_read_bps" => b.device_read_bps = super::deploy::list_json(v, p)?,
            "device_read_iops" => b.device_read_iops = super::deploy::list_json(v, p)?,
            "device_write_bps" => b.device_write_bps = super::deploy::list_json(v, p)?,
            "device_write_iops" => b.device_write_iops = super::deploy::list_json(v, p)?,
            k => {
                return Err(unknown_key(
                    k,
                    v,
                    path,
                    &[
                        "weight",
                        "weight_device",
                        "device_read_bps",
                        "device_read_iops",
                        "device_write_bps",
                        "device_write_iops",
                    ],
                ));
            }
        }
    }
    Ok(b)
}

/// Splits a command string into words like go-shellwords (used by compose-go): whitespace
/// separates, quotes group, backslash escapes outside single quotes. `None` on an open quote.
pub fn shell_split(text: &str) -> Option<Vec<String>> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut in_word = false;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next() {
                    current.push(next);
                }
                in_word = true;
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '\'' => break,
                        ch => current.push(ch),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '"' => break,
                        '\\' => match chars.next()? {
                            ch @ ('"' | '\\' | '$' | '`') => current.push(ch),
                            '\n' => {}
                            ch => {
                                current.push('\\');
                                current.push(ch);
                            }
                        },
                        ch => current.push(ch),
                    }
                }
            }
            ' ' | '\t' | '\r' | '\n' => {
                if in_word {
                    words.push(std::mem::take(&mut current));
                    in_word = false;
                }
            }
            ch => {
                current.push(ch);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(current);
    }
    Some(words)
}

/// `command` / `entrypoint`: a list, or a string split like a POSIX shell would.
pub fn shell_command(node: &Node, path: &str) -> Result<Option<Vec<String>>> {
    match &node.value {
        Value::Null => Ok(None),
        Value::Seq(_) => Ok(Some(string_list(node, path, false)?)),
        Value::Map(_) => Err(expected(node, path, "a string or a list of strings")),
        _ => {
            let text = string(node, path)?;
            let words = shell_split(&text).ok_or_else(|| {
                LoadError::at(
                    node.pos.clone(),
                    path,
                    format!("unterminated quote in {text:?}"),
                )
                .with_help("close the quote, or use the list form [\"prog\", \"arg\"]")
            })?;
            Ok(Some(words))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::shell_split;

    #[test]
    fn shell_words() {
        let split = |s: &str| shell_split(s).unwrap();
        assert_eq!(
            split("npm run dev -- --port 3000"),
            ["npm", "run", "dev", "--", "--port", "3000"]
        );
        assert_eq!(
            split("sh -c 'echo hi; exit 1'"),
            ["sh", "-c", "echo hi; exit 1"]
        );
        assert_eq!(
            split(r#"echo "a \"b\" c" d\ e"#),
            ["echo", "a \"b\" c", "d e"]
        );
        assert_eq!(split(""), Vec::<String>::new());
        assert_eq!(shell_split("echo 'open"), None);
    }
}
