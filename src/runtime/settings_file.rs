//! Reads the dashboard's settings file: `$XDG_CONFIG_HOME/devbox/config.toml` (the platform's
//! config folder through `directories`), or `DEVBOX_CONFIG` when set. A missing file means the
//! defaults; an unreadable one is one more problem to report.

use std::path::PathBuf;

use crate::app::settings::{Loaded, Settings, parse};
use crate::domain::input::ReadError;
use crate::domain::limits::{Limit, Limits};

/// Settings files are a few hundred bytes; anything past this is not one.
const MAX_BYTES: u64 = 256 * 1024;

/// Where the settings file is looked for.
pub fn path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("DEVBOX_CONFIG").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    directories::ProjectDirs::from("", "", "devbox").map(|d| d.config_dir().join("config.toml"))
}

pub fn load() -> Loaded {
    let Some(path) = path() else {
        return Loaded {
            settings: Settings::default(),
            problems: Vec::new(),
        };
    };
    let shown = path.display().to_string();
    let mut loaded = match std::fs::metadata(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Loaded {
            settings: Settings::default(),
            problems: Vec::new(),
        },
        _ => match crate::fsio::input::read_text(&path, MAX_BYTES) {
            Ok(text) => parse(&shown, &text),
            Err(err) => {
                let why = match err {
                    ReadError::TooLarge { .. } => format!(
                        "{shown} is larger than {} KiB, too large for a settings file",
                        MAX_BYTES / 1024
                    ),
                    // The limit is not in these messages, so the kind does not matter.
                    other => other.message(&shown, Limit::IgnoreFileBytes, &Limits::default()),
                };
                Loaded {
                    settings: Settings::default(),
                    problems: vec![format!("{why}; every setting has its default")],
                }
            }
        },
    };
    loaded.settings.file = Some(shown);
    loaded
}
