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
