//! A thin, owned, typed layer over the `parse-dockerfile` crate: instructions with byte spans,
//! stages, ARG scope, JSON vs shell form, heredocs. A parse error is a value, never a panic.

pub mod image;
pub mod shell;
pub mod sources;
mod stages;
pub mod words;

use crate::domain::limits::Limits;
use parse_dockerfile as pd;
use std::collections::HashMap;
use std::ops::Range;

pub use image::ImageRef;

/// A byte range into the Dockerfile text.
pub type Span = Range<usize>;

/// A string with the span it came from (after unescaping; the span covers the raw text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Str {
    pub value: String,
    pub span: Span,
}

/// `RUN`/`CMD`/`ENTRYPOINT`/`HEALTHCHECK CMD` arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// JSON array form: no shell is involved.
    Exec { args: Vec<Str>, span: Span },
    /// Shell form: the raw text (line continuations preserved), run by `SHELL` (default `/bin/sh -c`).
    Shell { text: String, span: Span },
}

impl Command {
    pub fn span(&self) -> Span {
        match self {
            Command::Exec { span, .. } | Command::Shell { span, .. } => span.clone(),
        }
    }
    pub fn is_shell(&self) -> bool {
        matches!(self, Command::Shell { .. })
    }
    /// The first program the command runs (the first word), for "is this tool present" checks.
    pub fn program(&self, escape: char) -> Option<String> {
        match self {
            Command::Exec { args, .. } => args.first().map(|a| a.value.clone()),
            Command::Shell { text, .. } => shell::simple_commands(text, escape)
                .into_iter()
                .find_map(|c| c.words.first().cloned()),
        }
    }
}

/// A `--name[=value]` option on an instruction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    pub name: String,
    pub value: Option<String>,
    pub span: Span,
}

/// A COPY/ADD source: a path (or URL) or an inline heredoc.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Path(Str),
    HereDoc(Str),
}

/// The instruction-specific part of an instruction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    From {
        image: Str,
        alias: Option<Str>,
    },
    Run {
        command: Command,
        heredocs: Vec<Str>,
    },
    Cmd(Command),
    Entrypoint(Command),
    Healthcheck(Option<Command>),
    Copy {
        sources: Vec<Source>,
        dest: Str,
    },
    Add {
        sources: Vec<Source>,
        dest: Str,
    },
    Env(Str),
    Arg(Str),
    Label(Str),
    Expose(Vec<Str>),
    User(Str),
    Workdir(Str),
    Volume(Vec<Str>),
    Shell(Vec<Str>),
    Stopsignal(Str),
    Maintainer(Str),
    Onbuild(Box<Instruction>),
}

/// One instruction with its keyword span and whole span (keyword to end of arguments).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instruction {
    pub keyword: Span,
    pub span: Span,
    pub flags: Vec<Flag>,
    pub body: Body,
    /// Index of the stage this instruction belongs to (`None` for global ARGs before the first FROM).
    pub stage: Option<usize>,
}

impl Instruction {
    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags
            .iter()
            .find(|f| f.name.eq_ignore_ascii_case(name))
    }
    /// The upper-case instruction name (`RUN`, `COPY`, ...).
    pub fn name(&self) -> &'static str {
        match &self.body {
            Body::From { .. } => "FROM",
            Body::Run { .. } => "RUN",
            Body::Cmd(_) => "CMD",
            Body::Entrypoint(_) => "ENTRYPOINT",
            Body::Healthcheck(_) => "HEALTHCHECK",
            Body::Copy { .. } => "COPY",
            Body::Add { .. } => "ADD",
            Body::Env(_) => "ENV",
            Body::Arg(_) => "ARG",
            Body::Label(_) => "LABEL",
            Body::Expose(_) => "EXPOSE",
            Body::User(_) => "USER",
            Body::Workdir(_) => "WORKDIR",
            Body::Volume(_) => "VOLUME",
            Body::Shell(_) => "SHELL",
            Body::Stopsignal(_) => "STOPSIGNAL",
            Body::Maintainer(_) => "MAINTAINER",
            Body::Onbuild(_) => "ONBUILD",
        }
    }
}

/// One build stage: its FROM and the range of its instructions in `Dockerfile::instructions`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stage {
    pub index: usize,
    /// Index of the FROM instruction.
    pub from: usize,
    /// Instruction indices of the stage, FROM included.
    pub range: Range<usize>,
    pub image: Str,
    pub alias: Option<Str>,
}

/// A parsed Dockerfile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dockerfile {
    pub escape: char,
    pub syntax: Option<String>,
    pub instructions: Vec<Instruction>,
    pub stages: Vec<Stage>,
    /// Stage aliases, lower-cased (BuildKit compares them so), to their stage: looking a base
    /// up by scanning the earlier stages made rules quadratic in the number of stages.
    aliases: HashMap<String, usize>,
    /// ARGs before the first FROM with their defaults, read once.
    global_args: Vec<(String, Option<String>)>,
    /// Per stage: its base (see `resolved_base`) and root image, resolved once.
    bases: Vec<(String, Option<usize>)>,
    roots: Vec<String>,
}

/// Why a Dockerfile could not be parsed, with a 1-based position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub message: String,
    pub line: usize,
    pub column: usize,
    pub offset: usize,
    /// What to do, when it is more specific than "fix the syntax" (a limit and how to raise it).
    pub help: Option<String>,
    /// The file parses but is over one of devbox's limits.
    pub over_limit: bool,
}

impl Dockerfile {
    /// Parses `text` under the default limits; the error carries line, column and byte offset
    /// for a finding.
    pub fn parse(text: &str) -> Result<Dockerfile, ParseError> {
        Self::parse_within(text, &Limits::default())
    }

    /// Parses `text`, refusing more build stages than `limits` allow.
    pub fn parse_within(text: &str, limits: &Limits) -> Result<Dockerfile, ParseError> {
        let parsed = pd::parse(text).map_err(|e| {
            let (line, column) = (e.line().max(1), e.column().max(1));
            ParseError {
                message: format!("{e:#}"),
                line,
                column,
                offset: offset_of(text, line, column),
                help: None,
                over_limit: false,
            }
        })?;
        stages::check_count(text, &parsed, limits)?;
        let escape = parsed
            .parser_directives
            .escape
            .as_ref()
            .map_or('\\', |d| d.value.value);
        let syntax = parsed
            .parser_directives
            .syntax
            .as_ref()
            .map(|d| d.value.value.to_string());
        let mut instructions = Vec::with_capacity(parsed.instructions.len());
        let mut stages: Vec<Stage> = Vec::new();
        for ins in &parsed.instructions {
            let mut converted = convert(ins);
            if let Body::From { image, alias } = &converted.body {
                if let Some(last) = stages.last_mut() {
                    last.range.end = instructions.len();
                }
                stages.push(Stage {
                    index: stages.len(),
                    from: instructions.len(),
                    range: instructions.len()..instructions.len(),
                    image: image.clone(),
                    alias: alias.clone(),
                });
            }
            converted.stage = stages.last().map(|s| s.index);
            instructions.push(converted);
        }
        if let Some(last) = stages.last_mut() {
            last.range.end = instructions.len();
        }
        let aliases = stages::alias_index(&stages);
        let global_args = stages::global_args(&instructions, escape);
        let (bases, roots) = stages::bases_and_roots(&stages, &global_args, &aliases);
        Ok(Dockerfile {
            aliases,
            global_args,
            bases,
            roots,
            escape,
            syntax,
            instructions,
            stages,
        })
    }
}

fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum::<usize>();
    (start + column.saturating_sub(1)).min(text.len())
}

fn s(u: &pd::UnescapedString<'_>) -> Str {
    Str {
        value: u.value.to_string(),
        span: u.span.clone(),
    }
}

fn flags(list: &[pd::Flag<'_>]) -> Vec<Flag> {
    list.iter()
        .map(|f| Flag {
            name: f.name.value.to_string(),
            value: f.value.as_ref().map(|v| v.value.to_string()),
            span: f.span(),
        })
        .collect()
}

fn command(c: &pd::Command<'_>) -> Command {
    match c {
        pd::Command::Exec(v) => Command::Exec {
            args: v.value.iter().map(s).collect(),
            span: v.span.clone(),
        },
        pd::Command::Shell(v) => Command::Shell {
            text: v.value.to_string(),
            span: v.span.clone(),
        },
        // A future form the crate may add: treat it as an empty exec form, which no rule flags.
        _ => Command::Exec {
            args: vec![],
            span: 0..0,
        },
    }
}

fn sources(list: &[pd::Source<'_>]) -> Vec<Source> {
    list.iter()
        .filter_map(|src| match src {
            pd::Source::Path(p) => Some(Source::Path(s(p))),
            pd::Source::HereDoc(h) => Some(Source::HereDoc(Str {
                value: h.value.to_string(),
                span: h.span.clone(),
            })),
            _ => None,
        })
        .collect()
}

fn convert(ins: &pd::Instruction<'_>) -> Instruction {
    use pd::Instruction as I;
    let (keyword, flag_list, body): (Span, Vec<Flag>, Body) = match ins {
        I::Add(i) => (
            i.add.span.clone(),
            flags(&i.options),
            Body::Add {
                sources: sources(&i.src),
                dest: s(&i.dest),
            },
        ),
        I::Copy(i) => (
            i.copy.span.clone(),
            flags(&i.options),
            Body::Copy {
                sources: sources(&i.src),
                dest: s(&i.dest),
            },
        ),
        I::Arg(i) => (i.arg.span.clone(), vec![], Body::Arg(s(&i.arguments))),
        I::Cmd(i) => (i.cmd.span.clone(), vec![], Body::Cmd(command(&i.arguments))),
        I::Entrypoint(i) => (
            i.entrypoint.span.clone(),
            vec![],
            Body::Entrypoint(command(&i.arguments)),
        ),
        I::Env(i) => (i.env.span.clone(), vec![], Body::Env(s(&i.arguments))),
        I::Expose(i) => (
            i.expose.span.clone(),
            vec![],
            Body::Expose(i.arguments.iter().map(s).collect()),
        ),
        I::From(i) => (
            i.from.span.clone(),
            flags(&i.options),
            Body::From {
                image: s(&i.image),
                alias: i.as_.as_ref().map(|(_, a)| s(a)),
            },
        ),
        I::Healthcheck(i) => {
            let cmd = match &i.arguments {
                pd::HealthcheckArguments::Cmd { arguments, .. } => Some(command(arguments)),
                _ => None,
            };
            (
                i.healthcheck.span.clone(),
                flags(&i.options),
                Body::Healthcheck(cmd),
            )
        }
        I::Label(i) => (i.label.span.clone(), vec![], Body::Label(s(&i.arguments))),
        I::Maintainer(i) => (
            i.maintainer.span.clone(),
            vec![],
            Body::Maintainer(s(&i.name)),
        ),
        I::Onbuild(i) => (
            i.onbuild.span.clone(),
            vec![],
            Body::Onbuild(Box::new(convert(&i.instruction))),
        ),
        I::Run(i) => (
            i.run.span.clone(),
            flags(&i.options),
            Body::Run {
                command: command(&i.arguments),
                heredocs: i
                    .here_docs
                    .iter()
                    .map(|h| Str {
                        value: h.value.to_string(),
                        span: h.span.clone(),
                    })
                    .collect(),
            },
        ),
        I::Shell(i) => (
            i.shell.span.clone(),
            vec![],
            Body::Shell(i.arguments.iter().map(s).collect()),
        ),
        I::Stopsignal(i) => (
            i.stopsignal.span.clone(),
            vec![],
            Body::Stopsignal(s(&i.arguments)),
        ),
        I::User(i) => (i.user.span.clone(), vec![], Body::User(s(&i.arguments))),
        I::Volume(i) => {
            let list = match &i.arguments {
                pd::JsonOrStringArray::Json(v) => v.value.iter().map(s).collect(),
                pd::JsonOrStringArray::String(v) => v.iter().map(s).collect(),
            };
            (i.volume.span.clone(), vec![], Body::Volume(list))
        }
        I::Workdir(i) => (
            i.workdir.span.clone(),
            vec![],
            Body::Workdir(s(&i.arguments)),
        ),
        _ => return unknown(),
    };
    let end = body_end(&body).max(keyword.end);
    Instruction {
        span: keyword.start..end,
        keyword,
        flags: flag_list,
        body,
        stage: None,
    }
}

/// The parser marks its enum non-exhaustive; a future variant is kept as an inert LABEL so the
/// rules never see a half-converted instruction.
fn unknown() -> Instruction {
    Instruction {
        keyword: 0..0,
        span: 0..0,
        flags: vec![],
        body: Body::Label(Str {
            value: String::new(),
            span: 0..0,
        }),
        stage: None,
    }
}

fn body_end(body: &Body) -> usize {
    let last = |v: &[Str]| v.iter().map(|x| x.span.end).max().unwrap_or(0);
    match body {
        Body::From { image, alias } => alias.as_ref().map_or(image.span.end, |a| a.span.end),
        Body::Run { command, heredocs } => command.span().end.max(last(heredocs)),
        Body::Cmd(c) | Body::Entrypoint(c) => c.span().end,
        Body::Healthcheck(c) => c.as_ref().map_or(0, |c| c.span().end),
        Body::Copy { sources, dest } | Body::Add { sources, dest } => sources
            .iter()
            .map(|s| match s {
                Source::Path(p) | Source::HereDoc(p) => p.span.end,
            })
            .max()
            .unwrap_or(0)
            .max(dest.span.end),
        Body::Env(x)
        | Body::Arg(x)
        | Body::Label(x)
        | Body::User(x)
        | Body::Workdir(x)
        | Body::Stopsignal(x)
        | Body::Maintainer(x) => x.span.end,
        Body::Expose(v) | Body::Volume(v) | Body::Shell(v) => last(v),
        Body::Onbuild(i) => i.span.end,
    }
}

#[cfg(test)]
mod tests;
