//! DBX139: a FROM line that uses an undeclared variable, or whose ARG defaults expand to an
//! invalid image name (BuildKit's UndefinedArgInFrom and InvalidDefaultArgInFrom).

use super::DockerfileCtx;
use super::vars::{PLATFORM_ARGS, expand, platform_value, suggest, valid_reference};
use crate::domain::dockerfile::words::references;
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Hit, Severity};

pub struct Rule139;

static META: RuleMeta = RuleMeta {
    id: "DBX139",
    name: "from-argument",
    category: Category::Dockerfile,
    severity: Severity::Warning,
    summary: "a FROM line uses an undeclared ARG, or the ARG defaults give no valid image",
    help: "declare the ARG with a default before the first FROM (`ARG TAG=3.20`), or use `${TAG:-3.20}`",
    explain: "# DBX139 from-argument\n\nOnly ARGs declared before the first FROM (and the platform ARGs such as\n\
`TARGETARCH`) can be used in a FROM line. An undeclared one expands to nothing, so `FROM node:${NODE_VERSON}`\n\
pulls `node:` or `node` (latest) without a word of warning. A declared ARG without a default has the same\n\
problem whenever the build is run without `--build-arg`: `ARG TAG` + `FROM alpine:${TAG}` is `alpine:`, which\n\
is not an image name. `docker build --check` reports both (UndefinedArgInFrom, InvalidDefaultArgInFrom).\n\
An ARG whose default is a full image (`ARG BASE=python:3.12-slim` + `FROM ${BASE}`) is fine, and DBX101\n\
judges the tag of what it expands to.\n\n\
## Example\n\n```dockerfile\nARG NODE_VERSION=22\nFROM node:${NODE_VERSION}-alpine\n```\n",
    fixable: false,
    hadolint: &[],
};

impl Rule for Rule139 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_dockerfile(&self, cx: &DockerfileCtx<'_>, out: &mut Vec<Hit>) {
        let globals = cx.df.global_args();
        let declared: Vec<&str> = globals
            .iter()
            .map(|(k, _)| k.as_str())
            .chain(PLATFORM_ARGS.iter().map(|(k, _)| *k))
            .collect();
        let value_of = |name: &str| -> Option<String> {
            globals
                .iter()
                .rev()
                .find(|(k, _)| k == name)
                .and_then(|(_, v)| v.clone())
                .or_else(|| {
                    PLATFORM_ARGS
                        .iter()
                        .find(|(k, _)| *k == name)
                        .map(|(_, v)| (*v).to_owned())
                })
        };
        for stage in &cx.df.stages {
            let ins = cx.ins(stage.from);
            let platform = platform_value(cx, ins);
            let words = std::iter::once((stage.image.value.as_str(), stage.image.span.clone()))
                .chain(platform.iter().map(|(v, span)| (v.as_str(), span.clone())));
            let mut undeclared = false;
            for (word, span) in words {
                for r in references(word, cx.df.escape) {
                    if declared.contains(&r.name.as_str()) {
                        continue;
                    }
                    undeclared = true;
                    let hint = suggest(&r.name, declared.iter().copied())
                        .map(|s| format!(" (did you mean `{s}`?)"))
                        .unwrap_or_default();
                    out.push(Hit::new(
                        span.clone(),
                        format!(
                            "`{}` is not declared before the first FROM, so it expands to nothing here{hint}",
                            r.name
                        ),
                    ));
                }
            }
            let image = &stage.image.value;
            if undeclared || !image.contains('$') {
                continue;
            }
            // The builder removes quotes from the word after expanding it.
            let expanded = expand(image, cx.df.escape, &value_of).replace(['"', '\''], "");
            // A default devbox cannot expand (`${X#prefix}` in an ARG default) is not judged.
            if expanded.contains('$') {
                continue;
            }
            if !valid_reference(&expanded) {
                let shown = if expanded.is_empty() {
                    "an empty name".to_owned()
                } else {
                    format!("`{expanded}`")
                };
                out.push(Hit::new(
                    stage.image.span.clone(),
                    format!(
                        "with the ARG defaults, `{image}` is {shown}, which is not a valid image"
                    ),
                ));
            }
        }
    }
}
