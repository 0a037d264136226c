//! The ruby leaf's template context: the Debian packages native gems build and run with, whether
//! a build stage prepares the source (bootsnap, Rails assets), and what Rails writes at run time
//! (writable in the image, tmpfs under compose's read-only production service).

use serde::Serialize;

use crate::domain::wizard::{AddOn, Answers, Leaf};

/// (gem, Debian packages to build it, Debian packages it links at run time). The ruby image
/// already has libyaml, libssl, zlib and libffi at run time.
const NATIVE: &[(&str, &[&str], &[&str])] = &[
    ("pg", &["libpq-dev"], &["libpq5"]),
    ("mysql2", &["default-libmysqlclient-dev"], &["libmariadb3"]),
    ("sqlite3", &["libsqlite3-dev"], &["libsqlite3-0"]),
    ("psych", &["libyaml-dev"], &[]),
    ("git", &["git"], &[]),
];

#[derive(Debug, Clone, Serialize)]
pub struct RubyCtx {
    /// `rails`, `sinatra` or empty (a plain Rack app or script).
    pub framework: String,
    pub rails: bool,
    pub bootsnap: bool,
    /// Rails with an asset pipeline (Propshaft, Sprockets): `assets:precompile` in the build.
    pub assets: bool,
    /// The source goes through a build stage before the final image.
    pub build_stage: bool,
    /// Space separated; empty when none.
    pub build_packages: String,
    pub runtime_packages: String,
    /// The gems those packages are for, for the comment.
    pub native_gems: String,
    /// Directories the app writes at run time, relative to /app.
    pub writable: Vec<&'static str>,
}

pub fn ruby_ctx(answers: &Answers) -> Option<RubyCtx> {
    if answers.leaf != Leaf::Ruby {
        return None;
    }
    let p = &answers.project;
    let rails = p.framework == "rails";
    let mut gems: Vec<&str> = p.gems.iter().map(String::as_str).collect();
    // The database add-ons need their client gem's library even before the Gemfile names it.
    for (addon, gem) in [(AddOn::Postgres, "pg"), (AddOn::Mysql, "mysql2")] {
        if answers.add_ons.contains(&addon) && !gems.contains(&gem) {
            gems.push(gem);
        }
    }
    // Rails depends on psych, which compiles against libyaml.
    if rails && !gems.contains(&"psych") {
        gems.push("psych");
    }
    let mut build = Vec::new();
    let mut runtime = Vec::new();
    let mut native = Vec::new();
    for (gem, build_with, run_with) in NATIVE {
        if gems.contains(gem) {
            build.extend_from_slice(build_with);
            runtime.extend_from_slice(run_with);
            if *gem != "git" {
                native.push(*gem);
            }
        }
    }
    let bootsnap = gems.contains(&"bootsnap");
    let assets = rails && (gems.contains(&"propshaft") || gems.contains(&"sprockets-rails"));
    Some(RubyCtx {
        framework: p.framework.clone(),
        rails,
        bootsnap,
        assets,
        build_stage: bootsnap || assets,
        build_packages: build.join(" "),
        runtime_packages: runtime.join(" "),
        native_gems: native.join(", "),
        writable: if rails {
            vec!["tmp", "log", "storage", "db"]
        } else {
            Vec::new()
        },
    })
}

/// What Rails writes under compose's read-only root file system (pids, caches, logs).
pub fn tmpfs(answers: &Answers) -> Vec<&'static str> {
    if answers.project.framework == "rails" {
        vec!["/app/tmp", "/app/log"]
    } else {
        Vec::new()
    }
}
