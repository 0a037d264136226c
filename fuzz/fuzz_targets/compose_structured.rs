//! Fuzz target, structure-aware: compose files built from a grammar (services, `x-` blocks
//! with anchors, `<<` merges, aliases of blocks and of scalars, nested `${…}` templates with
//! every operator, `extends` and `depends_on` between services) so inputs reach interpolation,
//! merging and the model instead of stopping at the YAML parser. The loader must return a
//! project or a LoadError; neither may panic, hang or exhaust memory.
#![no_main]

use std::fmt::Write;

use devbox::domain::compose::{LoadOptions, MemorySource, load};
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;

const NAMES: [&str; 8] = ["a", "b", "web", "db", "A", "PORT", "x_y", "HOME"];

#[derive(Arbitrary, Debug)]
struct Name(u8);

impl Name {
    fn text(&self) -> &'static str {
        NAMES[usize::from(self.0) % NAMES.len()]
    }
}

#[derive(Arbitrary, Debug)]
enum Template {
    Literal(Name),
    Number(u16),
    Var(Name),
    Braced(Name),
    Default { name: Name, colon: bool, value: Box<Template> },
    Alternate { name: Name, colon: bool, value: Box<Template> },
    Required { name: Name, colon: bool },
    Dollar,
    Unclosed(Name),
    Concat(Vec<Template>),
}

impl Template {
    fn render(&self, out: &mut String, depth: usize) {
        if depth > 64 {
            return;
        }
        let colon = |c: bool| if c { ":" } else { "" };
        match self {
            Template::Literal(n) => out.push_str(n.text()),
            Template::Number(n) => {
                let _ = write!(out, "{n}");
            }
            Template::Var(n) => {
                let _ = write!(out, "${}", n.text());
            }
            Template::Braced(n) => {
                let _ = write!(out, "${{{}}}", n.text());
            }
            Template::Default { name, colon: c, value } => {
                let _ = write!(out, "${{{}{}-", name.text(), colon(*c));
                value.render(out, depth + 1);
                out.push('}');
            }
            Template::Alternate { name, colon: c, value } => {
                let _ = write!(out, "${{{}{}+", name.text(), colon(*c));
                value.render(out, depth + 1);
                out.push('}');
            }
            Template::Required { name, colon: c } => {
                let _ = write!(out, "${{{}{}?missing}}", name.text(), colon(*c));
            }
            Template::Dollar => out.push_str("$$"),
            Template::Unclosed(n) => {
                let _ = write!(out, "${{{}", n.text());
            }
            Template::Concat(parts) => {
                for p in parts.iter().take(16) {
                    p.render(out, depth + 1);
                }
            }
        }
    }

    fn quoted(&self) -> String {
        let mut raw = String::new();
        self.render(&mut raw, 0);
        format!("\"{}\"", raw.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

#[derive(Arbitrary, Debug)]
enum Value {
    Template(Template),
    /// `*sN`: an alias of an anchored scalar.
    ScalarAlias(u8),
}

#[derive(Arbitrary, Debug)]
struct Block {
    environment: Vec<(Name, Value)>,
    ports: Vec<Template>,
    labels: Vec<(Name, Template)>,
    /// `<<: *bN` inside the block itself (a chain of merges).
    merge: Option<u8>,
}

#[derive(Arbitrary, Debug)]
struct ServiceDef {
    image: Option<Value>,
    block: Block,
    merges: Vec<u8>,
    whole_alias: Option<u8>,
    depends_on: Vec<u8>,
    extends: Option<u8>,
    profiles: Vec<Name>,
}

#[derive(Arbitrary, Debug)]
struct Doc {
    scalars: Vec<Template>,
    blocks: Vec<Block>,
    services: Vec<ServiceDef>,
    env_file: Vec<(Name, Template)>,
}

fn pick(index: u8, len: usize) -> Option<usize> {
    (len > 0).then(|| usize::from(index) % len)
}

fn render_value(v: &Value, scalars: usize) -> String {
    match v {
        Value::Template(t) => t.quoted(),
        Value::ScalarAlias(i) => match pick(*i, scalars) {
            Some(i) => format!("*s{i}"),
            None => "\"\"".to_owned(),
        },
    }
}

fn render_block(out: &mut String, b: &Block, indent: &str, doc: &Doc, own: Option<usize>) {
    if let Some(target) = b.merge.and_then(|m| pick(m, doc.blocks.len())) {
        // Only earlier blocks: an alias must follow its anchor.
        if own.is_none_or(|own| target < own) {
            let _ = writeln!(out, "{indent}<<: *b{target}");
        }
    }
    if !b.environment.is_empty() {
        let _ = writeln!(out, "{indent}environment:");
        for (k, v) in b.environment.iter().take(8) {
            let _ = writeln!(out, "{indent}  {}: {}", k.text(), render_value(v, doc.scalars.len()));
        }
    }
    if !b.ports.is_empty() {
        let _ = writeln!(out, "{indent}ports:");
        for p in b.ports.iter().take(4) {
            let _ = writeln!(out, "{indent}  - {}", p.quoted());
        }
    }
    if !b.labels.is_empty() {
        let _ = writeln!(out, "{indent}labels:");
        for (k, v) in b.labels.iter().take(4) {
            let _ = writeln!(out, "{indent}  {}: {}", k.text(), v.quoted());
        }
    }
}

impl Doc {
    fn render(&self) -> String {
        let mut out = String::new();
        for (i, s) in self.scalars.iter().take(8).enumerate() {
            let _ = writeln!(out, "x-s{i}: &s{i} {}", s.quoted());
        }
        for (i, b) in self.blocks.iter().take(8).enumerate() {
            let _ = writeln!(out, "x-b{i}: &b{i}");
            let _ = writeln!(out, "  x-none: null");
            render_block(&mut out, b, "  ", self, Some(i));
        }
        out.push_str("services:\n");
        let count = self.services.len().min(8);
        for (i, s) in self.services.iter().take(8).enumerate() {
            if let Some(b) = s.whole_alias.and_then(|b| pick(b, self.blocks.len().min(8))) {
                let _ = writeln!(out, "  s{i}: *b{b}");
                continue;
            }
            let _ = writeln!(out, "  s{i}:");
            let merges: Vec<String> = s
                .merges
                .iter()
                .take(4)
                .filter_map(|m| pick(*m, self.blocks.len().min(8)))
                .map(|b| format!("*b{b}"))
                .collect();
            if !merges.is_empty() {
                let _ = writeln!(out, "    <<: [{}]", merges.join(", "));
            }
            match &s.image {
                Some(v) => {
                    let _ = writeln!(out, "    image: {}", render_value(v, self.scalars.len().min(8)));
                }
                None => out.push_str("    image: busybox\n"),
            }
            render_block(&mut out, &s.block, "    ", self, None);
            let deps: Vec<String> = s
                .depends_on
                .iter()
                .take(4)
                .filter_map(|d| pick(*d, count))
                .map(|d| format!("s{d}"))
                .collect();
            if !deps.is_empty() {
                let _ = writeln!(out, "    depends_on: [{}]", deps.join(", "));
            }
            if let Some(e) = s.extends.and_then(|e| pick(e, count)) {
                let _ = writeln!(out, "    extends: {{service: s{e}}}");
            }
            if !s.profiles.is_empty() {
                let names: Vec<&str> = s.profiles.iter().take(3).map(Name::text).collect();
                let _ = writeln!(out, "    profiles: [{}]", names.join(", "));
            }
        }
        out
    }

    fn dotenv(&self) -> String {
        let mut out = String::new();
        for (k, v) in self.env_file.iter().take(8) {
            let mut raw = String::new();
            v.render(&mut raw, 0);
            let _ = writeln!(out, "{}={}", k.text(), raw.replace('\n', ""));
        }
        out
    }
}

fuzz_target!(|doc: Doc| {
    let text = doc.render();
    let source = MemorySource::new()
        .with("/fuzz/compose.yaml", &text)
        .with("/fuzz/.env", &doc.dotenv());
    let opts = LoadOptions {
        files: vec!["/fuzz/compose.yaml".into()],
        ..LoadOptions::for_dir("/fuzz")
    };
    let _ = load(&opts, &source);
});
