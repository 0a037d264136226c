//! DBX115: the final stage runs as root.

use super::{DockerfileCtx, is_root_user};
use crate::domain::dockerfile::Body;
use crate::domain::lint::registry::{Rule, RuleMeta};
use crate::domain::lint::{Category, Edit, Hit, Severity};

pub struct Rule115;

static META: RuleMeta = RuleMeta {
    id: "DBX115",
    name: "runs-as-root",
    category: Category::Dockerfile,
    severity: Severity::Warning,
    summary: "the final image runs as root",
    help: "add a non-root `USER` before CMD/ENTRYPOINT: the image's own user (`node`) or a numeric uid:gid; `--fix` adds one",
    explain: "# DBX115 runs-as-root\n\nWithout a `USER` instruction the container runs as root (uid 0). A process\n\
compromise then has root inside the container, and a container escape has root on the host. Use root only\n\
for package installation in build stages and switch to an unprivileged user in the final stage.\n\n\
Images that already switch user are recognised (`*:nonroot` distroless tags, `*-unprivileged`, Chainguard), as are\n\
images whose entrypoint drops root itself (postgres, mysql, redis, nginx...) and `FROM scratch`, which has no users.\n\n\
## Example\n\n```dockerfile\nFROM node:22-alpine\nWORKDIR /app\nCOPY --chown=node:node . .\nUSER node\nCMD [\"node\", \"index.js\"]\n```\n\n\
## Autofix\n\nWhen the final stage has no `USER` at all, inserts one before the first CMD/ENTRYPOINT (or at the end):\n\
`USER node` on node images, `USER 65532:65532` on distroless, `USER 10001:10001` elsewhere.\n\
Numeric ids work without an `/etc/passwd` entry; check that the app does not write outside `/tmp`.\n",
    fixable: true,
    hadolint: &["DL3002"],
};

impl Rule for Rule115 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_dockerfile(&self, cx: &DockerfileCtx<'_>, out: &mut Vec<Hit>) {
        let Some(stage) = cx.final_stage() else {
            return;
        };
        match cx.stage_user(stage) {
            Some(user) if is_root_user(&user.value) => {
                out.push(Hit::new(
                    user.span.clone(),
                    "the last USER is root: the container runs as root",
                ));
            }
            Some(_) => {}
            None => {
                let image = cx.base_image(stage);
                // `FROM scratch` has no users at all: what runs there is one static binary,
                // and the fix belongs to it (hadolint's DL3002 is silent there too).
                if image.runs_as_non_root()
                    || image.is_dynamic()
                    || image.is_scratch()
                    || is_windows(cx, &image)
                {
                    return;
                }
                match starts_as_root(&image) {
                    Some(StartsAsRoot::DropsItself) => return,
                    Some(StartsAsRoot::Advice(advice)) => {
                        // A plain `USER` would stop these servers from starting: no autofix.
                        out.push(Hit::new(
                            stage.image.span.clone(),
                            format!(
                                "the final stage has no USER: the container runs as root; {advice}"
                            ),
                        ));
                        return;
                    }
                    None => {}
                }
                let user = if image.short_name() == "node" || image.short_name() == "bun" {
                    "node"
                } else if image.is_distroless() || image.is_scratch() {
                    "65532:65532"
                } else {
                    "10001:10001"
                };
                let user = if image.name.ends_with("oven/bun") {
                    "bun"
                } else {
                    user
                };
                let instructions = cx.df.stage_instructions(stage);
                let at = instructions
                    .iter()
                    .find(|i| matches!(i.body, Body::Cmd(_) | Body::Entrypoint(_)))
                    .map(|i| cx.line_start(i.span.start));
                let edit = match at {
                    Some(pos) => Edit {
                        range: pos..pos,
                        replacement: format!("USER {user}\n"),
                    },
                    // A heredoc's body and terminator come after the instruction's span:
                    // USER goes after the whole file then, never inside the heredoc.
                    None if instructions.last().is_some_and(has_heredoc) => {
                        let end = cx.text.len();
                        let newline = if cx.text.ends_with('\n') { "" } else { "\n" };
                        Edit {
                            range: end..end,
                            replacement: format!("{newline}USER {user}\n"),
                        }
                    }
                    None => {
                        let end = instructions.last().map_or(cx.text.len(), |i| i.span.end);
                        Edit {
                            range: end..end,
                            replacement: format!("\nUSER {user}"),
                        }
                    }
                };
                out.push(
                    Hit::new(
                        stage.image.span.clone(),
                        "the final stage has no USER: the container runs as root",
                    )
                    .with_fix(format!("add `USER {user}`"), vec![edit]),
                );
            }
        }
    }
}

/// Official images whose server must start as root.
enum StartsAsRoot {
    /// The entrypoint switches to its own user (`gosu postgres`): nothing to do.
    DropsItself,
    /// The master process stays root: what to use instead.
    Advice(&'static str),
}

fn starts_as_root(image: &crate::domain::dockerfile::ImageRef) -> Option<StartsAsRoot> {
    if !image.is_official() {
        return None;
    }
    let tag = image.tag.as_deref().unwrap_or("");
    match image.short_name() {
        // These start as root and drop to their own user; nginx's master binds the port and
        // its workers run as `nginx` (a plain USER would stop it from starting).
        "postgres" | "mysql" | "mariadb" | "redis" | "mongo" | "rabbitmq" | "elasticsearch"
        | "memcached" | "cassandra" | "nginx" => Some(StartsAsRoot::DropsItself),
        "httpd" => Some(StartsAsRoot::Advice(
            "Apache binds port 80 as root and runs its workers as www-data: listen on a port above 1024 and set `USER www-data`, or accept root for the master process",
        )),
        "php" if tag.contains("apache") => Some(StartsAsRoot::Advice(
            "Apache binds port 80 as root and runs its workers as www-data: listen on a port above 1024 and set `USER www-data`, or accept root for the master process",
        )),
        "php" if tag.contains("fpm") => Some(StartsAsRoot::Advice(
            "php-fpm's pool workers already run as www-data; to run the master without root, set `USER www-data` and check the pool config's `user`/`group` lines",
        )),
        _ => None,
    }
}

/// Windows images (or the backtick escape only Windows Dockerfiles use): users there are
/// `ContainerUser`/`ContainerAdministrator`, not uids.
fn is_windows(cx: &DockerfileCtx<'_>, image: &crate::domain::dockerfile::ImageRef) -> bool {
    cx.df.escape == '`'
        || ["windows", "servercore", "nanoserver"]
            .iter()
            .any(|w| image.name.contains(w) || image.tag.as_deref().is_some_and(|t| t.contains(w)))
}

/// A RUN or COPY/ADD with an inline heredoc.
fn has_heredoc(ins: &crate::domain::dockerfile::Instruction) -> bool {
    match &ins.body {
        Body::Run { heredocs, .. } => !heredocs.is_empty(),
        Body::Copy { sources, .. } | Body::Add { sources, .. } => sources
            .iter()
            .any(|s| matches!(s, crate::domain::dockerfile::Source::HereDoc(_))),
        _ => false,
    }
}
