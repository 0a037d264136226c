//! Table tests for the `.dockerignore` matcher: the 26 cases the spec checked against a real
//! engine (engine-api.md §8), plus reading, cleaning and error cases.

use std::collections::BTreeSet;

use super::*;

/// The live-verified context of engine-api.md §8, plus the two build files.
const FILES: &[&str] = &[
    "Dockerfile",
    ".dockerignore",
    "a.txt",
    "b.md",
    "README.md",
    "a1.log",
    "ab.log",
    "a!.log",
    "#c.txt",
    "!bang.txt",
    ".env",
    ".git/config",
    "node_modules/pkg/index.js",
    "node_modules/pkg/keep.txt",
    "src/app.js",
    "src/main.go",
    "src/test/app_test.js",
    "src/test/keep.txt",
    "docs/README.md",
    "foo/bar/baz.txt",
    "x/foo/y.txt",
    "logs/2024/x.log",
];

fn all_dirs() -> BTreeSet<String> {
    let mut dirs = BTreeSet::new();
    for file in FILES {
        let mut acc = String::new();
        for part in file
            .split('/')
            .collect::<Vec<_>>()
            .iter()
            .rev()
            .skip(1)
            .rev()
        {
            if !acc.is_empty() {
                acc.push('/');
            }
            acc.push_str(part);
            dirs.insert(acc.clone());
        }
    }
    dirs
}

/// What `COPY . /ctx` holds after a legacy CLI build: files and (with a trailing `/`) dirs.
fn ctx(dockerignore: &str) -> BTreeSet<String> {
    let matcher = IgnoreMatcher::parse(dockerignore).unwrap();
    let sent = matcher.with_build_files("Dockerfile");
    let mut out = BTreeSet::new();
    for file in FILES {
        let removed_by_daemon =
            (*file == "Dockerfile" || *file == ".dockerignore") && matcher.matches(file);
        if !sent.is_excluded(file) && !removed_by_daemon {
            out.insert(file.to_string());
        }
    }
    for dir in all_dirs() {
        let has_child = out.iter().any(|p| p.starts_with(&format!("{dir}/")));
        if !sent.is_excluded(&dir) || has_child {
            out.insert(format!("{dir}/"));
        }
    }
    out
}

/// The files (not dirs) of `FILES` missing from the context.
fn absent(dockerignore: &str) -> Vec<String> {
    let present = ctx(dockerignore);
    FILES
        .iter()
        .filter(|f| !present.contains(**f))
        .map(|f| f.to_string())
        .collect()
}

fn has_dir(dockerignore: &str, dir: &str) -> bool {
    ctx(dockerignore).contains(&format!("{dir}/"))
}

#[test]
fn engine_verified_cases() {
    let cases: &[(&str, &[&str])] = &[
        ("*.txt", &["a.txt", "#c.txt", "!bang.txt"]),
        (
            "**/*.txt",
            &[
                "a.txt",
                "#c.txt",
                "!bang.txt",
                "node_modules/pkg/keep.txt",
                "src/test/keep.txt",
                "foo/bar/baz.txt",
                "x/foo/y.txt",
            ],
        ),
        (
            "node_modules\n!node_modules/pkg/keep.txt",
            &["node_modules/pkg/index.js"],
        ),
        (
            "node_modules\n!**/keep.txt",
            &["node_modules/pkg/index.js", "node_modules/pkg/keep.txt"],
        ),
        (
            "src\n!src/*.go",
            &["src/app.js", "src/test/app_test.js", "src/test/keep.txt"],
        ),
        ("!README.md\n*.md", &["b.md", "README.md"]),
        ("*.md\n!README.md", &["b.md"]),
        (
            "/src/test\n./docs",
            &[
                "src/test/app_test.js",
                "src/test/keep.txt",
                "docs/README.md",
            ],
        ),
        ("docs/", &["docs/README.md"]),
        ("foo", &["foo/bar/baz.txt"]),
        ("**/foo", &["foo/bar/baz.txt", "x/foo/y.txt"]),
        ("*/foo", &["x/foo/y.txt"]),
        (
            "src/**",
            &[
                "src/app.js",
                "src/main.go",
                "src/test/app_test.js",
                "src/test/keep.txt",
            ],
        ),
        ("src/**/*.js", &["src/app.js", "src/test/app_test.js"]),
        ("a?.log", &["a1.log", "ab.log", "a!.log"]),
        ("a[!b].log", &["ab.log", "a!.log"]),
        ("a[^b].log", &["a1.log", "a!.log"]),
        ("\\!bang.txt", &["!bang.txt"]),
        ("#c.txt", &[]),
        (" #c.txt", &["#c.txt"]),
        ("a.txt  \n ! a.txt", &[]),
        (".*", &[".dockerignore", ".env", ".git/config"]),
        (
            "Dockerfile\n.dockerignore",
            &["Dockerfile", ".dockerignore"],
        ),
        (
            "src/test\n!src/test/keep.txt\nsrc/test/keep.txt",
            &["src/test/app_test.js", "src/test/keep.txt"],
        ),
        ("logs/*/*.log", &["logs/2024/x.log"]),
    ];
    for (dockerignore, expected) in cases {
        let expected: Vec<String> = FILES
            .iter()
            .filter(|f| expected.contains(f))
            .map(|f| f.to_string())
            .collect();
        assert_eq!(absent(dockerignore), expected, "case {dockerignore:?}");
    }
}

#[test]
fn star_with_exception_keeps_only_src() {
    // Case 21: the build files are sent, then deleted by the daemon because they matched.
    let kept: Vec<&str> = FILES
        .iter()
        .copied()
        .filter(|f| ctx("*\n!src").contains(*f))
        .collect();
    assert_eq!(
        kept,
        [
            "src/app.js",
            "src/main.go",
            "src/test/app_test.js",
            "src/test/keep.txt"
        ]
    );
}

#[test]
fn double_star_alone_and_with_exceptions() {
    // Case 25.
    assert_eq!(ctx("**"), BTreeSet::new());
    let kept: Vec<&str> = FILES
        .iter()
        .copied()
        .filter(|f| ctx("**\n!src/**\n!Dockerfile").contains(*f))
        .collect();
    assert_eq!(
        kept,
        [
            "Dockerfile",
            "src/app.js",
            "src/main.go",
            "src/test/app_test.js",
            "src/test/keep.txt"
        ]
    );
}

#[test]
fn empty_directories_left_behind() {
    assert!(has_dir("**/*.txt", "foo/bar"));
    assert!(has_dir("**/*.txt", "x/foo"));
    assert!(has_dir("**/foo", "x"));
    assert!(!has_dir("**/foo", "x/foo"));
    assert!(has_dir("src/**", "src"));
    assert!(has_dir("logs/*/*.log", "logs/2024"));
    assert!(!has_dir(
        "src/test\n!src/test/keep.txt\nsrc/test/keep.txt",
        "src/test"
    ));
    assert!(!has_dir("docs/", "docs"));
}

#[test]
fn pruning_follows_the_cli_walker() {
    let m = IgnoreMatcher::parse("node_modules\n!**/keep.txt").unwrap();
    assert!(!m.matches("node_modules/pkg/keep.txt"));
    assert!(m.is_excluded("node_modules/pkg/keep.txt"));
    assert!(m.can_skip_dir("node_modules"));
    let m = IgnoreMatcher::parse("node_modules\n!node_modules/pkg/keep.txt").unwrap();
    assert!(!m.can_skip_dir("node_modules"));
    assert!(!m.can_skip_dir("node_modules/pkg"));
    assert!(m.can_skip_dir("node_modules/other"));
    assert!(!m.is_excluded("node_modules/pkg/keep.txt"));
    assert!(IgnoreMatcher::parse("dist").unwrap().can_skip_dir("dist"));
}

#[test]
fn reading_cleans_like_docker() {
    let text = "\u{feff}# comment\n  ./a/  \n!  /b/../c\n\n/\n//x//y/\n";
    let lines: Vec<(usize, String, bool)> = read_lines(text)
        .into_iter()
        .map(|l| (l.line, l.pattern, l.exclusion))
        .collect();
    assert_eq!(
        lines,
        [
            (2, "a".to_string(), false),
            (3, "c".to_string(), true),
            (5, "/".to_string(), false),
            (6, "x/y".to_string(), false),
        ]
    );
    assert_eq!(clean("a/../../b"), "../b");
    assert_eq!(clean("/../a"), "/a");
    assert_eq!(clean("./"), ".");
}

#[test]
fn paths_in_any_spelling() {
    let m = IgnoreMatcher::parse("build").unwrap();
    assert!(m.is_excluded("./build/"));
    assert!(m.is_excluded("/build/x"));
    assert!(!m.is_excluded("src/build"));
}

#[test]
fn errors_name_the_line() {
    let err = IgnoreMatcher::parse("a\n!\n").unwrap_err();
    assert_eq!(
        (err.line, err.reason.clone()),
        (2, PatternSyntax::LoneExclamation)
    );
    assert_eq!(
        err.to_string(),
        "line 2: pattern `!`: illegal exclusion pattern: \"!\""
    );
    let err = IgnoreMatcher::parse("# x\nsrc/[a\n").unwrap_err();
    assert_eq!(
        err.to_string(),
        "line 2: pattern `src/[a`: syntax error in pattern"
    );
    let err = IgnoreMatcher::from_patterns(["ok", "x\\"]).unwrap_err();
    assert_eq!(err.line, 2);
}

#[test]
fn build_files_are_forced_in() {
    let m = IgnoreMatcher::parse("*\n!src").unwrap();
    let sent = m.with_build_files("docker/Dockerfile.dev");
    assert!(!sent.is_excluded(".dockerignore"));
    assert!(!sent.is_excluded("docker/Dockerfile.dev"));
    assert!(sent.is_excluded("docker/other"));
    assert!(!sent.can_skip_dir("docker"));
}

/// Found by the dockerignore fuzz target: `/` and `` name the context root as `.` does, so
/// matching a path and asking whether it is excluded agree for them too.
#[test]
fn the_root_spelled_any_way_is_matched_alike() {
    let m = IgnoreMatcher::parse("*\n!?\n").unwrap();
    for root in ["/", "", ".", "./", "//"] {
        assert_eq!(m.matches(root), m.is_excluded(root), "{root:?}");
        assert_eq!(m.matches(root), m.matches("."), "{root:?}");
    }
}

/// `deciding` names the pattern `matches` acted on: the last exclusion not undone after it.
#[test]
fn the_deciding_pattern_is_the_last_exclusion_that_stands() {
    let m = IgnoreMatcher::parse("*.log\nbuild\n!build/keep\nbuild/keep/*.tmp\n").unwrap();
    assert_eq!(m.deciding("a.log"), Some(0));
    assert_eq!(m.deciding("build/out.o"), Some(1));
    assert_eq!(m.deciding("build/keep/x"), None);
    assert_eq!(m.deciding("build/keep/x.tmp"), Some(3));
    assert_eq!(m.deciding("src/main.rs"), None);
    for path in [
        "a.log",
        "build/out.o",
        "build/keep/x",
        "build/keep/x.tmp",
        "src",
    ] {
        assert_eq!(m.deciding(path).is_some(), m.matches(path), "{path}");
    }
}
