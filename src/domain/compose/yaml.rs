//! YAML → `Node` tree with file/line/column on every node and key, built from the
//! granit-parser event stream (the parser under serde-saphyr). Handles anchors and aliases
//! (expanded, with a size budget against alias bombs), `<<` merge keys, the core-schema
//! scalar types as go-yaml resolves them, and the `!reset` / `!override` tags Compose uses.

use std::collections::HashMap;
use std::sync::Arc;

use indexmap::IndexMap;
use serde_saphyr::granit_parser::{Event, Parser, ScalarStyle, Span, Tag};

use super::error::{LoadError, Pos};

/// Upper bound on nodes produced by alias expansion (protects against "billion laughs").
const NODE_BUDGET: usize = 2_000_000;

/// A YAML value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(IndexMap<String, Node>),
}

/// Compose's merge-control tags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Directive {
    /// `!reset`: drop the value inherited from earlier files / the extended service.
    Reset,
    /// `!override`: replace the inherited value instead of merging.
    Override,
}

/// A value with where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    /// Position of the value.
    pub pos: Pos,
    /// Position of the mapping key that holds this value (same as `pos` for list items).
    pub key_pos: Pos,
    pub directive: Option<Directive>,
}

impl Node {
    pub fn new(value: Value, pos: Pos) -> Self {
        Self {
            value,
            key_pos: pos.clone(),
            pos,
            directive: None,
        }
    }

    pub fn as_map(&self) -> Option<&IndexMap<String, Node>> {
        match &self.value {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_map_mut(&mut self) -> Option<&mut IndexMap<String, Node>> {
        match &mut self.value {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    /// A scalar's text as Compose sees it after decoding into a string field.
    pub fn scalar_text(&self) -> Option<String> {
        match &self.value {
            Value::Str(s) => Some(s.clone()),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(f) => Some(format_float(*f)),
            Value::Bool(b) => Some(b.to_string()),
            Value::Null | Value::Seq(_) | Value::Map(_) => None,
        }
    }

    /// Short description of the kind, for "expected X, found Y" messages.
    pub fn kind_name(&self) -> &'static str {
        match &self.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "a number",
            Value::Float(_) => "a number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }

    /// Converts to JSON (extensions are kept verbatim in the model).
    pub fn to_json(&self) -> serde_json::Value {
        match &self.value {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Int(i) => serde_json::Value::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f)
                .map(serde_json::Value::Number)
                .unwrap_or(serde_json::Value::Null),
            Value::Str(s) => serde_json::Value::String(s.clone()),
            Value::Seq(items) => items.iter().map(Node::to_json).collect(),
            Value::Map(map) => map
                .iter()
                .map(|(k, v)| (k.clone(), v.to_json()))
                .collect::<serde_json::Map<_, _>>()
                .into(),
        }
    }
}

/// Prints a float the way Go's `strconv.FormatFloat(f, 'g', -1, 64)` mostly does for the
/// values people write in compose files (`0.5`, `1.5`, `2`).
pub fn format_float(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    }
}

/// Parses every document of `text` (Compose merges multiple documents of one file in order).
pub fn parse_documents(file: &Arc<str>, text: &str) -> Result<Vec<Node>, LoadError> {
    let mut builder = Builder {
        file: file.clone(),
        anchors: HashMap::new(),
        budget: NODE_BUDGET,
    };
    let mut parser = Parser::new_from_str(text);
    let mut docs = Vec::new();
    loop {
        let (event, _) = builder.next(&mut parser)?;
        match event {
            Event::StreamEnd => break,
            Event::DocumentStart(..) => {
                builder.anchors.clear();
                let (event, span) = builder.next(&mut parser)?;
                let node = match event {
                    Event::DocumentEnd => Node::new(Value::Null, builder.pos(&span)),
                    other => {
                        let node = builder.node(&mut parser, other, span)?;
                        let (end, _) = builder.next(&mut parser)?;
                        if !matches!(end, Event::DocumentEnd) {
                            return Err(
                                builder.error(&span, "unexpected YAML event after document")
                            );
                        }
                        node
                    }
                };
                docs.push(node);
            }
            _ => {}
        }
    }
    Ok(docs)
}

struct Builder {
    file: Arc<str>,
    anchors: HashMap<usize, Node>,
    budget: usize,
}

type Ev<'a> = (Event<'a>, Span);

impl Builder {
    fn pos(&self, span: &Span) -> Pos {
        Pos::new(
            self.file.clone(),
            span.start.line() as u32,
            span.start.col() as u32 + 1,
        )
    }

    fn error(&self, span: &Span, message: &str) -> LoadError {
        LoadError::at(self.pos(span), "", message.to_owned())
    }

    fn next<'a>(
        &self,
        parser: &mut Parser<'a, serde_saphyr::granit_parser::StrInput<'a>>,
    ) -> Result<Ev<'a>, LoadError> {
        loop {
            match parser.next_event() {
                None => {
                    return Err(LoadError::at(
                        Pos::new(self.file.clone(), 0, 0),
                        "",
                        "unexpected end of YAML input".to_owned(),
                    ));
                }
                Some(Err(err)) => {
                    let m = err.marker();
                    let pos = Pos::new(self.file.clone(), m.line() as u32, m.col() as u32 + 1);
                    return Err(
                        LoadError::at(pos, "", format!("invalid YAML: {}", err.info()))
                            .with_help("check the indentation and quoting around this position"),
                    );
                }
                Some(Ok((event, span))) => match event {
                    Event::Comment(..) | Event::Anchor(..) => continue,
                    other => return Ok((other, span)),
                },
            }
        }
    }

    fn spend(&mut self, count: usize, span: &Span) -> Result<(), LoadError> {
        if count > self.budget {
            return Err(self.error(span, "YAML aliases expand to too many nodes (alias bomb?)"));
        }
        self.budget -= count;
        Ok(())
    }

    fn node<'a>(
        &mut self,
        parser: &mut Parser<'a, serde_saphyr::granit_parser::StrInput<'a>>,
        event: Event<'a>,
        span: Span,
    ) -> Result<Node, LoadError> {
        self.spend(1, &span)?;
        let pos = self.pos(&span);
        let (node, anchor) = match event {
            Event::Alias(id) => {
                let Some(target) = self.anchors.get(&id).cloned() else {
                    return Err(self.error(&span, "unknown YAML alias"));
                };
                let size = count_nodes(&target);
                self.spend(size, &span)?;
                let mut node = target;
                node.key_pos = pos.clone();
                return Ok(node);
            }
            Event::UnresolvedAlias(name) => {
                return Err(self.error(&span, &format!("unknown YAML alias *{name}")));
            }
            Event::Scalar(text, style, anchor, tag) => {
                let directive = directive_of(tag.as_deref());
                let value = resolve_scalar(&text, style, tag.as_deref());
                let mut node = Node::new(value, pos);
                node.directive = directive;
                (node, anchor)
            }
            Event::SequenceStart(_, anchor, tag) => {
                let directive = directive_of(tag.as_deref());
                let mut items = Vec::new();
                loop {
                    let (event, span) = self.next(parser)?;
                    if matches!(event, Event::SequenceEnd) {
                        break;
                    }
                    items.push(self.node(parser, event, span)?);
                }
                let mut node = Node::new(Value::Seq(items), pos);
                node.directive = directive;
                (node, anchor)
            }
            Event::MappingStart(_, anchor, tag) => {
                let directive = directive_of(tag.as_deref());
                let map = self.mapping(parser, &span)?;
                let mut node = Node::new(Value::Map(map), pos);
                node.directive = directive;
                (node, anchor)
            }
            _ => return Err(self.error(&span, "unexpected YAML structure")),
        };
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
        Ok(node)
    }

    fn mapping<'a>(
        &mut self,
        parser: &mut Parser<'a, serde_saphyr::granit_parser::StrInput<'a>>,
        start: &Span,
    ) -> Result<IndexMap<String, Node>, LoadError> {
        let mut map: IndexMap<String, Node> = IndexMap::new();
        let mut merged: Vec<Node> = Vec::new();
        loop {
            let (event, key_span) = self.next(parser)?;
            if matches!(event, Event::MappingEnd) {
                break;
            }
            let key_node = self.node(parser, event, key_span)?;
            let key = match &key_node.value {
                Value::Map(_) | Value::Seq(_) => {
                    return Err(self.error(&key_span, "mapping keys must be scalars"));
                }
                Value::Null => "null".to_owned(),
                _ => key_node.scalar_text().unwrap_or_default(),
            };
            let (event, span) = self.next(parser)?;
            let mut value = self.node(parser, event, span)?;
            if key == "<<" && matches!(key_node.value, Value::Str(_)) {
                match &value.value {
                    Value::Map(_) => merged.push(value),
                    Value::Seq(items) => {
                        for item in items {
                            if !matches!(item.value, Value::Map(_)) {
                                return Err(LoadError::at(
                                    item.pos.clone(),
                                    "",
                                    "a `<<` merge list must contain only mappings".to_owned(),
                                ));
                            }
                            merged.push(item.clone());
                        }
                    }
                    _ => {
                        return Err(LoadError::at(
                            value.pos.clone(),
                            "",
                            "a `<<` merge key needs a mapping or a list of mappings".to_owned(),
                        ));
                    }
                }
                continue;
            }
            if map.contains_key(&key) {
                return Err(LoadError::at(
                    key_node.pos.clone(),
                    "",
                    format!("mapping key {key:?} already defined"),
                )
                .with_help("remove one of the duplicate keys"));
            }
            value.key_pos = key_node.pos.clone();
            map.insert(key, value);
        }
        // Explicit keys win over merged ones; among merge sources the first wins (YAML spec).
        let _ = start;
        for source in merged {
            if let Value::Map(entries) = source.value {
                for (k, v) in entries {
                    map.entry(k).or_insert(v);
                }
            }
        }
        Ok(map)
    }
}

fn count_nodes(node: &Node) -> usize {
    match &node.value {
        Value::Seq(items) => 1 + items.iter().map(count_nodes).sum::<usize>(),
        Value::Map(map) => 1 + map.values().map(count_nodes).sum::<usize>(),
        _ => 1,
    }
}

fn directive_of(tag: Option<&Tag>) -> Option<Directive> {
    let tag = tag?;
    if tag.handle() != "!" {
        return None;
    }
    match tag.suffix() {
        "reset" => Some(Directive::Reset),
        "override" => Some(Directive::Override),
        _ => None,
    }
}

/// go-yaml's resolution of untagged plain scalars (YAML 1.2 core schema plus the 1.1
/// spellings go-yaml v3 keeps for decoding into interfaces).
fn resolve_scalar(text: &str, style: ScalarStyle, tag: Option<&Tag>) -> Value {
    if let Some(tag) = tag {
        if tag.handle() == "tag:yaml.org,2002:" {
            return match tag.suffix() {
                "str" => Value::Str(text.to_owned()),
                "null" => Value::Null,
                "bool" => resolve_plain(text),
                "int" | "float" => resolve_plain(text),
                _ => Value::Str(text.to_owned()),
            };
        }
        if tag.handle() == "!" && matches!(tag.suffix(), "reset" | "override") {
            // The tag only marks merge behaviour; the value resolves as usual.
        } else {
            return Value::Str(text.to_owned());
        }
    }
    if style != ScalarStyle::Plain {
        return Value::Str(text.to_owned());
    }
    resolve_plain(text)
}

fn resolve_plain(text: &str) -> Value {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Value::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return Value::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Value::Float(f64::NAN),
        _ => {}
    }
    if let Some(i) = parse_int(text) {
        return Value::Int(i);
    }
    let first = text.as_bytes()[0];
    if (first.is_ascii_digit() || matches!(first, b'-' | b'+' | b'.'))
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E'))
        && text.bytes().any(|b| b.is_ascii_digit())
        && let Ok(f) = text.parse::<f64>()
    {
        return Value::Float(f);
    }
    Value::Str(text.to_owned())
}

fn parse_int(text: &str) -> Option<i64> {
    let (neg, body) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    if body.is_empty() {
        return None;
    }
    // go-yaml resolves plain integers with Go's `strconv.ParseInt(s, 0, 64)`: a leading `0`
    // means octal (so `mode: 0440` is 288), `0x` hex, `0o` octal, `0b` binary.
    let (radix, digits) = if let Some(rest) = body.strip_prefix("0x") {
        (16, rest)
    } else if let Some(rest) = body.strip_prefix("0o") {
        (8, rest)
    } else if let Some(rest) = body.strip_prefix("0b") {
        (2, rest)
    } else if body.len() > 1 && body.starts_with('0') {
        (8, &body[1..])
    } else {
        (10, body)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = i64::from_str_radix(digits, radix).ok()?;
    Some(if neg { -magnitude } else { magnitude })
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
