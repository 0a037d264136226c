//! Ignore/include tables written like a spec, plus batch planning (all rules fire, order,
//! de-duplication, deletions, initial sync).

use super::*;
use crate::domain::sync::rules::{BuildIgnore, ExecHook, RuleSpec, ServiceWatchSpec};
use crate::domain::sync::watchset::compile;

const ROOT: &str = "/proj";

fn rule(path: &str, action: &str, target: &str, ignore: &[&str], include: &[&str]) -> RuleSpec {
    RuleSpec {
        path: format!("{ROOT}/{path}"),
        action: action.into(),
        target: target.into(),
        ignore: ignore.iter().map(|s| s.to_string()).collect(),
        include: include.iter().map(|s| s.to_string()).collect(),
        exec: (action == "sync+exec").then(|| ExecHook {
            command: vec!["kill".into(), "-HUP".into(), "1".into()],
            ..ExecHook::default()
        }),
        ..RuleSpec::default()
    }
}

/// A typical web service: sync `src` to /app/src ignoring tests, rebuild on package.json,
/// a .dockerignore excluding node_modules and dist.
fn web() -> WatchSet {
    compile(&[ServiceWatchSpec {
        service: "web".into(),
        rules: vec![
            rule(".", "sync", "/app", &["node_modules/", "**/*.test.js"], &[]),
            rule("package.json", "rebuild", "", &[], &[]),
            rule("conf", "sync+restart", "/etc/web", &[], &["*.conf"]),
        ],
        has_build: true,
        build_ignore: Some(BuildIgnore {
            context: ROOT.into(),
            file: format!("{ROOT}/.dockerignore"),
            text: "dist\n*.log\n".into(),
        }),
        bind_sources: vec![],
    }])
    .unwrap()
}

fn one(set: &WatchSet, rel: &str) -> Vec<SyncPlan> {
    plan(set, &[FsChange::exists(format!("{ROOT}/{rel}"), false)])
}

#[track_caller]
fn syncs(rel: &str, container: &str) {
    let plans = one(&web(), rel);
    let copies: Vec<&str> = plans
        .iter()
        .flat_map(|p| p.copies.iter().map(|c| c.container.as_str()))
        .collect();
    assert!(
        copies.contains(&container),
        "{rel} should sync to {container}, got {plans:?}"
    );
}

#[track_caller]
fn ignored(rel: &str) {
    assert_eq!(one(&web(), rel), vec![], "{rel} should be ignored");
}

#[track_caller]
fn rebuilds(rel: &str) {
    assert!(
        one(&web(), rel).iter().any(|p| p.rebuild),
        "{rel} should rebuild"
    );
}

#[test]
fn ignore_and_include_table() {
    syncs("src/a.js", "/app/src/a.js");
    syncs("index.html", "/app/index.html");
    syncs("pkg/node_modules/x", "/app/pkg/node_modules/x");
    syncs("conf/web.conf", "/etc/web/web.conf");
    syncs("conf/web.conf", "/app/conf/web.conf");
    ignored("node_modules/x");
    ignored("src/a.test.js");
    ignored("src/deep/b.test.js");
    ignored("dist/bundle.js");
    ignored("logs.log");
    ignored(".git/HEAD");
    ignored("src/.a.js.swp");
    ignored("src/a.js~");
    ignored("conf/sub/x.conf/../../../../outside");
    rebuilds("package.json");
}

#[test]
fn include_is_rooted_at_the_rule_path() {
    let plans = one(&web(), "conf/sub/web.conf");
    let targets: Vec<&str> = plans[0]
        .copies
        .iter()
        .map(|c| c.container.as_str())
        .collect();
    assert_eq!(targets, ["/app/conf/sub/web.conf"]);
    assert!(!plans[0].restart);
}

#[test]
fn all_matching_rules_fire_once_per_service() {
    let plans = one(&web(), "conf/web.conf");
    assert_eq!(plans.len(), 1);
    let p = &plans[0];
    assert_eq!((p.changes, p.restart, p.rebuild), (1, true, false));
    assert_eq!(p.copies.len(), 2);
}

#[test]
fn deletions_and_dedup() {
    let set = web();
    let plans = plan(
        &set,
        &[
            FsChange::removed(format!("{ROOT}/src/old")),
            FsChange::removed(format!("{ROOT}/src/old/a.js")),
            FsChange::exists(format!("{ROOT}/src/new"), true),
            FsChange::exists(format!("{ROOT}/src/new/b.js"), false),
            FsChange::exists(format!("{ROOT}/src/new/b.js"), false),
        ],
    );
    assert_eq!(plans.len(), 1);
    assert_eq!(plans[0].deletes, ["/app/src/old"]);
    let copies: Vec<(&str, bool)> = plans[0]
        .copies
        .iter()
        .map(|c| (c.container.as_str(), c.is_dir))
        .collect();
    assert_eq!(copies, [("/app/src/new", true)]);
    assert_eq!(plans[0].changes, 5);
}

#[test]
fn exec_runs_once_per_rule_and_services_are_separate() {
    let set = compile(&[
        ServiceWatchSpec {
            service: "api".into(),
            rules: vec![rule("src", "sync+exec", "/srv", &[], &[])],
            ..ServiceWatchSpec::default()
        },
        ServiceWatchSpec {
            service: "worker".into(),
            rules: vec![rule("src", "restart", "", &[], &[])],
            ..ServiceWatchSpec::default()
        },
    ])
    .unwrap();
    let plans = plan(
        &set,
        &[
            FsChange::exists("/proj/src/a.py", false),
            FsChange::exists("/proj/src/b.py", false),
        ],
    );
    assert_eq!(plans.len(), 2);
    assert_eq!(
        (
            plans[0].service.as_str(),
            plans[0].execs.clone(),
            plans[0].copies.len()
        ),
        ("api", vec![0], 2)
    );
    assert_eq!(
        (
            plans[1].service.as_str(),
            plans[1].restart,
            plans[1].copies.len()
        ),
        ("worker", true, 0)
    );
}

#[test]
fn watcher_skips_only_dirs_no_rule_can_use() {
    let set = web();
    assert!(set.can_skip_dir("/proj/node_modules"));
    assert!(set.can_skip_dir("/proj/dist"));
    assert!(set.can_skip_dir("/proj/.git"));
    assert!(!set.can_skip_dir("/proj/src"));
    assert!(!set.can_skip_dir("/proj/pkg/node_modules"));
    assert!(!set.can_skip_dir("/"));
    assert_eq!(set.roots(), ["/proj"]);
}

#[test]
fn initial_sync_copies_rule_roots() {
    let mut spec = rule("src", "sync", "/app/src", &[], &[]);
    spec.initial_sync = true;
    let mut exec_rule = rule("src", "sync+exec", "/x", &[], &[]);
    exec_rule.initial_sync = true;
    let set = compile(&[ServiceWatchSpec {
        service: "web".into(),
        rules: vec![spec, exec_rule],
        ..ServiceWatchSpec::default()
    }])
    .unwrap();
    assert_eq!(set.initial_sync_rules(), [0]);
    let plans = plan_initial(&set, &[FsChange::exists("/proj/src", true)]);
    assert_eq!(
        plans[0].copies,
        [CopyOp {
            rule: 0,
            host: "/proj/src".into(),
            container: "/app/src".into(),
            is_dir: true
        }]
    );
}

fn copy(container: &str) -> CopyOp {
    CopyOp {
        rule: 0,
        host: format!("{ROOT}{container}"),
        container: container.into(),
        is_dir: false,
    }
}

#[test]
fn kept_plans_fold_into_one_that_ends_in_the_same_state() {
    let mut kept = SyncPlan {
        service: "web".into(),
        copies: vec![copy("/app/src/a.js"), copy("/app/old/b.js")],
        changes: 2,
        ..SyncPlan::default()
    };
    kept.absorb(SyncPlan {
        service: "web".into(),
        copies: vec![copy("/app/src/a.js"), copy("/app/old/c.js")],
        deletes: vec!["/app/old".into()],
        restart: true,
        execs: vec![1],
        changes: 3,
        ..SyncPlan::default()
    });
    kept.absorb(SyncPlan {
        service: "web".into(),
        deletes: vec!["/app/old".into()],
        execs: vec![1, 2],
        changes: 1,
        rebuild: true,
        ..SyncPlan::default()
    });
    let copies: Vec<&str> = kept.copies.iter().map(|c| c.container.as_str()).collect();
    // b.js went with /app/old; c.js came after the first deletion and went with the second;
    // a.js once.
    assert_eq!(copies, ["/app/src/a.js"]);
    assert_eq!(kept.deletes, ["/app/old"]);
    assert!(kept.restart);
    assert_eq!(kept.execs, [1, 2]);
    assert_eq!(kept.changes, 6);
    assert!(!kept.rebuild, "a rebuild is never kept");
}

#[test]
fn a_deletion_only_drops_copies_under_it() {
    let mut kept = SyncPlan {
        copies: vec![copy("/app/old"), copy("/app/older/x"), copy("/app/old/x")],
        ..SyncPlan::default()
    };
    kept.absorb(SyncPlan {
        deletes: vec!["/app/old".into()],
        ..SyncPlan::default()
    });
    let copies: Vec<&str> = kept.copies.iter().map(|c| c.container.as_str()).collect();
    assert_eq!(copies, ["/app/older/x"]);
}
