//! DBX303: `.env` files are sent to the builder.

use super::IgnoreCtx;
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Edit, Hit, Severity};

pub struct Rule303;

static META: RuleMeta = RuleMeta {
    id: "DBX303",
    name: "env-file-not-ignored",
    category: Category::Dockerignore,
    severity: Severity::Error,
    summary: "a `.env` file (secrets) is part of the build context",
    help: "add `.env*` (and `!.env.example` if you ship an example) to .dockerignore",
    explain: "# DBX303 env-file-not-ignored\n\n`.env` files hold local credentials. If the context contains one, `COPY . .` bakes it\n\
into a layer of the image, where anyone who pulls the image can read it, even if a later step deletes it.\n\
Compose reads `.env` from the project directory itself; the image never needs it.\n\n\
## Example\n\n```\n.env*\n!.env.example\n```\n",
    fixable: true,
    hadolint: &[],
};

impl Rule for Rule303 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_dockerignore(&self, cx: &IgnoreCtx<'_>, out: &mut Vec<Hit>) {
        let Some(files) = cx.context_files else {
            return;
        };
        if cx.matcher.is_err() {
            return;
        }
        let leaked: Vec<&String> = files
            .iter()
            .filter(|f| {
                let name = f.rsplit('/').next().unwrap_or(f);
                (name == ".env" || name.starts_with(".env."))
                    && !name.ends_with(".example")
                    && !name.ends_with(".sample")
                    && !name.ends_with(".template")
            })
            .filter(|f| !cx.excludes(f))
            .collect();
        if let Some(first) = leaked.first() {
            let end = cx.text.len();
            let sep = if cx.text.is_empty() || cx.text.ends_with('\n') {
                ""
            } else {
                "\n"
            };
            // The help names the pattern that would have caught this file: a nested .env needs
            // `**/`, which a root-level `.env*` does not cover.
            let help = if first.contains('/') {
                "add `**/.env` and `**/.env.*` (a root-level `.env*` does not match nested files), and `!**/.env.example` if you ship an example (autofix)"
            } else {
                "add `.env` and `.env.*` (or `**/.env*` for nested ones), and `!.env.example` if you ship an example (autofix)"
            };
            out.push(
                Hit::new(
                    0..0,
                    format!("`{first}` is not excluded and would be copied into the image"),
                )
                .with_help(help)
                .with_fix(
                    "exclude `**/.env` and `**/.env.*`",
                    vec![Edit {
                        range: end..end,
                        replacement: format!("{sep}**/.env\n**/.env.*\n!**/.env.example\n"),
                    }],
                ),
            );
        }
    }
}
