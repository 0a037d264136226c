//! Interpolation grammar tests: the forms Compose accepts, errors, the variable list, and the
//! depth and length bounds.

use std::collections::BTreeMap;

use super::*;

fn env() -> BTreeMap<String, String> {
    [("A", "a"), ("EMPTY", ""), ("N", "3")]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

fn sub(t: &str) -> Result<String, TemplateError> {
    substitute(t, &env(), &mut Vec::new())
}

#[test]
fn the_grammar() {
    let ok = |t: &str, want: &str| assert_eq!(sub(t).as_deref(), Ok(want), "{t}");
    ok("$A ${A}", "a a");
    ok("${EMPTY:-d} ${EMPTY-d} ${UNSET-d}", "d  d");
    ok("${A:+r} ${EMPTY:+r} ${EMPTY+r} ${UNSET+r}", "r  r ");
    ok("$$A $$$A", "$A $a");
    ok("${UNSET:-${A}-x}", "a-x");
    ok("${UNSET:-${UNSET2:-deep}}", "deep");
    ok("$1 $ $-", "$1 $ $-");
    ok("${A-b:-c}", "a");
    ok("${UNSET-b:-c}", "b:-c");
    ok("x$Ay", "x");
}

#[test]
fn errors() {
    assert_eq!(sub("${foo.bar}"), Err(TemplateError::Invalid));
    assert_eq!(sub("${A"), Err(TemplateError::Invalid));
    assert_eq!(sub("${}"), Err(TemplateError::Invalid));
    assert_eq!(
        sub("${UNSET:?need it}"),
        Err(TemplateError::Required {
            name: "UNSET".into(),
            message: "need it".into()
        })
    );
    assert_eq!(sub("${EMPTY?x}"), Ok(String::new()));
    assert!(sub("${EMPTY:?x}").is_err());
}

#[test]
fn unset_variables_are_reported() {
    let mut unset = Vec::new();
    let out = substitute("${X}-$Y-${Z:-z}", &env(), &mut unset).unwrap();
    assert_eq!(out, "--z");
    assert_eq!(unset, vec!["X".to_owned(), "Y".to_owned()]);
}

#[test]
fn variables_are_listed_with_defaults() {
    let mut out = Vec::new();
    variables(
        "${TAG:-latest} $FOO ${X-${Y:-deep}} ${R:?m} ${E:+set} $$NOT",
        &mut out,
        Bounds::default(),
    )
    .unwrap();
    let names: Vec<_> = out.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["TAG", "FOO", "X", "Y", "R", "E"]);
    assert_eq!(out[2].default.as_deref(), Some("${Y:-deep}"));
    assert!(out[4].required);
    assert_eq!(out[5].alternate.as_deref(), Some("set"));
}

fn nested(levels: usize) -> String {
    format!("{}x{}", "${A:-".repeat(levels), "}".repeat(levels))
}

fn nested_unset(levels: usize) -> String {
    format!("{}x{}", "${UNSET:-".repeat(levels), "}".repeat(levels))
}

#[test]
fn nesting_up_to_the_limit_expands_and_one_more_level_is_an_error() {
    let bounds = Bounds {
        max_depth: 16,
        max_len: 1 << 20,
    };
    let run = |t: &str| substitute_within(t, &env(), &mut Vec::new(), bounds);
    assert_eq!(run(&nested_unset(16)).as_deref(), Ok("x"));
    assert_eq!(
        run(&nested_unset(17)),
        Err(TemplateError::TooDeep { max: 16 })
    );
    // A set variable never looks at its default, so depth there costs nothing.
    assert_eq!(run(&nested(17)).as_deref(), Ok("a"));
}

#[test]
fn the_probe_from_issue_19_is_refused_without_recursing_40000_levels() {
    // `${A:-${A:-…}}` 40,000 levels deep (240 KB) overflowed the stack before the limit;
    // now it stops at level 17 of the walk.
    let template = nested_unset(40_000);
    let err = substitute(&template, &env(), &mut Vec::new());
    assert_eq!(err, Err(TemplateError::TooDeep { max: 16 }));
    let mut out = Vec::new();
    assert_eq!(
        variables(&template, &mut out, Bounds::default()),
        Err(TemplateError::TooDeep { max: 16 })
    );
    // One entry per level reached, each holding its default: the list stays bounded.
    assert_eq!(out.len(), 17);
    let small = Bounds {
        max_depth: 16,
        max_len: 100_000,
    };
    assert_eq!(
        variables(&template, &mut Vec::new(), small),
        Err(TemplateError::TooLong { max: 100_000 })
    );
}

#[test]
fn output_longer_than_the_allowance_is_an_error() {
    let env: BTreeMap<String, String> = [("BIG".to_owned(), "v".repeat(1000))].into();
    let bounds = Bounds {
        max_depth: 16,
        max_len: 4096,
    };
    let run = |t: &str| substitute_within(t, &env, &mut Vec::new(), bounds);
    assert_eq!(run(&"${BIG}".repeat(4)).map(|s| s.len()), Ok(4000));
    assert_eq!(
        run(&"${BIG}".repeat(5)),
        Err(TemplateError::TooLong { max: 4096 })
    );
    assert_eq!(
        run(&format!("${{UNSET:-{}}}", "$BIG".repeat(5))),
        Err(TemplateError::TooLong { max: 4096 })
    );
}
