//! Relative path resolution on the YAML tree, before merging: Compose resolves every relative
//! path of the main files against the project directory, and those of `extends`/`include`
//! files against their own directory, so this runs per file with the right base.

use indexmap::IndexMap;

use super::decode::short::is_host_path;
use super::yaml::{Node, Value};

/// Go's `path.Clean` for `/`-separated paths.
pub fn clean(path: &str) -> String {
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            p => parts.push(p),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_owned(),
        (false, false) => joined,
    }
}

/// Makes `path` absolute against `base`, expanding a leading `~` to `home`.
pub fn absolute(base: &str, path: &str, home: Option<&str>) -> String {
    if let Some(home) = home {
        if path == "~" {
            return clean(home);
        }
        if let Some(rest) = path.strip_prefix("~/") {
            return clean(&format!("{home}/{rest}"));
        }
    }
    if path.starts_with('/') {
        clean(path)
    } else {
        clean(&format!("{base}/{path}"))
    }
}

/// Build contexts that are not local directories (left untouched, as compose-go does).
pub fn is_remote_context(context: &str) -> bool {
    [
        "http://",
        "https://",
        "git://",
        "ssh://",
        "github.com/",
        "git@",
        "service:",
        "docker-image://",
        "oci-layout://",
        "target:",
    ]
    .iter()
    .any(|p| context.starts_with(p))
        || context.contains("://")
}

/// Base directory and home used to resolve one file's paths.
#[derive(Debug, Clone)]
pub struct Resolver<'a> {
    pub base: &'a str,
    pub home: Option<&'a str>,
}

impl Resolver<'_> {
    fn abs(&self, path: &str) -> String {
        absolute(self.base, path, self.home)
    }

    fn fix_str(&self, node: &mut Node) {
        if let Value::Str(s) = &node.value {
            node.value = Value::Str(self.abs(s));
        }
    }

    /// Resolves paths in a whole document (services, secrets, configs).
    pub fn document(&self, doc: &mut Node) {
        let Some(top) = doc.as_map_mut() else {
            return;
        };
        if let Some(services) = top.get_mut("services").and_then(Node::as_map_mut) {
            for service in services.values_mut() {
                self.service(service);
            }
        }
        for kind in ["secrets", "configs"] {
            if let Some(items) = top.get_mut(kind).and_then(Node::as_map_mut) {
                for item in items.values_mut() {
                    if let Some(file) = item.as_map_mut().and_then(|m| m.get_mut("file")) {
                        self.fix_str(file);
                    }
                }
            }
        }
    }

    /// Resolves the path fields of one service definition.
    pub fn service(&self, service: &mut Node) {
        let Some(map) = service.as_map_mut() else {
            return;
        };
        if let Some(build) = map.get_mut("build") {
            self.build(build);
        }
        if let Some(env_file) = map.get_mut("env_file") {
            self.list_or_one(env_file, Some("path"));
        }
        if let Some(label_file) = map.get_mut("label_file") {
            self.list_or_one(label_file, None);
        }
        if let Some(Value::Seq(items)) = map.get_mut("volumes").map(|v| &mut v.value) {
            for item in items {
                self.volume(item);
            }
        }
        let watch = map
            .get_mut("develop")
            .and_then(Node::as_map_mut)
            .and_then(|d| d.get_mut("watch"));
        if let Some(Value::Seq(rules)) = watch.map(|w| &mut w.value) {
            for rule in rules {
                if let Some(path) = rule.as_map_mut().and_then(|r| r.get_mut("path")) {
                    self.fix_str(path);
                }
            }
        }
    }

    fn build(&self, build: &mut Node) {
        match &mut build.value {
            Value::Str(context) if !is_remote_context(context) => {
                *context = self.abs(context);
            }
            Value::Map(map) => {
                // No default context here: an override's `build: {target: dev}` must not
                // replace the base file's context when merged (the project directory is
                // filled in after merging, in `normalize`).
                if let Some(context) = map.get_mut("context")
                    && let Value::Str(c) = &context.value
                    && !is_remote_context(c)
                {
                    context.value = Value::Str(self.abs(c));
                }
                match map.get_mut("additional_contexts").map(|n| &mut n.value) {
                    Some(Value::Map(extra)) => self.additional_contexts(extra),
                    Some(Value::Seq(items)) => {
                        for item in items {
                            if let Value::Str(entry) = &mut item.value
                                && let Some((name, c)) = entry.split_once('=')
                                && !is_remote_context(c)
                            {
                                *entry = format!("{name}={}", self.abs(c));
                            }
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }

    fn additional_contexts(&self, map: &mut IndexMap<String, Node>) {
        for value in map.values_mut() {
            if let Value::Str(c) = &value.value
                && !is_remote_context(c)
            {
                value.value = Value::Str(self.abs(c));
            }
        }
    }

    fn list_or_one(&self, node: &mut Node, key: Option<&str>) {
        match &mut node.value {
            Value::Str(_) => self.fix_str(node),
            Value::Seq(items) => {
                for item in items {
                    match (&mut item.value, key) {
                        (Value::Str(_), _) => self.fix_str(item),
                        (Value::Map(m), Some(k)) => {
                            if let Some(p) = m.get_mut(k) {
                                self.fix_str(p);
                            }
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }

    fn volume(&self, item: &mut Node) {
        match &mut item.value {
            Value::Str(spec)
                // Only the source (before the first `:`) of a relative bind is rewritten.
                // Malformed specs are left alone so the decoder reports them as written.
                if (spec.starts_with('.') || spec.starts_with('~'))
                    && super::decode::short::parse_volume(spec).is_ok() =>
            {
                    let (source, rest) = match spec.split_once(':') {
                        Some((s, r)) => (s.to_owned(), format!(":{r}")),
                        None => (spec.clone(), String::new()),
                    };
                    if rest.is_empty() {
                        return;
                    }
                    *spec = format!("{}{rest}", self.abs(&source));
                }
            Value::Map(map) => {
                let is_bind = map.get("type").and_then(Node::as_str) == Some("bind");
                if let Some(source) = map.get_mut("source") {
                    let relative = source
                        .as_str()
                        .is_some_and(|s| is_host_path(s) && !s.starts_with('/'));
                    if is_bind && relative {
                        self.fix_str(source);
                    }
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_like_go() {
        assert_eq!(clean("/a/../b/"), "/b");
        assert_eq!(clean("/a/./b//c"), "/a/b/c");
        assert_eq!(clean("a/../../b"), "../b");
        assert_eq!(clean(""), ".");
        assert_eq!(clean("/.."), "/");
    }

    #[test]
    fn absolute_paths() {
        assert_eq!(absolute("/p", "./src", None), "/p/src");
        assert_eq!(absolute("/p", "~/x", Some("/home/me")), "/home/me/x");
        assert_eq!(absolute("/p", "/abs/./y", None), "/abs/y");
        assert_eq!(absolute("/p/q", "../r", None), "/p/r");
    }
}
