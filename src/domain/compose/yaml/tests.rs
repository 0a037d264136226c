//! Tree-building tests: go-yaml scalars, merge keys with positions, tags, aliases, duplicates.

use super::*;
use std::sync::Arc;

fn parse(text: &str) -> Node {
    let file: Arc<str> = Arc::from("t.yaml");
    let mut docs = parse_documents(&file, text).unwrap();
    docs.remove(0)
}

#[test]
fn scalars_resolve_like_go_yaml() {
    let node = parse("a: 1\nb: '1'\nc: true\nd: yes\ne: ~\nf: 1.5\ng: 0x10\nh: 1e3\ni: 0440\n");
    let map = node.as_map().unwrap();
    assert_eq!(map["a"].value, Value::Int(1));
    assert_eq!(map["b"].value, Value::Str("1".into()));
    assert_eq!(map["c"].value, Value::Bool(true));
    assert_eq!(map["d"].value, Value::Str("yes".into()));
    assert_eq!(map["e"].value, Value::Null);
    assert_eq!(map["f"].value, Value::Float(1.5));
    assert_eq!(map["g"].value, Value::Int(16));
    assert_eq!(map["h"].value, Value::Float(1000.0));
    assert_eq!(map["i"].value, Value::Int(0o440));
}

#[test]
fn merge_keys_and_positions() {
    let node = parse("base: &b\n  x: 1\n  y: 2\nsvc:\n  <<: *b\n  y: 3\n");
    let svc = &node.as_map().unwrap()["svc"];
    let map = svc.as_map().unwrap();
    assert_eq!(map["x"].value, Value::Int(1));
    assert_eq!(map["y"].value, Value::Int(3));
    assert_eq!((map["y"].pos.line, map["y"].pos.col), (6, 6));
    assert_eq!((map["y"].key_pos.line, map["y"].key_pos.col), (6, 3));
}

#[test]
fn reset_and_override_tags() {
    let node = parse("a: !reset []\nb: !override\n  - x\n");
    let map = node.as_map().unwrap();
    assert_eq!(map["a"].directive, Some(Directive::Reset));
    assert_eq!(map["b"].directive, Some(Directive::Override));
}

#[test]
fn alias_bomb_is_refused() {
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..9 {
        let p = i - 1;
        text.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    let file: Arc<str> = Arc::from("t.yaml");
    assert!(parse_documents(&file, &text).is_err());
}

#[test]
fn duplicate_keys_are_errors() {
    let file: Arc<str> = Arc::from("t.yaml");
    let err = parse_documents(&file, "a: 1\na: 2\n").unwrap_err();
    assert!(err.to_string().contains("already defined"), "{err}");
}
