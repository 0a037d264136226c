//! Ruby detection: Bundler (`Gemfile`, `Gemfile.lock`), the Ruby version (`.ruby-version`, the
//! Gemfile's `ruby` line, the lockfile's `RUBY VERSION`), Rails, Sinatra or a plain Rack app, the
//! server that runs it (Puma, rackup, Sinatra's own) and Rails' `/up` health route.

use super::command::{Command, Word};
use super::facts::{Fact, Reason, line_of};
use super::{Language, Partial, ProjectScan, ServiceKind};

/// The gems a Gemfile declares, with the line each is on: `gem "puma", "~> 6.4"` → `puma`.
pub(crate) fn gems(gemfile: &str) -> Vec<(String, usize)> {
    gemfile
        .lines()
        .enumerate()
        .filter_map(|(index, line)| {
            let rest = line.trim_start().strip_prefix("gem")?;
            let rest = rest.strip_prefix('(').unwrap_or(rest).trim_start();
            let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
            let name = rest[1..].split(quote).next()?;
            (!name.is_empty()).then(|| (name.to_string(), index + 1))
        })
        .collect()
}

/// `3.3.6`, `ruby-3.3.0`, `3.3.0p0` → `3.3`.
fn minor(version: &str) -> Option<String> {
    let digits = version
        .trim()
        .trim_start_matches("ruby-")
        .trim_start_matches("ruby ");
    let mut it = digits.split(['.', 'p', '-']);
    let major: u32 = it.next()?.trim().parse().ok()?;
    let minor: u32 = it.next()?.parse().ok()?;
    (major >= 2).then(|| format!("{major}.{minor}"))
}

fn version(scan: &ProjectScan, gemfile: &str) -> Option<Fact<String>> {
    if let Some(text) = scan.text(".ruby-version")
        && let Some(v) = minor(text.lines().next().unwrap_or_default())
    {
        return Some(Fact::new(
            v,
            Reason::at(
                ".ruby-version",
                Some(1),
                format!(".ruby-version is {}", text.trim()),
            ),
        ));
    }
    // `ruby "3.3.0"` or `ruby '~> 3.2'` (not `ruby file: ".ruby-version"`, read above).
    for (index, line) in gemfile.lines().enumerate() {
        let Some(rest) = line.trim_start().strip_prefix("ruby ") else {
            continue;
        };
        let quoted = rest.trim().trim_matches(['"', '\'']);
        let bare = quoted.trim_start_matches(['~', '>', '=', '<', ' ']);
        if let Some(v) = minor(bare) {
            return Some(Fact::new(
                v,
                Reason::at(
                    "Gemfile",
                    Some(index + 1),
                    format!("the Gemfile asks for ruby {quoted}"),
                ),
            ));
        }
    }
    let lock = scan.text("Gemfile.lock")?;
    let at = line_of(lock, "RUBY VERSION")?;
    let line = lock.lines().nth(at)?;
    let v = minor(line.trim())?;
    Some(Fact::new(
        v,
        Reason::at(
            "Gemfile.lock",
            Some(at + 1),
            format!("locked with {}", line.trim()),
        ),
    ))
}

/// Gems the image is built around: native extensions linking Debian libraries, bootsnap's
/// precompiled cache, Rails' asset pipelines.
pub(crate) const NOTED_GEMS: &[&str] = &[
    "pg",
    "mysql2",
    "sqlite3",
    "psych",
    "bootsnap",
    "propshaft",
    "sprockets-rails",
];

/// A gem named in the Gemfile, or locked (a dependency of one that is).
fn locked(scan: &ProjectScan, gem: &str) -> Option<(String, usize)> {
    let lock = scan.text("Gemfile.lock")?;
    let needle = format!("    {gem} (");
    line_of(lock, &needle).map(|line| ("Gemfile.lock".to_string(), line))
}

fn reason_at((file, line): (String, usize), note: String) -> Reason {
    Reason::at(&file, Some(line), note)
}

pub(crate) fn detect(scan: &ProjectScan) -> Option<Partial> {
    if !scan.has("Gemfile") {
        return None;
    }
    let gemfile = scan.text("Gemfile").unwrap_or_default();
    let declared = gems(gemfile);
    let has = |gem: &str| -> Option<(String, usize)> {
        declared
            .iter()
            .find(|(name, _)| name == gem)
            .map(|(_, line)| ("Gemfile".to_string(), *line))
            .or_else(|| locked(scan, gem))
    };
    let mut out = Partial {
        language: Some(Fact::new(
            Language::Ruby,
            Reason::at("Gemfile", None, "Gemfile at the project root"),
        )),
        build_step: Some(Fact::new(
            false,
            Reason::at(
                "Gemfile",
                None,
                "Ruby runs its sources; Bundler installs the gems",
            ),
        )),
        source_dir: Some(Fact::new(
            ".".to_string(),
            Reason::at("Gemfile", None, "Ruby loads the whole tree"),
        )),
        version: version(scan, gemfile),
        ..Partial::default()
    };
    out.install_extras.push(Fact::new(
        "Gemfile".to_string(),
        Reason::at("Gemfile", None, "Bundler installs the gems from it"),
    ));
    if scan.has("Gemfile.lock") {
        out.lockfile = Some(Fact::new(
            "Gemfile.lock".to_string(),
            Reason::at("Gemfile.lock", None, "lockfile present: installed frozen"),
        ));
    }
    for gem in NOTED_GEMS {
        if let Some(at) = has(gem) {
            out.gems.push(Fact::new(
                gem.to_string(),
                reason_at(at, format!("uses {gem}")),
            ));
        }
    }
    // Gems fetched from git repositories need git in the build stage.
    if let Some(line) = gemfile.lines().position(|l| {
        l.trim_start().starts_with("gem") && (l.contains("git:") || l.contains("github:"))
    }) {
        out.gems.push(Fact::new(
            "git".to_string(),
            Reason::at(
                "Gemfile",
                Some(line + 1),
                "a gem comes from a git repository",
            ),
        ));
    }
    let rails = has("rails").or_else(|| has("railties")).filter(|_| {
        scan.has("config/application.rb") || scan.has("bin/rails") || scan.has("config.ru")
    });
    let sinatra = has("sinatra");
    let rack_app = scan.has("config.ru");
    let reason = reason_at;
    let port = |value: u16, note: &str| Some(Fact::new(value, Reason::default_for(note)));
    let host = Word::text("0.0.0.0");
    if let Some(at) = rails {
        out.framework = Some(Fact::new(
            "rails".to_string(),
            reason(at.clone(), "depends on rails (Rails)".to_string()),
        ));
        let rails_bin = if scan.has("bin/rails") {
            "./bin/rails"
        } else {
            "rails"
        };
        let mut argv: Vec<Word> = Vec::new();
        if rails_bin == "rails" {
            argv.extend(["bundle".into(), "exec".into()]);
        }
        argv.extend([
            rails_bin.into(),
            "server".into(),
            "-b".into(),
            host,
            "-p".into(),
            Word::port(),
        ]);
        let command = Command::exec_words(argv);
        out.entrypoint = Some(Fact::new(
            command.clone(),
            reason(at.clone(), "Rails serves with `rails server`".to_string()),
        ));
        // The development environment reloads code on each request.
        out.dev_command = Some(Fact::new(
            command,
            reason(at, "Rails reloads edited code in development".to_string()),
        ));
        out.kind = Some(Fact::new(
            ServiceKind::Http,
            Reason::at("Gemfile", None, "a Rails application serves HTTP"),
        ));
        out.framework_port = port(3000, "rails server listens on 3000");
        if let Some(routes) = scan.text("config/routes.rb")
            && let Some(line) = line_of(routes, "rails_health_check")
        {
            out.health_path = Some(Fact::new(
                "/up".to_string(),
                Reason::at(
                    "config/routes.rb",
                    Some(line),
                    "Rails' health route (rails/health#show)",
                ),
            ));
        }
        return Some(out);
    }
    if let Some(at) = &sinatra {
        out.framework = Some(Fact::new(
            "sinatra".to_string(),
            reason(at.clone(), "depends on sinatra (Sinatra)".to_string()),
        ));
    }
    let puma = has("puma");
    let server = if rack_app {
        if let Some(at) = puma {
            Some((
                Command::exec_words(vec![
                    "bundle".into(),
                    "exec".into(),
                    "puma".into(),
                    "--bind".into(),
                    Word::port_after("tcp://0.0.0.0:"),
                ]),
                reason(at, "config.ru served by Puma".to_string()),
                9292,
            ))
        } else {
            Some((
                Command::exec_words(vec![
                    "bundle".into(),
                    "exec".into(),
                    "rackup".into(),
                    "--host".into(),
                    host,
                    "--port".into(),
                    Word::port(),
                ]),
                Reason::at(
                    "config.ru",
                    None,
                    "a Rack app without Puma: rackup serves it",
                ),
                9292,
            ))
        }
    } else if let Some(at) = sinatra.clone()
        && let Some(file) = ["app.rb", "main.rb", "server.rb"]
            .into_iter()
            .find(|f| scan.text(f).is_some_and(|t| t.contains("sinatra")))
    {
        // A classic Sinatra app starts its own server; it binds localhost unless told otherwise.
        Some((
            Command::exec_words(vec![
                "bundle".into(),
                "exec".into(),
                "ruby".into(),
                file.into(),
                "-o".into(),
                host,
                "-p".into(),
                Word::port(),
            ]),
            reason(at, format!("{file} requires sinatra and runs its server")),
            4567,
        ))
    } else {
        None
    };
    if let Some((command, why, default_port)) = server {
        out.entrypoint = Some(Fact::new(command.clone(), why.clone()));
        // Puma and rackup load the code once: compose watch restarts them after a sync.
        out.dev_command = Some(Fact::new(command, why));
        out.kind = Some(Fact::new(
            ServiceKind::Http,
            Reason::at(
                if rack_app { "config.ru" } else { "Gemfile" },
                None,
                "a Rack application serves HTTP",
            ),
        ));
        out.framework_port = port(default_port, "the server's default port");
        return Some(out);
    }
    // No web server: a job runner (Sidekiq) or a script.
    let worker = if let Some(at) = has("sidekiq") {
        Some((
            Command::exec(["bundle", "exec", "sidekiq"]),
            reason(at, "Sidekiq processes jobs".to_string()),
        ))
    } else {
        ["main.rb", "app.rb", "worker.rb", "bin/worker"]
            .into_iter()
            .find(|f| scan.has(f))
            .map(|file| {
                (
                    Command::exec(["bundle", "exec", "ruby", file]),
                    Reason::at(file, None, "the script that runs the app"),
                )
            })
    };
    if let Some((command, why)) = worker {
        out.entrypoint = Some(Fact::new(command.clone(), why.clone()));
        out.dev_command = Some(Fact::new(command, why.clone()));
        out.kind = Some(Fact::new(ServiceKind::Worker, why));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(files: &[(&str, &str)]) -> ProjectScan {
        ProjectScan::from_files("p", files.iter().copied())
    }

    #[test]
    fn gems_read_both_quote_styles_and_skip_comments() {
        let found =
            gems("source 'https://rubygems.org'\n# gem \"x\"\ngem 'puma', '~> 6'\ngem(\"rack\")\n");
        assert_eq!(found, vec![("puma".into(), 3), ("rack".into(), 4)]);
    }

    #[test]
    fn a_rack_app_with_puma_binds_every_interface_on_the_port() {
        let p = detect(&scan(&[
            ("Gemfile", "gem \"rack\"\ngem \"puma\"\n"),
            ("config.ru", "run App"),
            (".ruby-version", "ruby-3.2.4\n"),
        ]))
        .unwrap();
        let entry = p.entrypoint.unwrap();
        assert_eq!(
            entry.value.argv(None, 9000),
            ["bundle", "exec", "puma", "--bind", "tcp://0.0.0.0:9000"]
        );
        assert_eq!(entry.reason.line, Some(2));
        assert_eq!(p.version.unwrap().value, "3.2");
        assert_eq!(p.framework_port.unwrap().value, 9292);
        assert_eq!(p.kind.unwrap().value, ServiceKind::Http);
    }

    #[test]
    fn rails_serves_with_bin_rails_and_its_up_route() {
        let p = detect(&scan(&[
            ("Gemfile", "ruby \"3.3.5\"\ngem \"rails\", \"~> 7.2\"\ngem \"puma\"\n"),
            ("bin/rails", ""),
            ("config/application.rb", ""),
            (
                "config/routes.rb",
                "Rails.application.routes.draw do\n  get \"up\" => \"rails/health#show\", as: :rails_health_check\nend\n",
            ),
        ]))
        .unwrap();
        assert_eq!(p.framework.unwrap().value, "rails");
        assert_eq!(
            p.entrypoint.unwrap().value.argv(None, 3000),
            ["./bin/rails", "server", "-b", "0.0.0.0", "-p", "3000"]
        );
        let health = p.health_path.unwrap();
        assert_eq!(health.value, "/up");
        assert_eq!(health.reason.line, Some(2));
        let version = p.version.unwrap();
        assert_eq!(
            (version.value.as_str(), version.reason.line),
            ("3.3", Some(1))
        );
    }

    #[test]
    fn classic_sinatra_runs_its_file_and_the_lock_gives_the_version() {
        let p = detect(&scan(&[
            ("Gemfile", "gem 'sinatra'\n"),
            (
                "Gemfile.lock",
                "GEM\n  specs:\n    sinatra (4.1.1)\n\nRUBY VERSION\n   ruby 3.4.1p0\n",
            ),
            ("app.rb", "require 'sinatra'\nget('/') { 'hi' }\n"),
        ]))
        .unwrap();
        assert_eq!(
            p.entrypoint.unwrap().value.argv(None, 4567),
            [
                "bundle", "exec", "ruby", "app.rb", "-o", "0.0.0.0", "-p", "4567"
            ]
        );
        assert_eq!(p.version.unwrap().value, "3.4");
        assert_eq!(p.lockfile.unwrap().value, "Gemfile.lock");
    }

    #[test]
    fn sidekiq_without_a_server_is_a_worker() {
        let p = detect(&scan(&[("Gemfile", "gem \"sidekiq\"\n")])).unwrap();
        assert_eq!(p.kind.unwrap().value, ServiceKind::Worker);
        assert!(detect(&scan(&[("config.ru", "run App")])).is_none());
    }
}
