//! Fixture builders and key helpers shared by the `update` tests.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::domain::stack::{ContainerInfo, Dependency, RunState, ServiceSpec, WaitCondition};

pub fn press(model: &mut Model, code: KeyCode, mods: KeyModifiers) -> Vec<Cmd> {
    update(model, Msg::KeyPressed(KeyEvent::new(code, mods)))
}

pub fn keys(model: &mut Model, text: &str) -> Vec<Cmd> {
    text.chars()
        .flat_map(|c| press(model, KeyCode::Char(c), KeyModifiers::NONE))
        .collect()
}

pub fn info(id: &str, service: &str, state: RunState) -> ContainerInfo {
    ContainerInfo {
        id: id.into(),
        name: format!("demo-{service}-1"),
        service: service.into(),
        state,
        ..ContainerInfo::default()
    }
}

pub fn gen_model() -> Model {
    let mut model = Model {
        tab: Tab::Stack,
        size: (80, 24),
        ..Model::default()
    };
    update(
        &mut model,
        Msg::ProjectLoaded {
            project: "demo".into(),
            services: vec![
                ServiceSpec {
                    name: "db".into(),
                    ..ServiceSpec::default()
                },
                ServiceSpec {
                    name: "web".into(),
                    depends_on: vec![Dependency {
                        service: "db".into(),
                        condition: WaitCondition::Healthy,
                    }],
                    ..ServiceSpec::default()
                },
            ],
        },
    );
    update(
        &mut model,
        Msg::ContainersListed(vec![
            info("d1", "db", RunState::Running),
            info("w1", "web", RunState::Created),
        ]),
    );
    model
}

pub fn log(model: &mut Model, container: &str, service: &str, lines: &[&str]) {
    update(
        model,
        Msg::Logs(LogChunk {
            container: container.into(),
            service: service.into(),
            lines: lines
                .iter()
                .map(|l| (None, (*l).to_owned(), false))
                .collect(),
        }),
    );
}

/// A monorepo root: a Node API and a static site, each detected in its directory.
pub fn gen_monorepo_seed() -> WizardSeed {
    use crate::domain::detect::{ProjectScan, detect};
    let api = ProjectScan::from_files(
        "api",
        [
            (
                "package.json",
                r#"{"name":"api","scripts":{"start":"node server.js"},"dependencies":{"express":"4"}}"#,
            ),
            ("server.js", "require('express')().listen(3000);\n"),
        ],
    );
    let web = ProjectScan::from_files("web", [("index.html", "<h1>web</h1>\n")]);
    let root = ProjectScan::from_files(
        "mono",
        [
            ("README.md", "# mono\n"),
            (
                "api/package.json",
                r#"{"name":"api","scripts":{"start":"node server.js"},"dependencies":{"express":"4"}}"#,
            ),
            ("api/server.js", "require('express')().listen(3000);\n"),
            ("web/index.html", "<h1>web</h1>\n"),
        ],
    );
    WizardSeed {
        detected: detect(&root),
        name: root.name,
        existing: std::collections::BTreeMap::new(),
        overrides: std::collections::BTreeMap::new(),
        root_lockfile: None,
        apps: vec![
            AppSeed {
                dir: "api".into(),
                detected: detect(&api),
                name: api.name,
            },
            AppSeed {
                dir: "web".into(),
                detected: detect(&web),
                name: web.name,
            },
        ],
    }
}
