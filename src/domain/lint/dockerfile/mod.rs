//! Dockerfile rules (DBX1xx) and what they share: the per-file context with every RUN split
//! into simple commands (absolute spans), cache mounts, stage users and base images.

pub mod dbx100;
pub mod dbx101;
pub mod dbx102;
pub mod dbx103;
pub mod dbx104;
pub mod dbx105;
pub mod dbx106;
pub mod dbx107;
pub mod dbx108;
pub mod dbx109;
pub mod dbx110;
pub mod dbx111;
pub mod dbx112;
pub mod dbx113;
pub mod dbx114;
pub mod dbx115;
pub mod dbx116;
pub mod dbx117;
pub mod dbx118;
pub mod dbx119;
pub mod dbx120;
pub mod dbx121;
pub mod dbx122;
pub mod dbx123;
pub mod dbx124;
pub mod dbx125;
pub mod dbx126;
pub mod dbx127;
pub mod dbx128;
pub mod dbx129;
pub mod dbx130;
pub mod dbx131;
pub mod dbx132;
pub mod dbx133;
pub mod dbx134;
pub mod dbx135;
pub mod dbx136;
pub mod dbx137;
pub mod dbx138;
pub mod dbx139;
pub mod dbx140;
pub mod dbx141;
pub mod dbx142;
pub mod dbx143;
pub mod dbx144;
pub mod dbx145;
pub mod dbx146;
pub mod dbx147;
pub mod dbx148;
pub mod dbx149;
pub mod dbx150;
pub mod dbx151;
pub mod dbx152;
pub mod health;
pub mod pkg;
pub mod vars;

use super::FixOptions;
use crate::domain::dockerfile::shell::{SimpleCommand, simple_commands};
use crate::domain::dockerfile::{Body, Command, Dockerfile, ImageRef, Instruction, Stage, Str};

/// The shell commands of one `RUN`.
#[derive(Debug, Clone)]
pub struct RunScript {
    pub instruction: usize,
    /// Simple commands; spans are absolute offsets when `exact`.
    pub commands: Vec<SimpleCommand>,
    /// The spans point at the words in the file (false for `sh -c "..."` exec forms).
    pub exact: bool,
    /// Targets of `--mount=type=cache` on this RUN.
    pub cache_targets: Vec<String>,
}

impl RunScript {
    pub fn has_cache_for(&self, dirs: &[&str]) -> bool {
        self.cache_targets.iter().any(|t| {
            let t = t.trim_end_matches('/');
            dirs.iter()
                .any(|d| t == d.trim_end_matches('/') || t.starts_with(d))
        })
    }
}

/// Everything a Dockerfile rule sees.
#[derive(Debug)]
pub struct DockerfileCtx<'a> {
    pub path: &'a str,
    pub text: &'a str,
    pub df: &'a Dockerfile,
    pub runs: Vec<RunScript>,
    pub options: &'a FixOptions,
    /// Files in the build context (relative paths), when the caller listed them.
    pub context_files: Option<&'a [String]>,
    /// Per stage: whether its layers reach the final image (see `ships`).
    shipped: Vec<bool>,
    /// Per stage: the instruction of the USER in effect at its end (see `stage_user`).
    users: Vec<Option<usize>>,
}

impl<'a> DockerfileCtx<'a> {
    pub fn new(
        path: &'a str,
        text: &'a str,
        df: &'a Dockerfile,
        options: &'a FixOptions,
        context_files: Option<&'a [String]>,
    ) -> Self {
        let runs = df
            .instructions
            .iter()
            .enumerate()
            .filter_map(|(i, ins)| match &ins.body {
                // An ONBUILD RUN runs in every image built FROM this one: checked like a RUN.
                Body::Onbuild(inner) => run_script(i, inner, df.escape),
                _ => run_script(i, ins, df.escape),
            })
            .collect();
        // Both follow `FROM <stage>` chains; resolved once here instead of per RUN and per
        // stage, which made rules quadratic in the number of stages.
        let mut shipped = vec![false; df.stages.len()];
        let mut current = df.stages.last();
        while let Some(stage) = current.filter(|s| !shipped[s.index]) {
            shipped[stage.index] = true;
            current = df.resolved_base(stage).1.and_then(|i| df.stages.get(i));
        }
        let mut users: Vec<Option<usize>> = Vec::with_capacity(df.stages.len());
        for stage in &df.stages {
            let own = stage
                .range
                .clone()
                .rev()
                .find(|i| matches!(df.instructions[*i].body, Body::User(_)));
            let inherited = df.resolved_base(stage).1.and_then(|i| users[i]);
            users.push(own.or(inherited));
        }
        DockerfileCtx {
            path,
            text,
            df,
            runs,
            options,
            context_files,
            shipped,
            users,
        }
    }

    pub fn ins(&self, index: usize) -> &Instruction {
        &self.df.instructions[index]
    }

    pub fn final_stage(&self) -> Option<&Stage> {
        self.df.stages.last()
    }

    /// The image reference a stage ultimately builds on.
    pub fn base_image(&self, stage: &Stage) -> ImageRef {
        ImageRef::parse(&self.df.root_image(stage))
    }

    /// RUN scripts of one stage.
    pub fn stage_runs(&self, stage: &Stage) -> impl Iterator<Item = &RunScript> {
        // `runs` is in instruction order.
        let from = self
            .runs
            .partition_point(|r| r.instruction < stage.range.start);
        let to = self
            .runs
            .partition_point(|r| r.instruction < stage.range.end);
        self.runs[from..to].iter()
    }

    /// The effective USER at the end of a stage, following `FROM <stage>` chains: `None` when
    /// no USER was set (the base image's user applies).
    pub fn stage_user(&self, stage: &Stage) -> Option<&Str> {
        let at = (*self.users.get(stage.index)?)?;
        match &self.df.instructions[at].body {
            Body::User(u) => Some(u),
            _ => None,
        }
    }

    /// Whether an instruction's layer ends up in the final image: it is in the last stage or
    /// in a stage the last one builds on (`FROM <stage>`). A builder stage whose files only
    /// leave through `COPY --from` ships none of its caches or package lists.
    pub fn ships(&self, instruction: usize) -> bool {
        self.df
            .instructions
            .get(instruction)
            .and_then(|i| i.stage)
            .is_some_and(|s| self.shipped.get(s).copied().unwrap_or(false))
    }

    /// RUN scripts whose layers reach the final image (see `ships`): what size rules judge.
    pub fn shipped_runs(&self) -> impl Iterator<Item = &RunScript> {
        self.runs.iter().filter(|r| self.ships(r.instruction))
    }

    /// The text of a line-continued instruction as it is in the file.
    pub fn source(&self, ins: &Instruction) -> &'a str {
        self.text.get(ins.span.clone()).unwrap_or("")
    }

    /// Start of the line an offset is on, and the indentation there.
    pub fn line_start(&self, offset: usize) -> usize {
        self.text[..offset.min(self.text.len())]
            .rfind('\n')
            .map_or(0, |i| i + 1)
    }
}

/// `root`, `0`, `0:0`, `root:root`: the user is root.
pub fn is_root_user(user: &str) -> bool {
    let name = user.split(':').next().unwrap_or(user).trim();
    name == "root" || name == "0"
}

fn mount_cache_targets(ins: &Instruction) -> Vec<String> {
    ins.flags
        .iter()
        .filter(|f| f.name.eq_ignore_ascii_case("mount"))
        .filter_map(|f| f.value.as_deref())
        .filter(|v| v.split(',').any(|kv| kv.trim() == "type=cache"))
        .filter_map(|v| {
            v.split(',').find_map(|kv| {
                let (k, val) = kv.trim().split_once('=')?;
                matches!(k, "target" | "dst" | "destination").then(|| val.to_string())
            })
        })
        .collect()
}

/// Whether a RUN's heredoc is its shell script: `RUN <<EOF` (the parser leaves no command
/// text) or `RUN bash -ex <<EOF`; in `RUN cat > f <<EOF` or `RUN python3 <<EOF` it is data or
/// another language.
fn heredoc_is_script(text: &str) -> bool {
    let words: Vec<&str> = text
        .split_whitespace()
        .filter(|w| !w.starts_with("<<"))
        .collect();
    match words.split_first() {
        None => true,
        Some((program, flags)) => {
            matches!(
                program.rsplit('/').next(),
                Some("sh" | "bash" | "ash" | "dash")
            ) && flags.iter().all(|f| f.starts_with('-'))
        }
    }
}

fn run_script(index: usize, ins: &Instruction, escape: char) -> Option<RunScript> {
    let Body::Run { command, heredocs } = &ins.body else {
        return None;
    };
    let cache_targets = mount_cache_targets(ins);
    let offset = |mut c: SimpleCommand, base: usize| {
        for s in &mut c.spans {
            *s = s.start + base..s.end + base;
        }
        c
    };
    let (commands, exact) = match command {
        Command::Shell { text, span } if !heredocs.is_empty() && heredoc_is_script(text) => {
            let cmds = heredocs
                .iter()
                .flat_map(|h| {
                    simple_commands(&h.value, escape)
                        .into_iter()
                        .map(|c| offset(c, h.span.start))
                })
                .collect();
            let _ = span;
            (cmds, false)
        }
        Command::Shell { text, span } => (
            simple_commands(text, escape)
                .into_iter()
                .map(|c| offset(c, span.start))
                .collect(),
            true,
        ),
        Command::Exec { args, span } => {
            let shell_c = args.len() >= 3
                && matches!(
                    args[0].value.rsplit('/').next(),
                    Some("sh" | "bash" | "ash")
                )
                && args[1].value == "-c";
            if shell_c {
                let cmds = simple_commands(&args[2].value, escape)
                    .into_iter()
                    .map(|mut c| {
                        c.spans = c.spans.iter().map(|_| span.clone()).collect();
                        c
                    })
                    .collect();
                (cmds, false)
            } else {
                let cmd = SimpleCommand {
                    words: args.iter().map(|a| a.value.clone()).collect(),
                    spans: args.iter().map(|a| a.span.clone()).collect(),
                    piped: false,
                };
                (vec![cmd], false)
            }
        }
    };
    Some(RunScript {
        instruction: index,
        commands,
        exact,
        cache_targets,
    })
}
