//! Merging of YAML trees with Compose's per-field rules (override files and `extends`):
//! mappings merge recursively, scalars are replaced, sequences are appended and then
//! de-duplicated by their key (ports, volumes by target, env_file by path...), map-like
//! lists (`environment`, `labels`...) merge by key, and `!reset` / `!override` are honoured.

use indexmap::IndexMap;

use super::decode::short::parse_volume;
use super::yaml::{Directive, Node, Value};

/// How a field at a given path combines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rule {
    /// Later value replaces the earlier one wholesale.
    Replace,
    /// `K=V` list or mapping: merged by key.
    KeyValue,
    /// Appended, identical entries dropped.
    Unique,
    /// Appended, then later entries replace earlier ones with the same key (in place).
    KeyedBy(Key),
    /// List of names or mapping (`depends_on`, service `networks`): merged as a mapping.
    NamesOrMap,
    /// `ulimits`: each entry replaced as a whole.
    EntryReplace,
    /// `logging`: replaced when the driver differs, else merged.
    Logging,
    /// `build`: a string means `{context: s}`.
    Build,
    /// Plain append (no de-dup).
    Append,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    Port,
    VolumeTarget,
    DeviceTarget,
    SecretTarget,
    ConfigTarget,
    EnvFilePath,
}

fn service_rule(field: &[&str]) -> Rule {
    match field {
        ["command"] | ["entrypoint"] | ["healthcheck", "test"] => Rule::Replace,
        ["environment"]
        | ["labels"]
        | ["annotations"]
        | ["sysctls"]
        | ["build", "args"]
        | ["build", "labels"]
        | ["build", "additional_contexts"]
        | ["deploy", "labels"] => Rule::KeyValue,
        ["dns"]
        | ["dns_opt"]
        | ["dns_search"]
        | ["label_file"]
        | ["tmpfs"]
        | ["cap_add"]
        | ["cap_drop"]
        | ["profiles"]
        | ["links"]
        | ["expose"]
        | ["networks", _, "aliases"]
        | ["build", "tags"]
        | ["extra_hosts"]
        | ["build", "extra_hosts"]
        | ["security_opt"]
        | ["volumes_from"]
        | ["external_links"]
        | ["group_add"]
        | ["device_cgroup_rules"]
        | ["build", "cache_from"]
        | ["build", "cache_to"]
        | ["build", "platforms"]
        | ["build", "entitlements"]
        | ["post_start"]
        | ["pre_stop"] => Rule::Unique,
        ["env_file"] => Rule::KeyedBy(Key::EnvFilePath),
        ["ports"] => Rule::KeyedBy(Key::Port),
        ["volumes"] => Rule::KeyedBy(Key::VolumeTarget),
        ["devices"] => Rule::KeyedBy(Key::DeviceTarget),
        ["secrets"] => Rule::KeyedBy(Key::SecretTarget),
        ["configs"] => Rule::KeyedBy(Key::ConfigTarget),
        ["depends_on"] | ["networks"] => Rule::NamesOrMap,
        ["ulimits"] | ["build", "ulimits"] => Rule::EntryReplace,
        ["logging"] => Rule::Logging,
        ["build"] => Rule::Build,
        _ => Rule::Append,
    }
}

fn rule_for(path: &[&str]) -> Rule {
    match path {
        ["services", _, field @ ..] if !field.is_empty() => service_rule(field),
        ["networks" | "volumes", _, "labels"] => Rule::KeyValue,
        _ => Rule::Append,
    }
}

/// Merges `over` on top of `base` (the top-level documents of two compose files).
pub fn merge_documents(base: Node, over: Node) -> Node {
    let mut path = Vec::new();
    merge_at(Some(base), over, &mut path)
        .unwrap_or_else(|| Node::new(Value::Null, super::error::Pos::file_only("")))
}

/// Merges a service definition `over` on top of `base` (used by `extends`).
pub fn merge_service(base: Node, over: Node) -> Node {
    let mut path = vec!["services".to_owned(), "_".to_owned()];
    let pos = over.pos.clone();
    merge_at(Some(base), over, &mut path).unwrap_or_else(|| Node::new(Value::Null, pos))
}

/// Returns `None` when the result is "removed" (`!reset`).
fn merge_at(base: Option<Node>, over: Node, path: &mut Vec<String>) -> Option<Node> {
    match over.directive {
        Some(Directive::Reset) => return None,
        Some(Directive::Override) => {
            let mut node = over;
            node.directive = None;
            return Some(node);
        }
        None => {}
    }
    let Some(base) = base else {
        return Some(over);
    };
    let refs: Vec<&str> = path.iter().map(String::as_str).collect();
    let rule = rule_for(&refs);
    let merged = match rule {
        Rule::Replace => over,
        Rule::KeyValue => merge_maps(to_kv_map(base), to_kv_map(over), path),
        Rule::NamesOrMap => merge_maps(names_to_map(base, &refs), names_to_map(over, &refs), path),
        Rule::EntryReplace => match (base.value, over.value) {
            (Value::Map(mut b), Value::Map(o)) => {
                for (k, v) in o {
                    if v.directive == Some(Directive::Reset) {
                        b.shift_remove(&k);
                    } else {
                        b.insert(k, v);
                    }
                }
                Node {
                    value: Value::Map(b),
                    ..over_meta(&over.pos, &over.key_pos)
                }
            }
            (_, value) => Node {
                value,
                ..over_meta(&over.pos, &over.key_pos)
            },
        },
        Rule::Logging => {
            let driver = |n: &Node| {
                n.as_map()
                    .and_then(|m| m.get("driver"))
                    .and_then(Node::scalar_text)
            };
            match (driver(&base), driver(&over)) {
                (Some(a), Some(b)) if a != b => over,
                _ => merge_maps(base, over, path),
            }
        }
        Rule::Build => merge_maps(build_to_map(base), build_to_map(over), path),
        Rule::Unique | Rule::KeyedBy(_) | Rule::Append => match (&base.value, &over.value) {
            (Value::Map(_), Value::Map(_)) => merge_maps(base, over, path),
            // `extra_hosts` as a list in one file and a mapping in the other: both as
            // `host=ip` entries.
            (Value::Map(_), Value::Seq(_)) | (Value::Seq(_), Value::Map(_))
                if refs.last() == Some(&"extra_hosts") =>
            {
                append(hosts_to_list(base), hosts_to_list(over), rule)
            }
            (Value::Seq(_), _) | (_, Value::Seq(_)) if is_list_rule(rule) => {
                append(base, over, rule)
            }
            // `env_file: a.env` over `env_file: b.env` (and `dns`, `tmpfs`...): the string
            // form is a one-item list, and lists append.
            (Value::Str(_), Value::Str(_)) if is_list_rule(rule) => append(base, over, rule),
            (Value::Seq(_), Value::Seq(_)) => append(base, over, rule),
            _ => over,
        },
    };
    Some(merged)
}

fn is_list_rule(rule: Rule) -> bool {
    matches!(rule, Rule::Unique | Rule::KeyedBy(_))
}

fn over_meta(pos: &super::error::Pos, key_pos: &super::error::Pos) -> Node {
    Node {
        value: Value::Null,
        pos: pos.clone(),
        key_pos: key_pos.clone(),
        directive: None,
    }
}

fn merge_maps(base: Node, over: Node, path: &mut Vec<String>) -> Node {
    // Moves the trees instead of cloning them: merging is on the hot path of every load.
    let Node {
        value: base_value,
        pos,
        key_pos,
        ..
    } = base;
    let over_pos = over.pos;
    let over_key_pos = over.key_pos;
    let (mut entries, over_entries) = match (base_value, over.value) {
        (Value::Map(b), Value::Map(o)) => (b, o),
        (_, value) => {
            return Node {
                value,
                pos: over_pos,
                key_pos: over_key_pos,
                directive: None,
            };
        }
    };
    for (key, value) in over_entries {
        path.push(key);
        let key = path.last().cloned().unwrap_or_default();
        match entries.get_index_of(&key) {
            Some(i) => {
                let placeholder = Node::new(Value::Null, pos.clone());
                let old = std::mem::replace(&mut entries[i], placeholder);
                match merge_at(Some(old), value, path) {
                    Some(v) => entries[i] = v,
                    None => {
                        entries.shift_remove_index(i);
                    }
                }
            }
            None => {
                if let Some(v) = merge_at(None, value, path) {
                    entries.insert(key, v);
                }
            }
        }
        path.pop();
    }
    Node {
        value: Value::Map(entries),
        pos,
        key_pos,
        directive: None,
    }
}

/// `["K=V", "K2"]` → `{K: V, K2: null}`; mappings pass through.
fn to_kv_map(node: Node) -> Node {
    let Value::Seq(items) = &node.value else {
        return node;
    };
    let mut map = IndexMap::new();
    for item in items {
        let text = item.scalar_text().unwrap_or_default();
        let (k, v) = match text.split_once('=') {
            Some((k, v)) => (k.to_owned(), Value::Str(v.to_owned())),
            None => (text, Value::Null),
        };
        let mut n = item.clone();
        n.value = v;
        map.insert(k, n);
    }
    Node {
        value: Value::Map(map),
        ..node
    }
}

/// `[a, b]` → `{a: <default>, b: <default>}` (`depends_on` entries get the list defaults).
fn names_to_map(node: Node, path: &[&str]) -> Node {
    let Value::Seq(items) = &node.value else {
        return node;
    };
    let depends = path.last() == Some(&"depends_on");
    let mut map = IndexMap::new();
    for item in items {
        let name = item.scalar_text().unwrap_or_default();
        let value = if depends {
            let mut m = IndexMap::new();
            m.insert(
                "condition".to_owned(),
                Node::new(Value::Str("service_started".into()), item.pos.clone()),
            );
            m.insert(
                "required".to_owned(),
                Node::new(Value::Bool(true), item.pos.clone()),
            );
            Value::Map(m)
        } else {
            Value::Null
        };
        let mut n = item.clone();
        n.value = value;
        map.insert(name, n);
    }
    Node {
        value: Value::Map(map),
        ..node
    }
}

/// `{host: ip}` (or `{host: [ip, ip]}`) → `["host=ip", …]`; lists pass through.
fn hosts_to_list(node: Node) -> Node {
    let Value::Map(map) = &node.value else {
        return node;
    };
    let mut items = Vec::new();
    for (host, value) in map {
        let ips: Vec<String> = match &value.value {
            Value::Seq(ips) => ips.iter().filter_map(Node::scalar_text).collect(),
            _ => value.scalar_text().into_iter().collect(),
        };
        for ip in ips {
            items.push(Node::new(
                Value::Str(format!("{host}={ip}")),
                value.pos.clone(),
            ));
        }
    }
    Node {
        value: Value::Seq(items),
        ..node
    }
}

fn build_to_map(node: Node) -> Node {
    match &node.value {
        Value::Map(_) => node,
        _ => {
            let mut map = IndexMap::new();
            map.insert("context".to_owned(), node.clone());
            Node {
                value: Value::Map(map),
                ..node
            }
        }
    }
}

fn into_items(node: Node) -> Vec<Node> {
    match node.value {
        Value::Seq(items) => items,
        Value::Null => Vec::new(),
        _ => vec![node],
    }
}

fn append(base: Node, over: Node, rule: Rule) -> Node {
    let pos = base.pos.clone();
    let key_pos = base.key_pos.clone();
    let mut items = into_items(base);
    items.extend(into_items(over));
    let items = match rule {
        // `80` and `"80"` are the same entry (Compose compares them as strings).
        Rule::Unique => dedup(items, |n| {
            Some(
                n.scalar_text()
                    .unwrap_or_else(|| format!("{:?}", n.to_json())),
            )
        }),
        Rule::KeyedBy(key) => dedup(items, |n| item_key(n, key)),
        _ => items,
    };
    Node {
        value: Value::Seq(items),
        pos,
        key_pos,
        directive: None,
    }
}

/// Later entries replace earlier ones with the same key, keeping the earlier position.
fn dedup(items: Vec<Node>, key: impl Fn(&Node) -> Option<String>) -> Vec<Node> {
    let mut out: Vec<Node> = Vec::new();
    let mut seen: IndexMap<String, usize> = IndexMap::new();
    for item in items {
        match key(&item) {
            Some(k) => match seen.get(&k) {
                Some(&i) => out[i] = item,
                None => {
                    seen.insert(k, out.len());
                    out.push(item);
                }
            },
            None => out.push(item),
        }
    }
    out
}

fn field(node: &Node, name: &str) -> Option<String> {
    node.as_map()
        .and_then(|m| m.get(name))
        .and_then(Node::scalar_text)
}

fn item_key(node: &Node, key: Key) -> Option<String> {
    let is_map = matches!(node.value, Value::Map(_));
    match key {
        Key::Port => {
            if is_map {
                let proto = field(node, "protocol").unwrap_or_else(|| "tcp".into());
                Some(format!(
                    "{}:{}:{}/{}",
                    field(node, "host_ip").unwrap_or_default(),
                    field(node, "published").unwrap_or_default(),
                    field(node, "target").unwrap_or_default(),
                    proto
                ))
            } else {
                node.scalar_text()
            }
        }
        Key::VolumeTarget => {
            if is_map {
                field(node, "target")
            } else {
                node.scalar_text()
                    .and_then(|s| parse_volume(&s).ok())
                    .map(|v| v.target)
            }
        }
        Key::DeviceTarget => {
            if is_map {
                field(node, "target")
            } else {
                node.scalar_text().map(|s| {
                    let parts: Vec<&str> = s.split(':').collect();
                    parts.get(1).unwrap_or(&parts[0]).to_string()
                })
            }
        }
        Key::SecretTarget | Key::ConfigTarget => {
            let (source, target) = if is_map {
                (
                    field(node, "source").unwrap_or_default(),
                    field(node, "target"),
                )
            } else {
                (node.scalar_text().unwrap_or_default(), None)
            };
            Some(target.unwrap_or_else(|| {
                if key == Key::SecretTarget {
                    format!("/run/secrets/{source}")
                } else {
                    format!("/{source}")
                }
            }))
        }
        Key::EnvFilePath => {
            if is_map {
                field(node, "path")
            } else {
                node.scalar_text()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::super::yaml::parse_documents;
    use super::*;

    fn doc(text: &str) -> Node {
        let file: Arc<str> = Arc::from("t.yaml");
        parse_documents(&file, text).unwrap().remove(0)
    }

    fn merged(a: &str, b: &str) -> serde_json::Value {
        merge_documents(doc(a), doc(b)).to_json()
    }

    #[test]
    fn per_field_rules() {
        let out = merged(
            "services:\n  web:\n    image: a\n    command: [a, b]\n    environment: [A=1, B=2]\n    ports: ['80:80', '443:443']\n    volumes: ['./a:/data', 'x:/x']\n    cap_add: [NET_ADMIN]\n    depends_on: [db]\n",
            "services:\n  web:\n    image: b\n    command: [c]\n    environment: {B: '3', C: '4'}\n    ports: ['80:80', '8080:8080']\n    volumes: ['./b:/data']\n    cap_add: [NET_ADMIN, SYS_TIME]\n    depends_on:\n      db: {condition: service_healthy}\n",
        );
        let web = &out["services"]["web"];
        assert_eq!(web["image"], "b");
        assert_eq!(web["command"], serde_json::json!(["c"]));
        assert_eq!(
            web["environment"],
            serde_json::json!({"A": "1", "B": "3", "C": "4"})
        );
        assert_eq!(
            web["ports"],
            serde_json::json!(["80:80", "443:443", "8080:8080"])
        );
        assert_eq!(web["volumes"], serde_json::json!(["./b:/data", "x:/x"]));
        assert_eq!(web["cap_add"], serde_json::json!(["NET_ADMIN", "SYS_TIME"]));
        assert_eq!(
            web["depends_on"],
            serde_json::json!({"db": {"condition": "service_healthy", "required": true}})
        );
    }

    #[test]
    fn reset_and_override() {
        let out = merged(
            "services:\n  web:\n    ports: ['80:80']\n    environment: {A: '1', B: '2'}\n",
            "services:\n  web:\n    ports: !reset []\n    environment: !override {C: '3'}\n",
        );
        let web = &out["services"]["web"];
        assert!(web.get("ports").is_none());
        assert_eq!(web["environment"], serde_json::json!({"C": "3"}));
    }

    #[test]
    fn logging_and_build() {
        let out = merged(
            "services:\n  web:\n    build: ./a\n    logging: {driver: syslog, options: {a: '1'}}\n",
            "services:\n  web:\n    build: {dockerfile: X}\n    logging: {driver: json-file}\n",
        );
        let web = &out["services"]["web"];
        assert_eq!(
            web["build"],
            serde_json::json!({"context": "./a", "dockerfile": "X"})
        );
        assert_eq!(web["logging"], serde_json::json!({"driver": "json-file"}));
    }
}
