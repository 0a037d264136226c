//! The pure walk over the decision tree, shared by the inquire prompts and the TUI wizard tab:
//! `current()` gives the next question (with its default and the reason for it), `answer()`
//! moves forward, `back()` undoes the last answer, `advance()` consumes presets/defaults.

use std::collections::BTreeMap;

use super::answers::{AddOn, Answers, Base, PartialAnswers, SecurityOpt};
use super::resolve::{Settled, resolve_project};
use super::tree::{self, AFTER_LEAF, Input, Leaf, Next, QuestionId, QuestionSpec, ROOT};
use crate::domain::detect::{Detected, Language, PackageManager, ServiceKind};

/// An answer to one question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Choice(String),
    Port(u16),
    Many(Vec<String>),
}

impl Value {
    fn choice(&self) -> Option<&str> {
        match self {
            Value::Choice(c) => Some(c),
            _ => None,
        }
    }

    /// The answer as a user would type it (for summaries).
    pub fn display(&self) -> String {
        match self {
            Value::Choice(c) => c.clone(),
            Value::Port(p) => p.to_string(),
            Value::Many(items) if items.is_empty() => "none".into(),
            Value::Many(items) => items.join(", "),
        }
    }
}

/// A question ready to show: its fixed text, the default, and why that default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub spec: QuestionSpec,
    pub default: Value,
    /// `file:line: note` when the default was detected; a plain note for built-in defaults.
    pub reason: String,
}

/// Where the walk is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Ask(Question),
    Done(Box<Answers>),
}

/// A rejected answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
pub enum WalkError {
    #[error("{value:?} is not an answer to \"{prompt}\"")]
    #[diagnostic(help("choose one of: {choices}"))]
    NotAChoice {
        prompt: &'static str,
        value: String,
        choices: String,
    },
    #[error("port {0} is out of range")]
    #[diagnostic(help("use a port between 1 and 65535"))]
    BadPort(u32),
    #[error("the wizard is finished; there is no question to answer")]
    #[diagnostic(help("call back() to change an earlier answer"))]
    Finished,
}

/// The walk: detected defaults, answers so far, and the order they were given in.
#[derive(Debug, Clone)]
pub struct Walk {
    detected: Detected,
    project_name: String,
    presets: PartialAnswers,
    answers: BTreeMap<QuestionId, Value>,
    history: Vec<QuestionId>,
}

impl Walk {
    pub fn new(detected: Detected, project_name: &str) -> Self {
        Self::with_presets(detected, project_name, PartialAnswers::default())
    }

    /// A walk whose preset answers (flags, answers file) are used by `advance`.
    pub fn with_presets(detected: Detected, project_name: &str, presets: PartialAnswers) -> Self {
        Walk {
            detected,
            project_name: project_name.to_string(),
            presets,
            answers: BTreeMap::new(),
            history: Vec::new(),
        }
    }

    pub fn detected(&self) -> &Detected {
        &self.detected
    }

    /// Answers given so far, in order, for summaries.
    pub fn answered(&self) -> Vec<(QuestionId, &Value)> {
        self.history
            .iter()
            .filter_map(|id| self.answers.get(id).map(|v| (*id, v)))
            .collect()
    }

    /// The next question, or the finished answers.
    pub fn current(&self) -> Step {
        match self.current_id() {
            Some(id) => Step::Ask(self.question(id)),
            None => Step::Done(Box::new(self.finish())),
        }
    }

    /// Answers the current question and returns the next step.
    pub fn answer(&mut self, value: Value) -> Result<Step, WalkError> {
        let id = self.current_id().ok_or(WalkError::Finished)?;
        let value = validate(tree::spec(id), value)?;
        self.answers.insert(id, value);
        self.history.push(id);
        Ok(self.current())
    }

    /// Takes the default for the current question.
    pub fn accept_default(&mut self) -> Step {
        match self.current_id() {
            Some(id) => {
                let default = self.question(id).default;
                self.answers.insert(id, default);
                self.history.push(id);
                self.current()
            }
            None => self.current(),
        }
    }

    /// Undoes the last answer; at the first question it stays there.
    pub fn back(&mut self) -> Step {
        if let Some(id) = self.history.pop() {
            self.answers.remove(&id);
        }
        self.current()
    }

    /// Answers questions from the presets (and, with `use_defaults`, from the defaults) until one
    /// needs a person, or the walk is done. A preset that is not a valid answer is an error.
    pub fn advance(&mut self, use_defaults: bool) -> Result<Step, WalkError> {
        while let Some(id) = self.current_id() {
            if let Some(value) = self.preset(id) {
                self.answer(value)?;
            } else if use_defaults {
                self.accept_default();
            } else {
                return Ok(self.current());
            }
        }
        Ok(self.current())
    }

    fn preset(&self, id: QuestionId) -> Option<Value> {
        let p = &self.presets;
        let yes_no = |b: bool| Value::Choice(if b { "yes" } else { "no" }.into());
        match id {
            QuestionId::Language => p.language.map(|l| Value::Choice(l.as_str().into())),
            QuestionId::BuildStep | QuestionId::SiteBuild => p.build_step.map(yes_no),
            QuestionId::PythonManager => p
                .package_manager
                .filter(|pm| pm.is_python())
                .map(|pm| Value::Choice(pm.as_str().into())),
            QuestionId::NodeManager => p
                .package_manager
                .filter(|pm| pm.is_node())
                .map(|pm| Value::Choice(pm.as_str().into())),
            QuestionId::JavaBuild => p
                .package_manager
                .filter(|pm| pm.is_java())
                .map(|pm| Value::Choice(pm.as_str().into())),
            QuestionId::GoBase | QuestionId::RustBase | QuestionId::StaticServer => p
                .base
                .filter(|b| base_question(b.language()) == Some(id))
                .map(|b| Value::Choice(b.as_str().into())),
            QuestionId::Port => p.port.map(Value::Port),
            QuestionId::Kind => p.kind.map(|k| Value::Choice(k.as_str().into())),
            QuestionId::AddOns => p
                .add_ons
                .as_ref()
                .map(|a| Value::Many(a.iter().map(|x| x.as_str().to_string()).collect())),
            QuestionId::Security => p
                .security
                .as_ref()
                .map(|s| Value::Many(s.iter().map(|x| x.as_str().to_string()).collect())),
        }
    }

    fn current_id(&self) -> Option<QuestionId> {
        let mut id = ROOT;
        let leaf = loop {
            let Some(answer) = self.answers.get(&id).and_then(Value::choice) else {
                return Some(id);
            };
            match tree::next(id, answer) {
                Some(Next::Ask(next)) => id = next,
                Some(Next::Leaf(leaf)) => break leaf,
                None => return Some(id),
            }
        };
        let answer = |q: QuestionId| self.choice(q).map(str::to_string);
        AFTER_LEAF
            .iter()
            .copied()
            .filter(|q| tree::applies(*q, leaf, answer))
            .find(|q| !self.answers.contains_key(q))
    }

    fn choice(&self, id: QuestionId) -> Option<&str> {
        self.answers.get(&id).and_then(Value::choice)
    }

    fn question(&self, id: QuestionId) -> Question {
        let (default, reason) = self.default_for(id);
        Question {
            spec: tree::spec(id),
            default,
            reason,
        }
    }

    /// The default answer to `id` and why (detected `file:line: note`, or a built-in reason).
    pub fn default_for(&self, id: QuestionId) -> (Value, String) {
        let d = &self.detected;
        let pick =
            |value: &str, reason: &str| (Value::Choice(value.to_string()), reason.to_string());
        let lang = self.choice(QuestionId::Language).and_then(Language::parse);
        match id {
            QuestionId::Language => match &d.language {
                Some(f) => (Value::Choice(f.value.as_str().into()), f.reason.to_string()),
                None => pick(
                    "node",
                    "nothing detected: no app devbox knows (package.json, pyproject.toml, requirements.txt, go.mod, Cargo.toml, pom.xml, build.gradle, composer.json or index.html) at the root",
                ),
            },
            QuestionId::BuildStep | QuestionId::SiteBuild => match &d.build_step {
                Some(f) if d.language.as_ref().map(|l| l.value) == lang => (
                    Value::Choice(if f.value { "yes" } else { "no" }.into()),
                    f.reason.to_string(),
                ),
                _ if id == QuestionId::SiteBuild => pick("no", "no package.json build detected"),
                _ => pick("yes", "TypeScript and bundlers are the common case"),
            },
            QuestionId::PythonManager => match &d.package_manager {
                Some(f) if f.value.is_python() => {
                    (Value::Choice(f.value.as_str().into()), f.reason.to_string())
                }
                _ => pick("uv", "uv is the fastest (source document)"),
            },
            QuestionId::JavaBuild => match &d.package_manager {
                Some(f) if f.value.is_java() => {
                    (Value::Choice(f.value.as_str().into()), f.reason.to_string())
                }
                _ => pick("maven", "Maven is the most common Java build"),
            },
            QuestionId::NodeManager => match &d.package_manager {
                Some(f) if f.value.is_node() => {
                    (Value::Choice(f.value.as_str().into()), f.reason.to_string())
                }
                _ => pick("npm", "npm ships with Node"),
            },
            QuestionId::GoBase => pick(
                "distroless",
                "distroless static has CA certificates, /tmp and a nonroot user; scratch has nothing",
            ),
            QuestionId::RustBase => pick(
                "debian-slim",
                "the source document's Rust pattern: build + debian-slim",
            ),
            QuestionId::StaticServer => pick("nginx", "nginx (unprivileged) is the common choice"),
            QuestionId::Port => match &d.port {
                Some(f) if d.language.as_ref().map(|l| l.value) == lang => {
                    (Value::Port(f.value), f.reason.to_string())
                }
                _ => {
                    let port = lang.map_or(8080, default_port);
                    (
                        Value::Port(port),
                        format!("{} default", lang.map_or("generic", Language::as_str)),
                    )
                }
            },
            QuestionId::Kind => match &d.kind {
                Some(f) if f.value != ServiceKind::Static => {
                    (Value::Choice(f.value.as_str().into()), f.reason.to_string())
                }
                _ => pick("http", "most services serve HTTP"),
            },
            QuestionId::AddOns if d.add_ons.is_empty() => {
                (Value::Many(Vec::new()), "none detected".into())
            }
            QuestionId::AddOns => (
                Value::Many(d.add_ons.iter().map(|f| f.value.clone()).collect()),
                d.add_ons
                    .iter()
                    .map(|f| f.reason.to_string())
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
            QuestionId::Security => (
                Value::Many(tree::SECURITY.iter().map(|c| c.value.to_string()).collect()),
                "all hardening on (source document: security hardening)".into(),
            ),
        }
    }

    /// Builds the answers from the answered path; unanswered questions take their defaults.
    fn finish(&self) -> Answers {
        let get = |id: QuestionId| {
            self.answers
                .get(&id)
                .cloned()
                .unwrap_or_else(|| self.default_for(id).0)
        };
        let choice = |id: QuestionId| get(id).choice().unwrap_or_default().to_string();
        let language = Language::parse(&choice(QuestionId::Language)).unwrap_or(Language::Node);
        let leaf = leaf_of(language, choice);
        let package_manager = match language {
            Language::Python => PackageManager::parse(&choice(QuestionId::PythonManager)),
            Language::Node => PackageManager::parse(&choice(QuestionId::NodeManager)),
            Language::Java => PackageManager::parse(&choice(QuestionId::JavaBuild)),
            Language::Static if choice(QuestionId::SiteBuild) == "yes" => {
                PackageManager::parse(&choice(QuestionId::NodeManager))
            }
            _ => None,
        };
        let build_step = match leaf {
            Leaf::NodeBuild | Leaf::Go | Leaf::Rust | Leaf::JavaMaven | Leaf::JavaGradle => true,
            Leaf::StaticNginx | Leaf::StaticCaddy => choice(QuestionId::SiteBuild) == "yes",
            _ => false,
        };
        let base = base_question(language).and_then(|q| Base::parse(&choice(q)));
        let port = match get(QuestionId::Port) {
            Value::Port(p) if !leaf.is_static() => p,
            _ => 8080,
        };
        let kind = if leaf.is_static() {
            ServiceKind::Static
        } else {
            ServiceKind::parse(&choice(QuestionId::Kind)).unwrap_or(ServiceKind::Http)
        };
        let many = |id: QuestionId| match get(id) {
            Value::Many(items) => items,
            _ => Vec::new(),
        };
        let add_ons: Vec<AddOn> = many(QuestionId::AddOns)
            .iter()
            .filter_map(|a| AddOn::parse(a))
            .collect();
        let security: Vec<SecurityOpt> = many(QuestionId::Security)
            .iter()
            .filter_map(|s| SecurityOpt::parse(s))
            .collect();
        let settled = Settled {
            leaf,
            pm: package_manager,
            build_step,
            port,
        };
        let project = resolve_project(
            &settled,
            &self.detected,
            &self.presets.project,
            &self.project_name,
        );
        Answers {
            leaf,
            language,
            package_manager,
            build_step,
            base,
            port,
            kind,
            add_ons,
            security,
            project,
        }
    }
}

/// The tree question that chooses the final base for a language.
fn base_question(language: Language) -> Option<QuestionId> {
    match language {
        Language::Go => Some(QuestionId::GoBase),
        Language::Rust => Some(QuestionId::RustBase),
        Language::Static => Some(QuestionId::StaticServer),
        _ => None,
    }
}

fn leaf_of(language: Language, choice: impl Fn(QuestionId) -> String) -> Leaf {
    let first = match language {
        Language::Php => return Leaf::PhpApache,
        Language::Ruby => return Leaf::Ruby,
        Language::Dotnet => return Leaf::Dotnet,
        Language::Deno => return Leaf::Deno,
        Language::Node => QuestionId::BuildStep,
        Language::Python => QuestionId::PythonManager,
        Language::Go => QuestionId::GoBase,
        Language::Rust => QuestionId::RustBase,
        Language::Java => QuestionId::JavaBuild,
        Language::Static => QuestionId::StaticServer,
    };
    match tree::next(first, &choice(first)) {
        Some(Next::Leaf(leaf)) => leaf,
        _ => match language {
            Language::Node => Leaf::NodeBuild,
            Language::Python => Leaf::PythonUv,
            Language::Go => Leaf::Go,
            Language::Rust => Leaf::Rust,
            Language::Java => Leaf::JavaMaven,
            Language::Php => Leaf::PhpApache,
            Language::Ruby => Leaf::Ruby,
            Language::Dotnet => Leaf::Dotnet,
            Language::Deno => Leaf::Deno,
            Language::Static => Leaf::StaticNginx,
        },
    }
}

/// The conventional port of a language's servers.
pub fn default_port(language: Language) -> u16 {
    match language {
        Language::Node => 3000,
        Language::Python => 8000,
        Language::Ruby => 3000,
        Language::Deno => 8000,
        Language::Go
        | Language::Rust
        | Language::Java
        | Language::Php
        | Language::Dotnet
        | Language::Static => 8080,
    }
}

fn validate(spec: QuestionSpec, value: Value) -> Result<Value, WalkError> {
    let list = |choices: &[tree::Choice]| {
        choices
            .iter()
            .map(|c| c.value)
            .collect::<Vec<_>>()
            .join(", ")
    };
    match (spec.input, value) {
        (Input::Select(choices), Value::Choice(c)) => {
            let c = c.trim().to_ascii_lowercase();
            if choices.iter().any(|x| x.value == c) {
                Ok(Value::Choice(c))
            } else {
                Err(WalkError::NotAChoice {
                    prompt: spec.prompt,
                    value: c,
                    choices: list(choices),
                })
            }
        }
        (Input::MultiSelect(choices), Value::Many(items)) => {
            let mut clean = Vec::new();
            for item in items {
                let item = item.trim().to_ascii_lowercase();
                if !choices.iter().any(|x| x.value == item) {
                    return Err(WalkError::NotAChoice {
                        prompt: spec.prompt,
                        value: item,
                        choices: list(choices),
                    });
                }
                if !clean.contains(&item) {
                    clean.push(item);
                }
            }
            Ok(Value::Many(clean))
        }
        (Input::Port, Value::Port(0)) => Err(WalkError::BadPort(0)),
        (Input::Port, Value::Port(p)) => Ok(Value::Port(p)),
        (input, other) => Err(WalkError::NotAChoice {
            prompt: spec.prompt,
            value: other.display(),
            choices: match input {
                Input::Select(c) | Input::MultiSelect(c) => list(c),
                Input::Port => "a port number".into(),
            },
        }),
    }
}
