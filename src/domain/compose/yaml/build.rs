//! The tree builder: granit-parser events → `Node`s, each value spending its size from the
//! load's budget (aliases spend their anchor's size again, so alias bombs stop early), with the
//! nesting-depth limit that keeps the recursive walks of the tree off the end of the stack.

use std::collections::HashMap;
use std::sync::Arc;

use indexmap::IndexMap;
use serde_saphyr::granit_parser::{Event, Parser, Span, Tag};

use super::scalar::resolve_scalar;
use super::{Directive, Node, Value};
use crate::domain::compose::budget::{Budget, Growth, VALUE_COST};
use crate::domain::compose::error::{LoadError, Pos};
use crate::domain::limits::{Limit, Limits};

/// Parses every document of `text` (Compose merges multiple documents of one file in order)
/// under the default limits.
pub fn parse_documents(file: &Arc<str>, text: &str) -> Result<Vec<Node>, LoadError> {
    parse_documents_within(file, text, &mut Budget::new(&Limits::default()))
}

/// Parses every document of `text`, spending the tree's size from `budget`.
pub fn parse_documents_within(
    file: &Arc<str>,
    text: &str,
    budget: &mut Budget,
) -> Result<Vec<Node>, LoadError> {
    let max_depth = budget.limits().get(Limit::YamlDepth);
    let mut builder = Builder {
        file: file.clone(),
        anchors: HashMap::new(),
        budget,
        depth: 0,
        max_depth,
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

struct Builder<'b> {
    file: Arc<str>,
    /// Anchored nodes with what they cost, so each alias spends that much again.
    anchors: HashMap<usize, (Node, u64)>,
    budget: &'b mut Budget,
    depth: u64,
    max_depth: u64,
}

type Ev<'a> = (Event<'a>, Span);

impl Builder<'_> {
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
                    // The parser's own guard on flow nesting (`[[[[…`) fires before ours sees
                    // the events: same limit to the user, so the same words.
                    if err.info().contains("recursion limit") {
                        return Err(self.too_deep(pos));
                    }
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

    fn spend(&mut self, bytes: u64, growth: Growth, span: &Span) -> Result<(), LoadError> {
        let pos = self.pos(span);
        self.budget.spend(bytes, growth, &pos)
    }

    /// Enters a mapping or list; the walks over the tree recurse once per level.
    fn descend(&mut self, span: &Span) -> Result<(), LoadError> {
        self.depth += 1;
        if self.depth <= self.max_depth {
            return Ok(());
        }
        Err(self.too_deep(self.pos(span)))
    }

    fn too_deep(&self, pos: Pos) -> LoadError {
        let limits = self.budget.limits();
        LoadError::at(
            pos,
            "",
            format!(
                "YAML nested more than {} deep here ({})",
                Limit::YamlDepth.format(self.max_depth),
                limits.describe(Limit::YamlDepth)
            ),
        )
        .with_help(
            "flatten the structure; compose files need about ten levels (this limit is fixed)",
        )
    }

    fn node<'a>(
        &mut self,
        parser: &mut Parser<'a, serde_saphyr::granit_parser::StrInput<'a>>,
        event: Event<'a>,
        span: Span,
    ) -> Result<Node, LoadError> {
        let spent_before = self.budget.spent();
        let pos = self.pos(&span);
        let (node, anchor) = match event {
            Event::Alias(id) => {
                // Spent before cloning, so a bomb stops before its copies exist.
                let Some(cost) = self.anchors.get(&id).map(|(_, cost)| *cost) else {
                    return Err(self.error(&span, "unknown YAML alias"));
                };
                self.spend(cost, Growth::Aliases, &span)?;
                let Some((target, _)) = self.anchors.get(&id) else {
                    return Err(self.error(&span, "unknown YAML alias"));
                };
                let mut node = target.clone();
                node.key_pos = pos.clone();
                return Ok(node);
            }
            Event::UnresolvedAlias(name) => {
                return Err(self.error(&span, &format!("unknown YAML alias *{name}")));
            }
            Event::Scalar(text, style, anchor, tag) => {
                self.spend(VALUE_COST + text.len() as u64, Growth::Values, &span)?;
                let directive = directive_of(tag.as_deref());
                let value = resolve_scalar(&text, style, tag.as_deref());
                let mut node = Node::new(value, pos);
                node.directive = directive;
                (node, anchor)
            }
            Event::SequenceStart(_, anchor, tag) => {
                self.spend(VALUE_COST, Growth::Values, &span)?;
                self.descend(&span)?;
                let directive = directive_of(tag.as_deref());
                let mut items = Vec::new();
                loop {
                    let (event, span) = self.next(parser)?;
                    if matches!(event, Event::SequenceEnd) {
                        break;
                    }
                    items.push(self.node(parser, event, span)?);
                }
                self.depth -= 1;
                let mut node = Node::new(Value::Seq(items), pos);
                node.directive = directive;
                (node, anchor)
            }
            Event::MappingStart(_, anchor, tag) => {
                self.spend(VALUE_COST, Growth::Values, &span)?;
                self.descend(&span)?;
                let directive = directive_of(tag.as_deref());
                let map = self.mapping(parser, &span)?;
                self.depth -= 1;
                let mut node = Node::new(Value::Map(map), pos);
                node.directive = directive;
                (node, anchor)
            }
            _ => return Err(self.error(&span, "unexpected YAML structure")),
        };
        if anchor != 0 {
            let cost = self.budget.spent() - spent_before;
            self.anchors.insert(anchor, (node.clone(), cost));
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
