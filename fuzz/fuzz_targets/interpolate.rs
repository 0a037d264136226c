//! Fuzz target: Compose interpolation. Any template expands or fails with a typed error; the
//! output never exceeds the byte allowance and nesting past the depth limit is refused, so
//! memory and time stay linear in the allowance whatever the nesting.
#![no_main]

use std::collections::BTreeMap;

use devbox::domain::compose::interpolate::{Bounds, substitute_within, variables};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // The first line sets variables (`A=x B=${A}${A}`), the rest is the template.
    let (vars, template) = text.split_once('\n').unwrap_or(("", text));
    let mut env = BTreeMap::new();
    for pair in vars.split(' ') {
        if let Some((k, v)) = pair.split_once('=') {
            env.insert(k.to_owned(), v.to_owned());
        }
    }
    let bounds = Bounds {
        max_depth: 16,
        max_len: 1 << 16,
    };
    let mut unset = Vec::new();
    if let Ok(out) = substitute_within(template, &env, &mut unset, bounds) {
        assert!(out.len() as u64 <= bounds.max_len, "output over the allowance");
    }
    let mut uses = Vec::new();
    let _ = variables(template, &mut uses, bounds);
});
