//! Fuzz target: the Dockerfile parser and every lint rule over what it parsed must return a
//! result (a parse error with a position, or findings) on any text: no panic, no hang, no
//! memory blow-up. Fixes are applied too, and their output parsed again.
#![no_main]

use devbox::domain::dockerfile::Dockerfile;
use devbox::domain::lint::{FixOptions, LintConfig, Project, fix, lint};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = Dockerfile::parse(text);
    let project = Project::single_dockerfile("Dockerfile", text);
    let report = lint(&project, &LintConfig::default(), &FixOptions::default());
    let (fixed, _) = fix::apply(text, "Dockerfile", &report.findings);
    let _ = Dockerfile::parse(&fixed);
});
