//! The php-apache leaf's template context: the document root Apache serves, the extensions the
//! project requires (with the Debian packages their build needs), and what the framework writes
//! at run time (writable in the image, tmpfs under compose's read-only production service).

use serde::Serialize;

use crate::domain::wizard::{AddOn, Answers, Leaf};

/// An extension the official image builds with `docker-php-ext-install`.
struct Known {
    name: &'static str,
    /// Debian packages its build needs (headers; they pull the runtime libraries in).
    packages: &'static [&'static str],
    configure: Option<&'static str>,
}

const KNOWN: &[Known] = &[
    Known {
        name: "pdo_mysql",
        packages: &[],
        configure: None,
    },
    Known {
        name: "mysqli",
        packages: &[],
        configure: None,
    },
    Known {
        name: "bcmath",
        packages: &[],
        configure: None,
    },
    Known {
        name: "pcntl",
        packages: &[],
        configure: None,
    },
    Known {
        name: "exif",
        packages: &[],
        configure: None,
    },
    Known {
        name: "sockets",
        packages: &[],
        configure: None,
    },
    Known {
        name: "calendar",
        packages: &[],
        configure: None,
    },
    Known {
        name: "opcache",
        packages: &[],
        configure: None,
    },
    Known {
        name: "pdo_pgsql",
        packages: &["libpq-dev"],
        configure: None,
    },
    Known {
        name: "pgsql",
        packages: &["libpq-dev"],
        configure: None,
    },
    Known {
        name: "intl",
        packages: &["libicu-dev"],
        configure: None,
    },
    Known {
        name: "zip",
        packages: &["libzip-dev"],
        configure: None,
    },
    Known {
        name: "gd",
        packages: &["libfreetype6-dev", "libjpeg62-turbo-dev", "libpng-dev"],
        configure: Some("gd --with-freetype --with-jpeg"),
    },
];

/// Extensions only PECL has, installed with `pecl install` then enabled.
const PECL: &[&str] = &["redis", "apcu", "xdebug", "mongodb"];

#[derive(Debug, Clone, Serialize)]
pub struct PhpCtx {
    /// What Apache serves (`/var/www/html/public` for a front controller in public/).
    pub doc_root: String,
    pub public: bool,
    /// Debian packages the extension builds need, space separated; empty when none.
    pub packages: String,
    pub configure: Vec<&'static str>,
    /// `docker-php-ext-install` arguments, space separated; empty when none.
    pub install: String,
    pub pecl: Vec<&'static str>,
    /// Required extensions devbox does not know how to build: named in a comment.
    pub unknown: Vec<String>,
    /// Directories the framework writes at run time, relative to the project.
    pub writable: Vec<&'static str>,
    pub framework: String,
}

pub fn php_ctx(answers: &Answers) -> Option<PhpCtx> {
    if answers.leaf != Leaf::PhpApache {
        return None;
    }
    let p = &answers.project;
    let mut wanted: Vec<String> = p.extensions.clone();
    // The database add-ons need their PDO driver.
    for (addon, ext) in [(AddOn::Postgres, "pdo_pgsql"), (AddOn::Mysql, "pdo_mysql")] {
        if answers.add_ons.contains(&addon) && !wanted.iter().any(|w| w == ext) {
            wanted.push(ext.to_string());
        }
    }
    let mut packages: Vec<&str> = Vec::new();
    let mut configure = Vec::new();
    let mut install = Vec::new();
    let mut pecl = Vec::new();
    let mut unknown = Vec::new();
    for ext in &wanted {
        if let Some(known) = KNOWN.iter().find(|k| k.name == ext) {
            packages.extend(known.packages);
            configure.extend(known.configure);
            install.push(known.name);
        } else if let Some(name) = PECL.iter().find(|n| *n == ext) {
            pecl.push(*name);
        } else {
            unknown.push(ext.clone());
        }
    }
    packages.sort_unstable();
    packages.dedup();
    install.sort_unstable();
    install.dedup();
    let public = p.build_output.trim_matches('/') == "public";
    let writable = match p.framework.as_str() {
        "laravel" => vec!["storage", "bootstrap/cache"],
        "symfony" => vec!["var"],
        _ => Vec::new(),
    };
    Some(PhpCtx {
        doc_root: if public {
            "/var/www/html/public".into()
        } else {
            "/var/www/html".into()
        },
        public,
        packages: packages.join(" "),
        configure,
        install: install.join(" "),
        pecl,
        unknown,
        writable,
        framework: p.framework.clone(),
    })
}

/// What Apache and the framework write under compose's read-only root file system.
pub fn tmpfs(answers: &Answers) -> Vec<&'static str> {
    let mut out = vec!["/var/run/apache2", "/var/lock/apache2"];
    match answers.project.framework.as_str() {
        "laravel" => out.extend([
            "/var/www/html/storage/framework/cache",
            "/var/www/html/storage/framework/sessions",
            "/var/www/html/storage/framework/views",
            "/var/www/html/storage/logs",
            "/var/www/html/bootstrap/cache",
        ]),
        "symfony" => out.push("/var/www/html/var"),
        _ => {}
    }
    out
}
