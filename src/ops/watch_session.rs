//! One watch session's state between batches (`Session`): applying each plan through the
//! engine, keeping the changes of a service that is not running until its container starts,
//! and turning what happened into `Activity` values.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use bollard::Docker;

use super::stack;
use super::{Event, Sink};
use crate::domain::compose::Project;
use crate::domain::sync::from_compose::restart_dependents;
use crate::domain::sync::{Activity, SyncPlan, WatchSet};
use crate::engine::sync::{SyncReport, SyncSession, apply, restart_service};
use crate::watch::WatchStats;

/// Files named in one `synced` line at most.
const SHOWN_FILES: usize = 3;

/// What one watch session holds between batches.
pub(super) struct Session<'a> {
    docker: &'a Docker,
    project: &'a Project,
    set: Arc<WatchSet>,
    sink: Arc<dyn Sink>,
    pending: SyncSession,
    /// Per service with no running container: what to apply when one starts.
    kept: BTreeMap<String, SyncPlan>,
}

impl<'a> Session<'a> {
    pub(super) fn new(
        docker: &'a Docker,
        project: &'a Project,
        set: Arc<WatchSet>,
        sink: Arc<dyn Sink>,
    ) -> Self {
        Self {
            docker,
            project,
            set,
            sink,
            pending: SyncSession::default(),
            kept: BTreeMap::new(),
        }
    }

    pub(super) fn tell(&self, activity: Activity) {
        self.sink.send(Event::Watch(activity));
    }

    /// Says so when names that are not UTF-8 were met since the last notice (`told` counts).
    pub(super) fn non_utf8_notice(&self, stats: &WatchStats, told: &mut u64) {
        if stats.non_utf8 <= *told {
            return;
        }
        let example = stats.non_utf8_example.as_deref().unwrap_or_default();
        self.tell(Activity::Notice {
            message: format!(
                "not synced: {} file name(s) that are not UTF-8, e.g. {example} (watch rules match text names; rename the file to sync it)",
                stats.non_utf8 - *told
            ),
        });
        *told = stats.non_utf8;
    }

    /// A container of `service` started: applies what was kept for it.
    pub(super) async fn resume(&mut self, service: &str) {
        if let Some(p) = self.kept.remove(service) {
            self.run_plan(&p).await;
        }
    }

    /// Runs one plan and reports what happened; a failure is reported and watching goes on.
    /// Changes kept for the service go first (a start may not have been seen yet), so an older
    /// kept change never lands over a newer one.
    pub(super) async fn run_plan(&mut self, p: &SyncPlan) {
        let merged;
        let p = match self.kept.remove(&p.service) {
            Some(mut kept) => {
                kept.absorb(p.clone());
                kept.rebuild = p.rebuild;
                merged = kept;
                &merged
            }
            None => p,
        };
        if p.rebuild {
            self.tell(Activity::Rebuilding {
                service: p.service.clone(),
            });
            let started = std::time::Instant::now();
            let rebuilt =
                stack::rebuild(self.docker, self.project, &p.service, self.sink.clone()).await;
            if let Err(err) = rebuilt {
                self.tell(Activity::Failed {
                    service: p.service.clone(),
                    message: format!("rebuild failed, the old containers keep running: {err}"),
                });
                return;
            }
            self.tell(Activity::Rebuilt {
                service: p.service.clone(),
                millis: started.elapsed().as_millis(),
            });
        }
        let applied = apply(
            self.docker,
            &self.project.name,
            &self.set,
            p,
            &mut self.pending,
        )
        .await;
        let report = match applied {
            Ok(report) if report.not_running => {
                let kept = self
                    .kept
                    .entry(p.service.clone())
                    .or_insert_with(|| SyncPlan {
                        service: p.service.clone(),
                        ..SyncPlan::default()
                    });
                kept.absorb(SyncPlan {
                    rebuild: false,
                    ..p.clone()
                });
                let changes = kept.changes;
                return self.tell(Activity::Kept {
                    service: p.service.clone(),
                    changes,
                });
            }
            Ok(report) => report,
            Err(err) => {
                return self.tell(Activity::Failed {
                    service: p.service.clone(),
                    message: err.to_string(),
                });
            }
        };
        for activity in activities(&self.set, &self.project.working_dir, p, &report) {
            self.tell(activity);
        }
        if p.restart || p.rebuild {
            for dependent in restart_dependents(self.project, &p.service) {
                match restart_service(self.docker, &self.project.name, &dependent).await {
                    Ok(0) => {}
                    Ok(containers) => self.tell(Activity::Restarted {
                        service: dependent,
                        containers,
                    }),
                    Err(err) => self.tell(Activity::Failed {
                        service: dependent,
                        message: err.to_string(),
                    }),
                }
            }
        }
    }
}

/// The activities of one applied plan. Files are named relative to `project_dir`.
fn activities(
    set: &WatchSet,
    project_dir: &str,
    p: &SyncPlan,
    report: &SyncReport,
) -> Vec<Activity> {
    let mut out = Vec::new();
    let files = p.copies.len();
    if files > 0 || report.deleted > 0 {
        let shown = p
            .copies
            .iter()
            .take(SHOWN_FILES)
            .map(|c| relative(project_dir, &c.host))
            .collect();
        out.push(Activity::Synced {
            service: p.service.clone(),
            files,
            shown,
            deleted: report.deleted,
            containers: report.containers,
            millis: report.elapsed.as_millis(),
        });
    }
    out.extend(report.notices.iter().map(|message| Activity::Notice {
        message: message.clone(),
    }));
    if report.deferred > 0 {
        out.push(Activity::Deferred {
            service: p.service.clone(),
            paths: report.deferred,
        });
    }
    if report.restarted > 0 {
        out.push(Activity::Restarted {
            service: p.service.clone(),
            containers: report.restarted,
        });
    }
    for &index in &p.execs {
        if let Some(hook) = set.rules.get(index).and_then(|r| r.exec.as_ref()) {
            out.push(Activity::Executed {
                service: p.service.clone(),
                command: hook.command.join(" "),
            });
        }
    }
    out
}

fn relative(dir: &str, path: &str) -> String {
    Path::new(path)
        .strip_prefix(dir)
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| path.to_owned())
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::domain::sync::{ExecHook, FsChange, RuleSpec, ServiceWatchSpec, compile, plan};

    #[test]
    fn activity_lines_for_an_applied_plan() {
        let set = compile(&[ServiceWatchSpec {
            service: "web".into(),
            rules: vec![RuleSpec {
                path: "/p/src".into(),
                action: "sync+exec".into(),
                target: "/app".into(),
                exec: Some(ExecHook {
                    command: vec!["kill".into(), "-HUP".into(), "1".into()],
                    ..ExecHook::default()
                }),
                ..RuleSpec::default()
            }],
            ..ServiceWatchSpec::default()
        }])
        .unwrap();
        let p = plan(
            &set,
            &[
                FsChange::exists("/p/src/a.js", false),
                FsChange::removed("/p/src/b.js"),
            ],
        );
        let report = SyncReport {
            service: "web".into(),
            containers: 2,
            entries: 1,
            deleted: 1,
            deferred: 1,
            not_running: false,
            restarted: 0,
            execs: 1,
            received: 2,
            elapsed: Duration::from_millis(41),
            notices: vec!["web-1: syncing through the engine's archive API".into()],
        };
        let lines: Vec<String> = activities(&set, "/p", &p[0], &report)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            lines,
            [
                "synced 1 file (src/a.js), deleted 1 path → web (2 containers) (41 ms)",
                "web-1: syncing through the engine's archive API",
                "1 path will be deleted in web's stopped containers when they start",
                "ran `kill -HUP 1` in web",
            ]
        );
    }
}
