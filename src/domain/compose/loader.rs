//! The load pipeline: per file parse → interpolate → `include` → paths → `extends`; then
//! merge the files in order, decode into the model and normalise (names, defaults, env
//! files, profiles, references, dependency graph). Pure: files come from a `FileSource`.

use std::collections::BTreeMap;

use super::budget::Budget;
use super::ctx::{Ctx, LoadOther};
use super::decode::project::project as decode_project;
use super::error::{LoadError, Pos, Warning};
use super::interpolate::{
    Bounds, VariableUse, collect_variables, interpolate_tree, substitute_within,
};
use super::merge::merge_documents;
use super::model::Project;
use super::normalize::normalize;
pub use super::options::LoadOptions;
use super::paths::Resolver;
use super::source::{FileSource, MemorySource, base_name};
use super::yaml::{Node, Value};

/// A loaded project with what the user should hear about.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub project: Project,
    pub warnings: Vec<Warning>,
    /// Every variable referenced by the files (before interpolation), in first-use order.
    pub variables: Vec<VariableUse>,
}

/// Loads `yaml` as the only compose file `<working_dir>/compose.yaml`.
pub fn load_from_str(yaml: &str, opts: &LoadOptions) -> Result<Loaded, LoadError> {
    let file = opts
        .files
        .first()
        .cloned()
        .unwrap_or_else(|| format!("{}/compose.yaml", opts.working_dir));
    let source = MemorySource::new().with(&file, yaml);
    let opts = LoadOptions {
        files: vec![file],
        ..opts.clone()
    };
    load(&opts, &source)
}

/// Loads a project from `opts.files` read through `source`.
pub fn load(opts: &LoadOptions, source: &dyn FileSource) -> Result<Loaded, LoadError> {
    let mut ctx = Ctx {
        source,
        display_base: opts.working_dir.clone(),
        home: opts.home.clone(),
        warnings: Vec::new(),
        variables: Vec::new(),
        budget: Budget::new(&opts.limits),
    };
    if opts.files.is_empty() {
        return Err(LoadError::global("no compose file to load".to_owned())
            .with_help("create compose.yaml or pass one with -f"));
    }
    let mut raw = Vec::new();
    for file in &opts.files {
        let doc = ctx.parse_file(file, None)?;
        collect_variables(&doc, &mut ctx.variables, &mut ctx.budget)?;
        raw.push((file.clone(), doc));
    }
    if opts.variables_only {
        dedup_variables(&mut ctx.variables);
        return Ok(Loaded {
            // The environment says which variables are set.
            project: Project {
                environment: opts.environment.clone(),
                ..Project::default()
            },
            warnings: ctx.warnings,
            variables: ctx.variables,
        });
    }
    let mut env = opts.environment.clone();
    env.entry("PWD".to_owned())
        .or_insert_with(|| opts.working_dir.clone());
    let name = project_name(opts, &raw, &env, &ctx.budget)?;
    env.insert("COMPOSE_PROJECT_NAME".to_owned(), name.clone());

    let mut merged: Option<Node> = None;
    for (file, doc) in raw {
        let doc = ctx.process(doc, &file, &opts.working_dir, &env, &mut vec![file.clone()])?;
        merged = Some(match merged {
            None => doc,
            Some(base) => merge_documents(base, doc),
        });
    }
    let merged = merged.unwrap_or_else(|| Node::new(Value::Null, Pos::file_only("")));
    super::budget::before_decode(&merged, &mut ctx.budget)?;
    let mut project = decode_project(&merged)?;
    project.name = name;
    project.working_dir = opts.working_dir.clone();
    project.compose_files = opts.files.clone();
    let profiles = if opts.profiles.is_empty() {
        env.get("COMPOSE_PROFILES")
            .map(|p| {
                p.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    } else {
        opts.profiles.clone()
    };
    project.profiles = profiles;
    project.environment = env;
    normalize(&mut project, &merged, opts, &mut ctx)?;
    dedup_variables(&mut ctx.variables);
    Ok(Loaded {
        project,
        warnings: ctx.warnings,
        variables: ctx.variables,
    })
}

fn dedup_variables(vars: &mut Vec<VariableUse>) {
    let mut seen = std::collections::HashSet::new();
    vars.retain(|v| {
        seen.insert((
            v.name.clone(),
            v.default.clone(),
            v.alternate.clone(),
            v.required,
        ))
    });
}

/// Name precedence: `-p`, `COMPOSE_PROJECT_NAME`, top-level `name:` (last file wins,
/// interpolated, normalised), project directory basename (normalised).
fn project_name(
    opts: &LoadOptions,
    raw: &[(String, Node)],
    env: &BTreeMap<String, String>,
    budget: &Budget,
) -> Result<String, LoadError> {
    let explicit = opts
        .project_name
        .clone()
        .filter(|n| !n.is_empty())
        .or_else(|| {
            env.get("COMPOSE_PROJECT_NAME")
                .cloned()
                .filter(|n| !n.is_empty())
        });
    if let Some(name) = explicit {
        if normalize_project_name(&name) != name {
            return Err(LoadError::global(format!(
                "invalid project name {name:?}: must consist only of lowercase alphanumeric characters, hyphens, and underscores as well as start with a letter or number"
            ))
            .with_help(format!("try -p {}", normalize_project_name(&name))));
        }
        return Ok(name);
    }
    let mut from_files = None;
    for (_, doc) in raw {
        if let Some(node) = doc.as_map().and_then(|m| m.get("name"))
            && let Some(text) = node.scalar_text()
        {
            // Bounded like any value: a name that expands past the budget stays as written
            // and fails interpolation later with the budget's error.
            let bounds = Bounds::new(budget.limits(), budget.remaining());
            let value = substitute_within(&text, env, &mut Vec::new(), bounds).unwrap_or(text);
            if !value.is_empty() {
                from_files = Some(value);
            }
        }
    }
    let name = normalize_project_name(
        &from_files.unwrap_or_else(|| base_name(&opts.working_dir).to_owned()),
    );
    if name.is_empty() {
        return Err(
            LoadError::global("project name must not be empty".to_owned())
                .with_help("set `name:` in the compose file or pass -p NAME"),
        );
    }
    Ok(name)
}

/// Lowercase, keep `[a-z0-9_-]`, strip leading `_`/`-` (compose-go `NormalizeProjectName`).
pub fn normalize_project_name(name: &str) -> String {
    let kept: String = name
        .to_lowercase()
        .chars()
        .filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_' || *c == '-')
        .collect();
    kept.trim_start_matches(['_', '-']).to_owned()
}

// The loader's own steps on a file; `include` and `extends` reach back into them through
// `ctx::LoadOther`, so neither depends on this module.
impl Ctx<'_> {
    /// Per-file steps after parsing: drop `version`, interpolate, include, paths, extends.
    fn process(
        &mut self,
        mut doc: Node,
        file: &str,
        base_dir: &str,
        env: &BTreeMap<String, String>,
        stack: &mut Vec<String>,
    ) -> Result<Node, LoadError> {
        if doc.is_null() {
            doc.value = Value::Map(Default::default());
        }
        if let Some(map) = doc.as_map_mut()
            && let Some(version) = map.shift_remove("version")
        {
            self.warnings.push(Warning {
                    pos: Some(version.key_pos.clone()),
                    message: "the attribute `version` is obsolete, it will be ignored, please remove it to avoid potential confusion".to_owned(),
                });
        }
        interpolate_tree(&mut doc, "", env, &mut self.warnings, &mut self.budget)?;
        doc = super::include::apply(self, doc, file, env, stack)?;
        Resolver {
            base: base_dir,
            home: self.home.as_deref(),
        }
        .document(&mut doc);
        super::extends::apply(self, &mut doc, file, env)?;
        Ok(doc)
    }
}

impl LoadOther for Ctx<'_> {
    /// Loads another file for `extends`/`include`, with paths resolved against `base_dir`.
    fn load_other(
        &mut self,
        file: &str,
        base_dir: &str,
        env: &BTreeMap<String, String>,
        stack: &mut Vec<String>,
        referrer: &Pos,
    ) -> Result<Node, LoadError> {
        let doc = self.parse_file(file, Some(referrer))?;
        collect_variables(&doc, &mut self.variables, &mut self.budget)?;
        self.process(doc, file, base_dir, env, stack)
    }
}
