//! Fuzz target: the compose loader must return Ok or a LoadError — never panic, hang or
//! blow up memory — on any input, including as an override file and as a `.env` file.
#![no_main]

use devbox::domain::compose::{LoadOptions, MemorySource, load};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // As the only compose file.
    let opts = LoadOptions::for_dir("/fuzz");
    let _ = devbox::domain::compose::load_from_str(text, &opts);
    // As an override on top of a small valid file, with the input also used as .env and
    // as an extends/include target.
    let source = MemorySource::new()
        .with("/fuzz/compose.yaml", "services:\n  a:\n    image: x\n    extends: {file: other.yaml, service: b}\ninclude: [inc.yaml]\n")
        .with("/fuzz/compose.override.yaml", text)
        .with("/fuzz/other.yaml", text)
        .with("/fuzz/inc.yaml", text)
        .with("/fuzz/.env", text);
    let opts = LoadOptions {
        files: vec![
            "/fuzz/compose.yaml".into(),
            "/fuzz/compose.override.yaml".into(),
        ],
        ..LoadOptions::for_dir("/fuzz")
    };
    let _ = load(&opts, &source);
    let _ = devbox::domain::compose::dotenv::parse(text, &std::collections::BTreeMap::new(), false);
});
