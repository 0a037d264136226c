//! Tests for rule validation, rooted pattern lists and the built-in ignores.

use super::*;
use crate::domain::sync::watchset::compile;

fn rule(path: &str, action: &str, target: &str) -> RuleSpec {
    RuleSpec {
        path: path.into(),
        action: action.into(),
        target: target.into(),
        ..RuleSpec::default()
    }
}

fn service(rules: Vec<RuleSpec>) -> ServiceWatchSpec {
    ServiceWatchSpec {
        service: "web".into(),
        rules,
        has_build: true,
        ..ServiceWatchSpec::default()
    }
}

fn error(spec: ServiceWatchSpec) -> String {
    compile(&[spec]).unwrap_err().to_string()
}

#[test]
fn validation_errors_name_service_and_rule() {
    assert_eq!(
        error(service(vec![rule("/p/src", "sync", "")])),
        "service \"web\": develop.watch[0] has no target, which action sync needs"
    );
    assert_eq!(
        error(service(vec![
            rule("/p", "restart", ""),
            rule("/p/src", "sync+restart", "app")
        ])),
        "service \"web\": develop.watch[1] target \"app\" is not absolute"
    );
    let mut no_build = service(vec![rule("/p", "rebuild", "")]);
    no_build.has_build = false;
    assert_eq!(
        error(no_build),
        "service \"web\": develop.watch[0] uses action rebuild but the service has no build section"
    );
    assert_eq!(
        error(service(vec![rule("/p", "copy", "/app")])),
        "service \"web\": develop.watch[0] has unknown action \"copy\""
    );
    assert_eq!(
        error(service(vec![rule("/p", "sync+exec", "/app")])),
        "service \"web\": develop.watch[0] is sync+exec without exec.command"
    );
    let mut bound = service(vec![rule("/p/src/app", "sync", "/app")]);
    bound.bind_sources = vec!["/p/src".into()];
    assert_eq!(
        error(bound),
        "service \"web\": develop.watch[0] path /p/src/app is also bind-mounted from /p/src"
    );
    let mut bad = rule("/p", "sync", "/app");
    bad.ignore = vec!["ok".into(), "[".into()];
    assert_eq!(
        error(service(vec![bad])),
        "service \"web\": develop.watch[0].ignore[1]: syntax error in pattern"
    );
    assert_eq!(compile(&[]).unwrap_err(), RuleError::NoRules);
}

#[test]
fn bind_overlap_only_for_plain_sync_actions() {
    let mut spec = service(vec![
        rule("/p/src", "restart", ""),
        rule("/p/src", "rebuild", ""),
    ]);
    spec.bind_sources = vec!["/p".into()];
    assert!(compile(&[spec]).is_ok());
}

#[test]
fn rooted_lists_follow_compose() {
    let m = RootedMatcher::new("/p/src", &["*.go".into()]).unwrap();
    assert!(m.hit("/p/src/x.go"));
    assert!(!m.hit("/p/src/a/x.go"));
    let m = RootedMatcher::new("/p", &["node_modules/".into()]).unwrap();
    assert!(m.hit("/p/node_modules/x/y"));
    assert!(!m.hit("/p/pkg/node_modules/x"));
    let m = RootedMatcher::new("/p", &["**/node_modules".into(), "/tmp/abs".into()]).unwrap();
    assert!(m.hit("/p/pkg/node_modules/x"));
    assert!(m.hit("/tmp/abs/f"));
    // Glob characters in the project directory itself are literal.
    let m = RootedMatcher::new("/w/[x]", &["a".into()]).unwrap();
    assert!(m.hit("/w/[x]/a"));
    assert!(!m.hit("/w/x/a"));
}

#[test]
fn build_ignore_is_relative_to_the_context() {
    let m = RootedMatcher::for_context("/p/app", "dist\nnode_modules\n!node_modules/keep").unwrap();
    assert!(m.hit("/p/app/dist/x"));
    assert!(!m.hit("/p/dist/x"));
    assert!(!m.hit("/p/app/node_modules/keep"));
    assert!(m.covers_dir("/p/app/dist"));
    assert!(!m.covers_dir("/p/app/node_modules"));
}

#[test]
fn builtins_at_any_depth() {
    for path in [
        "/p/.git/HEAD",
        "/p/sub/.git/index",
        "/p/src/.a.js.swp",
        "/p/src/a.js~",
        "/p/4913",
        "/p/.idea/workspace.xml",
        "/p/src/#a.js#",
        "/p/src/.#a.js",
        "/p/x___jb_tmp___",
    ] {
        assert!(is_builtin_ignored(path), "{path}");
    }
    for path in ["/p/src/a.js", "/p/.gitignore", "/p/src/git/x", "/p/swp"] {
        assert!(!is_builtin_ignored(path), "{path}");
    }
}
