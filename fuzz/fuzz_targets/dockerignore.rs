//! Fuzz target: the .dockerignore matcher. Any text either parses or names the line that does
//! not; matching any path, and asking whether a directory can be skipped, ends quickly (glob
//! patterns with many `*` must not backtrack exponentially) and never panics.
#![no_main]

use devbox::domain::dockerignore::IgnoreMatcher;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // Patterns, then a line `---`, then the paths to match.
    let (patterns, paths) = text.split_once("\n---\n").unwrap_or((text, "a/b/c.txt\nnode_modules\nsrc"));
    let matcher = match IgnoreMatcher::parse(patterns) {
        Ok(m) => m,
        Err(e) => {
            assert!(e.line >= 1, "a parse error names its line");
            return;
        }
    };
    for path in paths.lines() {
        let matched = matcher.matches(path);
        let excluded = matcher.is_excluded(path);
        assert!(!matched || excluded, "a matched path is excluded: {path}");
        if matched {
            let _ = matcher.can_skip_dir(path);
        }
    }
});
