//! PHP detection: Composer (`composer.json`, `composer.lock`), the PHP version its `require`
//! allows, the extensions it requires (`ext-*`), Laravel or Symfony, and the directory the web
//! server serves (`public/` when the front controller is there).

use serde_json::Value;

use super::facts::{Fact, ManifestProblem, Reason, line_of};
use super::{Language, Partial, ProjectScan, ServiceKind};

/// Extensions compiled into the official php images: never installed again.
const BUILT_IN: &[&str] = &[
    "ctype",
    "curl",
    "date",
    "dom",
    "fileinfo",
    "filter",
    "hash",
    "iconv",
    "json",
    "libxml",
    "mbstring",
    "mysqlnd",
    "openssl",
    "pcre",
    "pdo",
    "pdo_sqlite",
    "phar",
    "posix",
    "readline",
    "reflection",
    "session",
    "simplexml",
    "sodium",
    "spl",
    "sqlite3",
    "standard",
    "tokenizer",
    "xml",
    "xmlreader",
    "xmlwriter",
    "zlib",
];

/// The lowest `X.Y` a constraint like `^8.2`, `>=8.1 <9`, `~8.3.0` or `8.2.*` allows.
fn min_version(constraint: &str) -> Option<String> {
    constraint
        .split(['|', ' ', ','])
        .filter_map(|part| {
            let digits = part.trim_start_matches(['^', '~', '>', '=', 'v']);
            let mut it = digits.split('.');
            let major: u32 = it.next()?.parse().ok()?;
            let minor: u32 = it.next().and_then(|m| m.parse().ok()).unwrap_or(0);
            Some((major, minor))
        })
        .min()
        .map(|(major, minor)| format!("{major}.{minor}"))
}

pub(crate) fn detect(scan: &ProjectScan, problems: &mut Vec<ManifestProblem>) -> Option<Partial> {
    let composer = scan.has("composer.json");
    let front = ["public/index.php", "index.php"]
        .into_iter()
        .find(|f| scan.has(f));
    if !composer && front.is_none() {
        return None;
    }
    let text = scan.text("composer.json").unwrap_or_default();
    let named = if composer {
        "composer.json"
    } else {
        front.unwrap_or("index.php")
    };
    let mut out = Partial {
        language: Some(Fact::new(
            Language::Php,
            Reason::at(named, None, format!("{named} at the project root")),
        )),
        build_step: Some(Fact::new(
            false,
            Reason::at(
                named,
                None,
                "PHP runs its sources; Composer only installs vendor/",
            ),
        )),
        source_dir: Some(Fact::new(
            ".".to_string(),
            Reason::at(named, None, "PHP reads the whole tree on each request"),
        )),
        ..Partial::default()
    };
    if composer {
        out.install_extras.push(Fact::new(
            "composer.json".to_string(),
            Reason::at("composer.json", None, "Composer installs vendor/ from it"),
        ));
    }
    if scan.has("composer.lock") {
        out.lockfile = Some(Fact::new(
            "composer.lock".to_string(),
            Reason::at("composer.lock", None, "lockfile present"),
        ));
    }
    let json: Value = if composer {
        match serde_json::from_str(text) {
            Ok(json) => json,
            Err(err) => {
                problems.push(ManifestProblem {
                    file: "composer.json".into(),
                    line: err.line(),
                    column: err.column(),
                    message: format!("invalid JSON: {err}"),
                });
                return Some(out);
            }
        }
    } else {
        Value::Null
    };
    let require = json.get("require").and_then(Value::as_object);
    let at = |key: &str, note: String| {
        Reason::at("composer.json", line_of(text, &format!("\"{key}\"")), note)
    };
    if let Some(version) = require
        .and_then(|r| r.get("php"))
        .and_then(Value::as_str)
        .and_then(|c| min_version(c).map(|v| (c, v)))
        .filter(|(_, v)| v.starts_with('8'))
    {
        out.version = Some(Fact::new(
            version.1.clone(),
            at("php", format!("require.php is \"{}\"", version.0)),
        ));
    }
    if let Some(require) = require {
        for key in require.keys() {
            let Some(ext) = key.strip_prefix("ext-") else {
                continue;
            };
            let ext = ext.to_ascii_lowercase();
            if !BUILT_IN.contains(&ext.as_str()) {
                out.extensions
                    .push(Fact::new(ext, at(key, format!("requires {key}"))));
            }
        }
    }
    let has = |package: &str| require.is_some_and(|r| r.contains_key(package));
    let framework = if has("laravel/framework") || scan.has("artisan") {
        Some(("laravel", "Laravel", "laravel/framework"))
    } else if has("symfony/framework-bundle") {
        Some(("symfony", "Symfony", "symfony/framework-bundle"))
    } else {
        None
    };
    if let Some((name, shown, package)) = framework {
        out.framework = Some(Fact::new(
            name.to_string(),
            at(package, format!("depends on {package} ({shown})")),
        ));
        // Laravel 11+ serves /up itself (bootstrap/app.php `health: '/up'`).
        if name == "laravel"
            && scan
                .text("bootstrap/app.php")
                .is_some_and(|t| t.contains("'/up'"))
        {
            out.health_path = Some(Fact::new(
                "/up".to_string(),
                Reason::at(
                    "bootstrap/app.php",
                    scan.text("bootstrap/app.php")
                        .and_then(|t| line_of(t, "'/up'")),
                    "Laravel's health route",
                ),
            ));
        }
    }
    let public = scan.has("public/index.php") || framework.is_some();
    out.build_output = Some(Fact::new(
        if public { "public" } else { "." }.to_string(),
        match front {
            Some(file) => Reason::at(file, None, "the front controller: the web server's root"),
            None => Reason::default_for("frameworks serve public/"),
        },
    ));
    if front.is_some() || framework.is_some() {
        out.kind = Some(Fact::new(
            ServiceKind::Http,
            match front {
                Some(file) => Reason::at(file, None, "a front controller answers HTTP"),
                None => Reason::at(named, None, "a PHP framework serves HTTP"),
            },
        ));
        out.framework_port = Some(Fact::new(
            8080,
            Reason::default_for("Apache listens on 8080 in the image (non-root)"),
        ));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_from_constraints() {
        assert_eq!(min_version("^8.2").as_deref(), Some("8.2"));
        assert_eq!(min_version(">=8.1 <9.0").as_deref(), Some("8.1"));
        assert_eq!(min_version("^8.3|^8.4").as_deref(), Some("8.3"));
        assert_eq!(min_version("8.2.*").as_deref(), Some("8.2"));
        assert_eq!(min_version("*"), None);
    }

    #[test]
    fn laravel_with_extensions() {
        let scan = ProjectScan::from_files(
            "shop",
            [
                (
                    "composer.json",
                    "{\n  \"require\": {\n    \"php\": \"^8.2\",\n    \"ext-pdo_pgsql\": \"*\",\n    \"ext-mbstring\": \"*\",\n    \"laravel/framework\": \"^11.0\"\n  }\n}",
                ),
                ("composer.lock", "{}"),
                ("artisan", ""),
                ("public/index.php", ""),
                ("bootstrap/app.php", "->withRouting(health: '/up')"),
            ],
        );
        let mut problems = Vec::new();
        let found = detect(&scan, &mut problems).expect("php");
        assert!(problems.is_empty());
        assert_eq!(found.version.map(|v| v.value), Some("8.2".into()));
        let exts: Vec<String> = found.extensions.iter().map(|e| e.value.clone()).collect();
        assert_eq!(exts, vec!["pdo_pgsql"]);
        assert_eq!(found.extensions[0].reason.line, Some(4));
        let framework = found.framework.expect("laravel");
        assert_eq!(
            (framework.value.as_str(), framework.reason.line),
            ("laravel", Some(6))
        );
        assert_eq!(found.health_path.map(|h| h.value), Some("/up".into()));
        assert_eq!(found.build_output.map(|b| b.value), Some("public".into()));
        assert_eq!(
            found.lockfile.map(|l| l.value),
            Some("composer.lock".into())
        );
    }

    #[test]
    fn plain_index_php_without_composer() {
        let scan = ProjectScan::from_files("site", [("index.php", "<?php echo 'hi';")]);
        let found = detect(&scan, &mut Vec::new()).expect("php");
        assert_eq!(found.build_output.map(|b| b.value), Some(".".into()));
        assert!(found.kind.is_some());
    }
}
