//! DBX140: an instruction uses a variable that is not defined at that point (BuildKit's
//! UndefinedVar), including global ARGs and platform ARGs never declared in the stage.

use std::collections::HashSet;

use super::DockerfileCtx;
use super::vars::{PLATFORM_ARGS, suggest};
use crate::domain::dockerfile::words::references;
use crate::domain::dockerfile::{Body, Instruction, Source, Str};
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Hit, Severity};

pub struct Rule140;

static META: RuleMeta = RuleMeta {
    id: "DBX140",
    name: "undefined-variable",
    category: Category::Dockerfile,
    severity: Severity::Warning,
    summary: "an instruction uses a variable that is not defined there, so it expands to nothing",
    help: "declare it first (`ARG NAME` in this stage, or `ENV NAME=value`), or fix the name",
    explain: "# DBX140 undefined-variable\n\nThe builder expands `$NAME` in ENV, LABEL, COPY, ADD, WORKDIR, USER, VOLUME,\n\
STOPSIGNAL, ARG defaults and RUN `--mount` options itself; an undefined name becomes the empty string without\n\
any error, so `COPY app-${VERSON}.jar /app.jar` copies the wrong file or fails far from the cause.\n\
`docker build --check` reports it (UndefinedVar). Three cases are reported:\n\n\
- a global ARG (declared before the first FROM) or a platform ARG (`TARGETARCH`, ...) used in a stage that did\n\
  not declare it with `ARG NAME`: global ARGs are only visible in FROM lines;\n\
- a name that is close to one the Dockerfile defines (`$PAHT` for `$PATH`): a typo;\n\
- any undefined name in a stage built on `scratch`, whose environment is known to be empty.\n\n\
The base image's own environment (`$PYTHON_VERSION` in `python` images) is not known without pulling it, so an\n\
unknown name that looks like no defined one is not reported. RUN, CMD and ENTRYPOINT are expanded by the shell\n\
at run time and are not checked.\n\n\
## Example\n\n```dockerfile\nARG VERSION=1.4\nFROM alpine:3.20\nARG VERSION\nCOPY app-${VERSION}.tar.gz /tmp/\n```\n",
    fixable: false,
    hadolint: &[],
};

/// Names the builder itself provides to the build state.
const BUILDER_NAMES: &[&str] = &[
    "PATH",
    "BUILDKIT_SBOM_SCAN_CONTEXT",
    "BUILDKIT_SBOM_SCAN_STAGE",
];

/// What is defined in a stage so far, and whether that is all of its environment.
#[derive(Clone)]
struct Scope {
    defined: HashSet<String>,
    complete: bool,
}

impl Rule for Rule140 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_dockerfile(&self, cx: &DockerfileCtx<'_>, out: &mut Vec<Hit>) {
        let globals: Vec<&str> = cx
            .df
            .global_args()
            .iter()
            .map(|(k, _)| k.as_str())
            .collect();
        let mut finals: Vec<Scope> = Vec::with_capacity(cx.df.stages.len());
        for stage in &cx.df.stages {
            let parent = cx.df.resolved_base(stage).1;
            let mut scope = match parent.and_then(|i| finals.get(i)) {
                Some(p) => p.clone(),
                None => Scope {
                    defined: BUILDER_NAMES.iter().map(|n| (*n).to_owned()).collect(),
                    complete: cx.df.root_image(stage).trim() == "scratch",
                },
            };
            // `FROM node:${NODE_VERSION}`: the image itself most likely sets that variable
            // (node, python and golang images do), so its use in the stage is not reported.
            let from_names: Vec<String> = references(&stage.image.value, cx.df.escape)
                .into_iter()
                .map(|r| r.name)
                .collect();
            for ins in &cx.df.instructions[stage.range.clone()] {
                for word in checked_words(ins) {
                    for (name, span) in refs_in(cx, word) {
                        if !scope.complete && from_names.contains(&name) {
                            continue;
                        }
                        if let Some(message) = judge(&scope, &globals, &name) {
                            out.push(Hit::new(span, message));
                        }
                    }
                }
                match &ins.body {
                    Body::Arg(s) | Body::Env(s) => {
                        for (k, _) in crate::domain::dockerfile::words::key_values(&s.value) {
                            scope.defined.insert(k);
                        }
                    }
                    _ => {}
                }
            }
            finals.push(scope);
        }
    }
}

/// Why a use of `name` is wrong in `scope`, if it is.
fn judge(scope: &Scope, globals: &[&str], name: &str) -> Option<String> {
    if scope.defined.contains(name) {
        return None;
    }
    let platform = PLATFORM_ARGS.iter().any(|(k, _)| *k == name);
    if globals.contains(&name) || platform {
        let kind = if platform {
            "a platform ARG"
        } else {
            "a global ARG"
        };
        return Some(format!(
            "`${name}` is {kind}, not visible in this stage: add `ARG {name}` after the FROM"
        ));
    }
    // The builder's own names (PATH) are suggested only for a same-length slip (`$PAHT`):
    // `$GOPATH` or `$CPATH` come from base images, not from a typo of PATH.
    let candidates = scope
        .defined
        .iter()
        .map(String::as_str)
        .filter(|d| !BUILDER_NAMES.contains(d) || d.len() == name.len());
    let hint = suggest(name, candidates);
    match (hint, scope.complete) {
        (Some(h), _) => Some(format!("`${name}` is not defined (did you mean `${h}`?)")),
        (None, true) => Some(format!(
            "`${name}` is not defined: this stage starts from scratch, so it expands to nothing"
        )),
        (None, false) => None,
    }
}

/// The words of an instruction the builder expands itself.
fn checked_words(ins: &Instruction) -> Vec<WordRef<'_>> {
    let mut words = Vec::new();
    match &ins.body {
        Body::Env(s) | Body::Label(s) | Body::Workdir(s) | Body::User(s) | Body::Stopsignal(s) => {
            words.push(WordRef::Str(s))
        }
        // Only the defaults: `ARG NAME` itself is a declaration.
        Body::Arg(s) if s.value.contains('=') => words.push(WordRef::Str(s)),
        Body::Volume(list) => words.extend(list.iter().map(WordRef::Str)),
        Body::Copy { sources, dest } | Body::Add { sources, dest } => {
            for src in sources {
                if let Source::Path(p) = src {
                    words.push(WordRef::Str(p));
                }
            }
            words.push(WordRef::Str(dest));
            for flag in &ins.flags {
                if matches!(flag.name.as_str(), "chown" | "chmod" | "checksum") {
                    words.push(WordRef::Flag(flag));
                }
            }
        }
        Body::Run { .. } => {
            for flag in ins.flags.iter().filter(|f| f.name == "mount") {
                words.push(WordRef::Flag(flag));
            }
        }
        _ => {}
    }
    words
}

enum WordRef<'a> {
    Str(&'a Str),
    Flag(&'a crate::domain::dockerfile::Flag),
}

/// The names referenced in a word, each with the most precise span the source allows.
fn refs_in(cx: &DockerfileCtx<'_>, word: WordRef<'_>) -> Vec<(String, std::ops::Range<usize>)> {
    let (value, span) = match word {
        WordRef::Str(s) => (s.value.as_str(), s.span.clone()),
        WordRef::Flag(f) => (f.value.as_deref().unwrap_or(""), f.span.clone()),
    };
    let written = cx.text.get(span.clone()).unwrap_or("");
    // Where the value sits in the source, when it is there verbatim.
    let base = written.find(value).map(|at| span.start + at);
    references(value, cx.df.escape)
        .into_iter()
        .map(|r| {
            let at = base.map_or(span.clone(), |b| b + r.range.start..b + r.range.end);
            (r.name, at)
        })
        .collect()
}
