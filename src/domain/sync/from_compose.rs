//! From the compose model to watch specs: the services to watch (named ones plus their
//! dependencies, as Compose does), each rule's fields, bind mount sources, and where the
//! build ignore file is expected (the caller reads it).

use crate::domain::compose::{Project, Service};

use super::rules::{BuildIgnore, ExecHook, RuleSpec, ServiceWatchSpec};

/// Services whose rules are active: the named ones and everything they depend on (all
/// services when none is named), in the project's order, keeping only those with rules.
pub fn selected_services<'a>(project: &'a Project, names: &[String]) -> Vec<&'a Service> {
    let mut wanted: Vec<String> = if names.is_empty() {
        project
            .services
            .keys()
            .map(|n| n.as_str().to_string())
            .collect()
    } else {
        names.to_vec()
    };
    let mut i = 0;
    while i < wanted.len() {
        if let Some(service) = project
            .services
            .values()
            .find(|s| s.name.as_str() == wanted[i])
        {
            for dep in service.depends_on.keys() {
                if !wanted.iter().any(|w| w == dep.as_str()) {
                    wanted.push(dep.as_str().to_string());
                }
            }
        }
        i += 1;
    }
    project
        .services
        .values()
        .filter(|s| wanted.iter().any(|w| w == s.name.as_str()))
        .filter(|s| s.develop.as_ref().is_some_and(|d| !d.watch.is_empty()))
        .collect()
}

/// Names given on the command line that the project does not define.
pub fn unknown_services(project: &Project, names: &[String]) -> Vec<String> {
    names
        .iter()
        .filter(|n| {
            !project
                .services
                .values()
                .any(|s| s.name.as_str() == n.as_str())
        })
        .cloned()
        .collect()
}

/// Services that ask to be restarted with `service` (`depends_on: {service: {restart: true}}`),
/// followed transitively, in the project's order.
pub fn restart_dependents(project: &Project, service: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut todo = vec![service.to_string()];
    while let Some(current) = todo.pop() {
        for candidate in project.services.values() {
            let name = candidate.name.as_str();
            let asks = candidate
                .depends_on
                .iter()
                .any(|(dep, how)| dep.as_str() == current && how.restart);
            if asks && name != service && !out.iter().any(|o| o == name) {
                out.push(name.to_string());
                todo.push(name.to_string());
            }
        }
    }
    project
        .services
        .values()
        .map(|s| s.name.as_str().to_string())
        .filter(|n| out.contains(n))
        .collect()
}

/// `(context dir, Dockerfile path inside it)` of a service with `build`.
pub fn build_context(service: &Service) -> Option<(String, String)> {
    let build = service.build.as_ref()?;
    let dockerfile = if build.dockerfile.is_empty() {
        "Dockerfile".to_string()
    } else {
        build.dockerfile.clone()
    };
    Some((build.context.clone(), dockerfile))
}

/// The watch spec of one service; `build_ignore` is the ignore file the caller found.
pub fn service_spec(service: &Service, build_ignore: Option<BuildIgnore>) -> ServiceWatchSpec {
    let rules = service
        .develop
        .iter()
        .flat_map(|d| d.watch.iter())
        .map(|rule| RuleSpec {
            path: rule.path.clone(),
            action: rule.action.clone(),
            target: rule.target.clone(),
            ignore: rule.ignore.clone(),
            include: rule.include.clone(),
            initial_sync: rule.initial_sync,
            exec: rule
                .exec
                .command
                .as_ref()
                .filter(|c| !c.is_empty())
                .map(|command| ExecHook {
                    command: command.clone(),
                    user: rule.exec.user.clone(),
                    privileged: rule.exec.privileged,
                    working_dir: rule.exec.working_dir.clone(),
                    environment: rule
                        .exec
                        .environment
                        .iter()
                        .filter_map(|(k, v)| v.as_ref().map(|v| (k.clone(), v.clone())))
                        .collect(),
                }),
        })
        .collect();
    ServiceWatchSpec {
        service: service.name.as_str().to_string(),
        rules,
        has_build: service.build.is_some(),
        build_ignore,
        bind_sources: service
            .volumes
            .iter()
            .filter(|v| v.kind == "bind" && !v.source.is_empty())
            .map(|v| v.source.clone())
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::compose::{LoadOptions, load_from_str};

    const YAML: &str = r#"
services:
  web:
    build: .
    depends_on: [api]
    volumes: ["./data:/data"]
    develop:
      watch:
        - path: ./src
          action: sync
          target: /app/src
          ignore: [node_modules/]
          initial_sync: true
        - path: ./conf
          action: sync+exec
          target: /etc/web
          exec:
            command: ["kill", "-HUP", "1"]
            user: root
            environment: { MODE: dev }
  api:
    image: api
    develop:
      watch:
        - path: ./api
          action: restart
  db:
    image: db
  worker:
    image: w
    depends_on:
      api: { condition: service_started, restart: true }
  cron:
    image: c
    depends_on:
      worker: { condition: service_started, restart: true }
      db: { condition: service_started }
"#;

    #[test]
    fn specs_from_the_compose_model() {
        let loaded = load_from_str(YAML, &LoadOptions::for_dir("/proj")).unwrap();
        let project = loaded.project;
        let names: Vec<&str> = selected_services(&project, &["web".into()])
            .iter()
            .map(|s| s.name.as_str())
            .collect();
        assert_eq!(names, ["api", "web"]);
        assert!(selected_services(&project, &["api".into()]).len() == 1);
        assert_eq!(unknown_services(&project, &["wbe".into()]), ["wbe"]);
        let web = project
            .services
            .values()
            .find(|s| s.name.as_str() == "web")
            .unwrap();
        assert_eq!(
            build_context(web),
            Some(("/proj".to_string(), "Dockerfile".to_string()))
        );
        let spec = service_spec(web, None);
        assert_eq!(spec.bind_sources, ["/proj/data"]);
        assert!(spec.has_build);
        assert_eq!(spec.rules[0].path, "/proj/src");
        assert_eq!(spec.rules[0].ignore, ["node_modules/"]);
        assert!(spec.rules[0].initial_sync);
        let hook = spec.rules[1].exec.clone().unwrap();
        assert_eq!(hook.command, ["kill", "-HUP", "1"]);
        assert_eq!(
            (hook.user.as_str(), hook.environment.clone()),
            ("root", vec![("MODE".to_string(), "dev".to_string())])
        );
        assert!(crate::domain::sync::compile(&[spec]).is_ok());
        assert_eq!(restart_dependents(&project, "api"), ["cron", "worker"]);
        assert!(restart_dependents(&project, "db").is_empty());
    }
}
