//! Tests of service selection and start waves.

use super::*;
use crate::domain::compose::model::Dependency;

fn project() -> Project {
    let svc = |name: &str, deps: &[&str]| {
        (
            ServiceName::new(name),
            Service {
                name: ServiceName::new(name),
                depends_on: deps
                    .iter()
                    .map(|d| (ServiceName::new(*d), Dependency::default()))
                    .collect(),
                ..Service::default()
            },
        )
    };
    Project {
        name: "p".to_owned(),
        services: [
            svc("db", &[]),
            svc("cache", &[]),
            svc("api", &["db", "cache"]),
            svc("web", &["api"]),
            svc("tool", &[]),
        ]
        .into_iter()
        .collect(),
        ..Project::default()
    }
}

#[test]
fn naming_a_service_brings_its_dependencies() {
    let p = project();
    let s = select_services(&p, &["web".to_owned()], false).unwrap_or_default();
    assert_eq!(
        s.into_iter().collect::<Vec<_>>(),
        ["api", "cache", "db", "web"]
    );
    let s = select_services(&p, &["web".to_owned()], true).unwrap_or_default();
    assert_eq!(s.into_iter().collect::<Vec<_>>(), ["web"]);
    assert!(matches!(
        select_services(&p, &["nope".to_owned()], false),
        Err(StackError::NoSuchService { .. })
    ));
}

#[test]
fn waves_follow_the_dependency_graph() {
    let p = project();
    let order: Vec<String> = start_order(&p)
        .unwrap_or_default()
        .into_iter()
        .map(|n| n.to_string())
        .collect();
    assert_eq!(
        levels(&p, &order),
        vec![
            vec!["cache".to_owned(), "db".to_owned(), "tool".to_owned()],
            vec!["api".to_owned()],
            vec!["web".to_owned()]
        ]
    );
}
