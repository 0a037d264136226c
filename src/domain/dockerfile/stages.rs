//! Build stages: the stage-count limit, and lookups by alias and base image that use an index
//! built once at parse time, so rules stay linear in the number of stages.

use super::{Body, Dockerfile, Instruction, ParseError, Stage, words};
use crate::domain::limits::{Limit, Limits};
use parse_dockerfile as pd;
use std::collections::HashMap;

/// Refuses a Dockerfile with more stages than the limit, at the first FROM too many.
pub(super) fn check_count(
    text: &str,
    parsed: &pd::Dockerfile<'_>,
    limits: &Limits,
) -> Result<(), ParseError> {
    let max = limits.get(Limit::DockerfileStages);
    let mut froms = parsed.instructions.iter().filter_map(|i| match i {
        pd::Instruction::From(from) => Some(from.from.span.start),
        _ => None,
    });
    let Some(offset) = froms.nth(usize::try_from(max).unwrap_or(usize::MAX)) else {
        return Ok(());
    };
    let count = max as usize + 1 + froms.count();
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
    let mut help = "merge stages or split the build into several Dockerfiles".to_owned();
    if let Some(raise) = limits.raise_hint(Limit::DockerfileStages) {
        help = format!("{help}; {raise}");
    }
    Err(ParseError {
        message: format!(
            "{count} build stages, more than devbox reads ({}); this FROM is the first one over",
            limits.describe(Limit::DockerfileStages)
        ),
        line,
        column,
        offset,
        help: Some(help),
        over_limit: true,
    })
}

/// Lower-cased alias → index of the first stage with it.
pub(super) fn alias_index(stages: &[Stage]) -> HashMap<String, usize> {
    let mut index = HashMap::new();
    for stage in stages {
        if let Some(alias) = &stage.alias {
            index
                .entry(alias.value.to_ascii_lowercase())
                .or_insert(stage.index);
        }
    }
    index
}

/// ARGs before the first FROM with their defaults, each default expanded with the ARGs before
/// it (`ARG TAG=${VERSION}`), as the builder does.
pub(super) fn global_args(
    instructions: &[Instruction],
    escape: char,
) -> Vec<(String, Option<String>)> {
    let declared = instructions
        .iter()
        .take_while(|i| i.stage.is_none())
        .filter_map(|i| match &i.body {
            Body::Arg(s) => Some(words::key_values(&s.value)),
            _ => None,
        })
        .flatten();
    // Looked up by name: scanning the earlier ARGs per reference made this quadratic.
    let mut known: HashMap<String, Option<String>> = HashMap::new();
    let mut out = Vec::new();
    for (name, value) in declared {
        let value = value.map(|v| {
            if !v.contains('$') {
                return v;
            }
            let referenced: Vec<(String, Option<String>)> = words::references(&v, escape)
                .into_iter()
                .filter_map(|r| Some((r.name.clone(), known.get(&r.name)?.clone())))
                .collect();
            words::substitute(&v, &referenced)
        });
        known.insert(name.clone(), value.clone());
        out.push((name, value));
    }
    out
}

impl Dockerfile {
    /// The instructions of one stage, FROM included.
    pub fn stage_instructions(&self, stage: &Stage) -> &[Instruction] {
        self.instructions.get(stage.range.clone()).unwrap_or(&[])
    }

    /// The stage with this alias (case-insensitive, as BuildKit compares them) or index.
    pub fn stage_by_name(&self, name: &str) -> Option<&Stage> {
        self.aliases
            .get(&name.to_ascii_lowercase())
            .and_then(|i| self.stages.get(*i))
            .or_else(|| name.parse::<usize>().ok().and_then(|i| self.stages.get(i)))
    }

    /// Global ARGs (before the first FROM) with their default values.
    pub fn global_args(&self) -> &[(String, Option<String>)] {
        &self.global_args
    }

    /// The base image of a stage with global ARG defaults substituted, and whether it names
    /// an earlier stage instead of an image.
    pub fn resolved_base(&self, stage: &Stage) -> (String, Option<usize>) {
        self.bases
            .get(stage.index)
            .cloned()
            .unwrap_or_else(|| base_of(stage, &self.global_args, &self.aliases))
    }

    /// The image a stage ultimately starts from, following `FROM <earlier stage>` chains.
    pub fn root_image(&self, stage: &Stage) -> String {
        self.roots
            .get(stage.index)
            .cloned()
            .unwrap_or_else(|| self.resolved_base(stage).0)
    }
}

/// A stage's base as written with global ARGs substituted, and the earlier stage it names.
fn base_of(
    stage: &Stage,
    global_args: &[(String, Option<String>)],
    aliases: &HashMap<String, usize>,
) -> (String, Option<usize>) {
    let raw = words::substitute(&stage.image.value, global_args);
    let earlier = aliases
        .get(&raw.to_ascii_lowercase())
        .copied()
        .filter(|i| *i < stage.index);
    (raw, earlier)
}

/// Every stage's base and root image, in one pass: a base always names an earlier stage, so
/// its root is known by the time it is needed.
pub(super) fn bases_and_roots(
    stages: &[Stage],
    global_args: &[(String, Option<String>)],
    aliases: &HashMap<String, usize>,
) -> (Vec<(String, Option<usize>)>, Vec<String>) {
    let bases: Vec<(String, Option<usize>)> = stages
        .iter()
        .map(|s| base_of(s, global_args, aliases))
        .collect();
    let mut roots: Vec<String> = Vec::with_capacity(stages.len());
    for (raw, earlier) in &bases {
        let root = earlier
            .and_then(|i| roots.get(i).cloned())
            .unwrap_or_else(|| raw.clone());
        roots.push(root);
    }
    (bases, roots)
}
