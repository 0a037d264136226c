//! The Wizard tab's state and its updates: the pure walk over the decision tree, the detected
//! values, the live preview (rendered after every answer, compared with the files on disk) and
//! the write request. All I/O (scan, template overrides, writing) is the runtime's.

use std::collections::BTreeMap;

use crate::domain::plan::diff::{Change, FilePlan, compare};
use crate::domain::plan::monorepo::{self, App, render_monorepo};
use crate::domain::plan::{RenderedFile, render};
use crate::domain::wizard::summary::{answer_lines, detection_lines, follow_ups};
use crate::domain::wizard::tree::Input;
use crate::domain::wizard::{Question, Step, Value, Walk};

use super::msg::{Cmd, WizardSeed};

/// The wizard once the folder was scanned.
#[derive(Debug, Clone)]
pub struct WizardUi {
    pub walk: Walk,
    /// One line per detected value with its reason.
    pub detection: Vec<String>,
    pub existing: BTreeMap<String, String>,
    pub overrides: BTreeMap<String, String>,
    /// The preview: what would be written if the remaining questions took their defaults.
    pub plans: Vec<FilePlan>,
    /// Why the preview could not be rendered (a broken template override).
    pub render_error: Option<String>,
    /// Index into `plans` of the file shown.
    pub preview: usize,
    /// The preview shows the unified diff against the file on disk instead of the whole file.
    pub show_diff: bool,
    /// First preview line shown (PgUp/PgDn).
    pub scroll: u16,
    /// The highlighted choice of the current question.
    pub cursor: usize,
    /// The ticked choices of a multi-select question.
    pub ticked: Vec<bool>,
    /// The digits typed for a port question (empty: the default).
    pub port_text: String,
    /// What the project still needs for the files to work as written (`summary::follow_ups`).
    pub to_do: Vec<String>,
    /// At a monorepo root: each app's directory and walk (the current one's walk is `walk`,
    /// its slot here is refreshed when the wizard moves to another app).
    pub apps: Vec<(String, Walk)>,
    /// Index into `apps` of the app being asked about.
    pub app: usize,
    /// A workspace's Node lockfile at the monorepo root.
    pub root_lockfile: Option<String>,
}

/// The Wizard tab: scanning, failed, or ready.
#[derive(Debug, Clone, Default)]
pub enum WizardState {
    #[default]
    Scanning,
    Failed(String),
    Ready(Box<WizardUi>),
}

impl WizardUi {
    pub fn new(seed: WizardSeed) -> Self {
        let detection = detection_lines(&seed.detected);
        let apps: Vec<(String, Walk)> = seed
            .apps
            .into_iter()
            .map(|a| (a.dir, Walk::new(a.detected, &a.name)))
            .collect();
        let walk = match apps.first() {
            Some((_, walk)) => walk.clone(),
            None => Walk::new(seed.detected, &seed.name),
        };
        let mut ui = WizardUi {
            walk,
            detection,
            existing: seed.existing,
            overrides: seed.overrides,
            plans: Vec::new(),
            render_error: None,
            preview: 0,
            show_diff: false,
            scroll: 0,
            cursor: 0,
            ticked: Vec::new(),
            port_text: String::new(),
            to_do: Vec::new(),
            apps,
            app: 0,
            root_lockfile: seed.root_lockfile,
        };
        ui.refresh();
        ui
    }

    /// At a monorepo root: which app the questions are about (`services/api/ — app 1 of 3`).
    pub fn app_heading(&self) -> Option<String> {
        let (dir, _) = self.apps.get(self.app)?;
        Some(format!(
            "{dir}/ — app {} of {}",
            self.app + 1,
            self.apps.len()
        ))
    }

    /// The answers so far, one line each, under each app's directory at a monorepo root.
    pub fn answer_summary(&self) -> Vec<String> {
        if self.apps.is_empty() {
            return answer_lines(&self.walk);
        }
        let mut lines = Vec::new();
        for (i, (dir, walk)) in self.apps.iter().enumerate() {
            let walk = if i == self.app { &self.walk } else { walk };
            lines.push(format!("{dir}/:"));
            lines.extend(answer_lines(walk));
        }
        lines
    }

    /// The files for the answers so far (the rest on defaults), and what is left to do.
    fn files(&self) -> Result<(Vec<RenderedFile>, Vec<String>), String> {
        let settle = |walk: &Walk| match walk.clone().advance(true) {
            Ok(Step::Done(answers)) => Ok(Some(*answers)),
            Ok(Step::Ask(_)) => Ok(None),
            Err(err) => Err(err.to_string()),
        };
        if self.apps.is_empty() {
            let Some(answers) = settle(&self.walk)? else {
                return Ok((Vec::new(), Vec::new()));
            };
            let to_do = follow_ups(self.walk.detected(), &answers);
            let files = render(&answers, &self.overrides).map_err(|e| e.to_string())?;
            return Ok((files, to_do));
        }
        let mut apps = Vec::with_capacity(self.apps.len());
        let mut to_do = Vec::new();
        for (i, (dir, walk)) in self.apps.iter().enumerate() {
            let walk = if i == self.app { &self.walk } else { walk };
            let Some(answers) = settle(walk)? else {
                return Ok((Vec::new(), Vec::new()));
            };
            let app = App {
                dir: dir.clone(),
                answers,
            };
            to_do.extend(monorepo::follow_ups(
                &app,
                walk.detected(),
                self.root_lockfile.as_deref(),
            ));
            apps.push(app);
        }
        let files = render_monorepo(&apps, &self.overrides).map_err(|e| e.to_string())?;
        Ok((files, to_do))
    }

    /// Moves to the app at `index`, keeping the current one's answers.
    fn switch_app(&mut self, index: usize) {
        if let Some((_, slot)) = self.apps.get_mut(self.app) {
            *slot = self.walk.clone();
        }
        if let Some((_, walk)) = self.apps.get(index) {
            self.walk = walk.clone();
            self.app = index;
        }
    }

    /// The current question, or `None` when every question is answered.
    pub fn question(&self) -> Option<Question> {
        match self.walk.current() {
            Step::Ask(q) => Some(q),
            Step::Done(_) => None,
        }
    }

    /// Re-renders the preview and puts the cursor on the new question's default.
    fn refresh(&mut self) {
        self.cursor = 0;
        self.ticked.clear();
        self.port_text.clear();
        if let Some(q) = self.question() {
            match (q.spec.input, &q.default) {
                (Input::Select(choices), Value::Choice(d)) => {
                    self.cursor = choices.iter().position(|c| c.value == d).unwrap_or(0);
                }
                (Input::MultiSelect(choices), Value::Many(items)) => {
                    self.ticked = choices
                        .iter()
                        .map(|c| items.iter().any(|i| i == c.value))
                        .collect();
                }
                (Input::MultiSelect(choices), _) => self.ticked = vec![false; choices.len()],
                _ => {}
            }
        }
        self.rerender();
    }

    fn rerender(&mut self) {
        // The rest of the walk on defaults: the preview shows what Enter-Enter-Enter would write.
        match self.files() {
            Ok((files, _)) if files.is_empty() => {}
            Ok((files, to_do)) => {
                self.to_do = to_do;
                self.render_error = None;
                self.plans = files
                    .into_iter()
                    .map(|f| {
                        let existing = self.existing.get(&f.path).map(String::as_str);
                        compare(f, existing)
                    })
                    .collect();
                self.preview = self.preview.min(self.plans.len().saturating_sub(1));
            }
            Err(err) => self.render_error = Some(err.to_string()),
        }
    }

    fn choices_len(&self) -> usize {
        match self.question().map(|q| q.spec.input) {
            Some(Input::Select(c) | Input::MultiSelect(c)) => c.len(),
            _ => 0,
        }
    }

    pub fn move_cursor(&mut self, down: bool) {
        let len = self.choices_len();
        if len == 0 {
            return;
        }
        self.cursor = if down {
            (self.cursor + 1) % len
        } else {
            (self.cursor + len - 1) % len
        };
    }

    pub fn toggle(&mut self) {
        if let Some(t) = self.ticked.get_mut(self.cursor) {
            *t = !*t;
        }
    }

    /// Answers the current question with the highlighted / ticked / typed value.
    pub fn answer(&mut self) -> Result<(), String> {
        let Some(q) = self.question() else {
            return Ok(());
        };
        let value = match q.spec.input {
            Input::Select(choices) => match choices.get(self.cursor) {
                Some(c) => Value::Choice(c.value.to_string()),
                None => q.default,
            },
            Input::MultiSelect(choices) => Value::Many(
                choices
                    .iter()
                    .zip(&self.ticked)
                    .filter(|(_, t)| **t)
                    .map(|(c, _)| c.value.to_string())
                    .collect(),
            ),
            Input::Port if self.port_text.is_empty() => q.default,
            Input::Port => match self.port_text.parse::<u16>() {
                Ok(p) if p > 0 => Value::Port(p),
                _ => {
                    return Err(format!(
                        "port {} is out of range: use 1-65535",
                        self.port_text
                    ));
                }
            },
        };
        self.walk.answer(value).map_err(|e| e.to_string())?;
        // This app is settled: the next one's questions follow.
        if self.question().is_none() && self.app + 1 < self.apps.len() {
            self.switch_app(self.app + 1);
        }
        self.refresh();
        Ok(())
    }

    pub fn back(&mut self) {
        if self.port_text.pop().is_some() {
            return;
        }
        // Back from an app's first question: the previous app's last answer.
        if self.walk.answered().is_empty() && self.app > 0 {
            self.switch_app(self.app - 1);
        }
        self.walk.back();
        self.refresh();
    }

    /// Takes a typed digit when the current question asks for a port.
    pub fn type_digit(&mut self, digit: char) -> bool {
        let is_port = matches!(self.question().map(|q| q.spec.input), Some(Input::Port));
        if is_port && digit.is_ascii_digit() && self.port_text.len() < 5 {
            self.port_text.push(digit);
        }
        is_port
    }

    pub fn cycle_preview(&mut self) {
        if !self.plans.is_empty() {
            self.preview = (self.preview + 1) % self.plans.len();
        }
        self.scroll = 0;
    }

    pub fn toggle_diff(&mut self) {
        self.show_diff = !self.show_diff;
        self.scroll = 0;
    }

    /// Scrolls the preview by a page; the drawing clamps to the text's length.
    pub fn scroll_preview(&mut self, down: bool, page: u16) {
        let page = page.max(1);
        self.scroll = if down {
            self.scroll.saturating_add(page).min(self.preview_len())
        } else {
            self.scroll.saturating_sub(page)
        };
    }

    /// The number of lines the preview shows now (file or diff).
    pub fn preview_len(&self) -> u16 {
        let Some(plan) = self.plans.get(self.preview) else {
            return 0;
        };
        let text = match (&plan.change, self.show_diff) {
            (Change::Changed { diff }, true) => diff.as_str(),
            _ => plan.file.text.as_str(),
        };
        u16::try_from(text.lines().count()).unwrap_or(u16::MAX)
    }

    /// Whether the files on disk already hold what the wizard would write.
    pub fn up_to_date(&self) -> bool {
        self.plans.iter().all(|p| p.change == Change::Unchanged)
    }

    /// The write command for every file that is new or changed (changed ones keep a .bak).
    pub fn write_cmd(&self) -> Option<Cmd> {
        if self.question().is_some() || self.render_error.is_some() {
            return None;
        }
        let files: Vec<(String, String)> = self
            .plans
            .iter()
            .filter(|p| p.change != Change::Unchanged)
            .map(|p| (p.file.path.clone(), p.file.text.clone()))
            .collect();
        Some(Cmd::WriteFiles { files })
    }

    /// Files were written: they are the new "on disk" contents.
    pub fn written(&mut self, files: &[(String, String)]) {
        for (path, text) in files {
            self.existing.insert(path.clone(), text.clone());
        }
        self.rerender();
    }
}

/// A detected Node project (npm, Express on port 3000) with an older Dockerfile on disk.
#[cfg(test)]
pub fn gen_node_seed() -> WizardSeed {
    let package = r#"{
  "name": "shop",
  "version": "1.0.0",
  "scripts": { "start": "node server.js", "dev": "node --watch server.js" },
  "dependencies": { "express": "^4.19.2", "pg": "^8.11.0" }
}
"#;
    let server = "const app = require('express')();\napp.listen(3000);\n";
    let scan = crate::domain::detect::ProjectScan::from_files(
        "shop",
        [
            ("package.json", package),
            ("package-lock.json", "{\"lockfileVersion\": 3}\n"),
            ("server.js", server),
        ],
    );
    WizardSeed {
        detected: crate::domain::detect::detect(&scan),
        name: scan.name,
        existing: BTreeMap::from([(
            "Dockerfile".to_string(),
            "FROM node:18\nCOPY . .\nCMD [\"node\", \"server.js\"]\n".to_string(),
        )]),
        overrides: BTreeMap::new(),
        apps: Vec::new(),
        root_lockfile: None,
    }
}
