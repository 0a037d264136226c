//! Every compose project on the engine, summarised from its containers' Compose labels: the
//! Projects view's rows, and where to load each project from to open its stack.

use super::RunState;

/// One container of some compose project, as the engine's list reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectContainer {
    pub project: String,
    /// `com.docker.compose.project.working_dir`.
    pub working_dir: String,
    /// `com.docker.compose.project.config_files`, split on commas.
    pub config_files: Vec<String>,
    /// `com.docker.compose.project.environment_file`, split on commas.
    pub env_files: Vec<String>,
    pub service: String,
    pub state: RunState,
    /// The health the engine's `health` filter placed it in, if any.
    pub health: Option<ProbeHealth>,
    /// A `run` container (`com.docker.compose.oneoff=True`): not one of the project's services.
    pub oneoff: bool,
}

/// The health states the engine can filter containers by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProbeHealth {
    Starting,
    Healthy,
    Unhealthy,
}

/// Where a project was started from: enough to load its compose files again.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProjectRef {
    pub name: String,
    pub working_dir: String,
    pub config_files: Vec<String>,
    pub env_files: Vec<String>,
}

/// One row of the Projects view.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProjectSummary {
    pub project: ProjectRef,
    /// Services with at least one container, and those with one running.
    pub services: usize,
    pub services_running: usize,
    pub containers: usize,
    pub running: usize,
    pub healthy: usize,
    pub unhealthy: usize,
    pub starting: usize,
}

impl ProjectSummary {
    /// `2 healthy, 1 unhealthy`, or `-` when no container has a health check.
    pub fn health_text(&self) -> String {
        let parts: Vec<String> = [
            (self.unhealthy, "unhealthy"),
            (self.starting, "starting"),
            (self.healthy, "healthy"),
        ]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, word)| format!("{n} {word}"))
        .collect();
        if parts.is_empty() {
            "-".to_owned()
        } else {
            parts.join(", ")
        }
    }
}

/// Compose writes these labels as comma-separated lists.
pub fn split_list(label: &str) -> Vec<String> {
    label
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// One row per project, by name. Where a project's containers disagree on where it was
/// started from (a project name reused in another folder), the newest list entry's labels win,
/// as the engine lists newest first.
pub fn summarise(containers: &[ProjectContainer]) -> Vec<ProjectSummary> {
    let mut rows: Vec<(ProjectSummary, Vec<(String, bool)>)> = Vec::new();
    for c in containers
        .iter()
        .filter(|c| !c.oneoff && !c.project.is_empty())
    {
        let at = match rows.iter().position(|(r, _)| r.project.name == c.project) {
            Some(i) => i,
            None => {
                rows.push((
                    ProjectSummary {
                        project: ProjectRef {
                            name: c.project.clone(),
                            working_dir: c.working_dir.clone(),
                            config_files: c.config_files.clone(),
                            env_files: c.env_files.clone(),
                        },
                        ..ProjectSummary::default()
                    },
                    Vec::new(),
                ));
                rows.len() - 1
            }
        };
        let (row, services) = &mut rows[at];
        row.containers += 1;
        let running = c.state == RunState::Running;
        if running {
            row.running += 1;
        }
        match c.health {
            Some(ProbeHealth::Healthy) => row.healthy += 1,
            Some(ProbeHealth::Unhealthy) => row.unhealthy += 1,
            Some(ProbeHealth::Starting) => row.starting += 1,
            None => {}
        }
        match services.iter_mut().find(|(s, _)| *s == c.service) {
            Some((_, any_running)) => *any_running |= running,
            None => services.push((c.service.clone(), running)),
        }
    }
    let mut out: Vec<ProjectSummary> = rows
        .into_iter()
        .map(|(mut row, services)| {
            row.services = services.len();
            row.services_running = services.iter().filter(|(_, r)| *r).count();
            row
        })
        .collect();
    out.sort_by(|a, b| a.project.name.cmp(&b.project.name));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn container(project: &str, service: &str, state: RunState) -> ProjectContainer {
        ProjectContainer {
            project: project.into(),
            working_dir: format!("/src/{project}"),
            config_files: vec![format!("/src/{project}/compose.yaml")],
            env_files: Vec::new(),
            service: service.into(),
            state,
            health: None,
            oneoff: false,
        }
    }

    #[test]
    fn projects_are_counted_by_service_and_container() {
        let mut web2 = container("shop", "web", RunState::Exited);
        web2.health = None;
        let mut db = container("shop", "db", RunState::Running);
        db.health = Some(ProbeHealth::Healthy);
        let mut api = container("blog", "api", RunState::Running);
        api.health = Some(ProbeHealth::Unhealthy);
        let mut run = container("blog", "api", RunState::Running);
        run.oneoff = true;
        let rows = summarise(&[
            container("shop", "web", RunState::Running),
            web2,
            db,
            api,
            run,
            container("blog", "worker", RunState::Exited),
        ]);
        let names: Vec<&str> = rows.iter().map(|r| r.project.name.as_str()).collect();
        assert_eq!(names, ["blog", "shop"]);
        let (blog, shop) = (&rows[0], &rows[1]);
        assert_eq!((shop.services, shop.services_running), (2, 2));
        assert_eq!((shop.containers, shop.running), (3, 2));
        assert_eq!(shop.health_text(), "1 healthy");
        assert_eq!((blog.services, blog.services_running), (2, 1));
        assert_eq!(
            blog.containers, 2,
            "the one-off `run` container is not counted"
        );
        assert_eq!(blog.health_text(), "1 unhealthy");
        assert_eq!(blog.project.config_files, ["/src/blog/compose.yaml"]);
    }

    #[test]
    fn label_lists_split_on_commas() {
        assert_eq!(
            split_list("/a/compose.yaml,/a/compose.override.yaml"),
            ["/a/compose.yaml", "/a/compose.override.yaml"]
        );
        assert!(split_list("").is_empty());
        assert_eq!(ProjectSummary::default().health_text(), "-");
    }
}
