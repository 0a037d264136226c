//! DBX409: a `develop.watch` sync target that is not where the built stage's `COPY` put the
//! same files, so synced changes land beside the code the process runs.

use super::{Built, ProjectCtx, normalized};
use crate::domain::dockerfile::{Body, Source, Stage};
use crate::domain::lint::compose::parts;
use crate::domain::lint::registry::{FileRef, Rule, RuleMeta};
use crate::domain::lint::{Category, Hit, Severity};

pub struct Rule409;

static META: RuleMeta = RuleMeta {
    id: "DBX409",
    name: "watch-target-elsewhere",
    category: Category::Cross,
    severity: Severity::Warning,
    summary: "a `develop.watch` sync target is not where the image has the synced files, so the app never sees the changes",
    help: "set the watch `target` to where the Dockerfile copies that path (or copy it where the watch syncs it)",
    explain: "# DBX409 watch-target-elsewhere\n\nA `sync` rule copies changed files from `path` into the running container at\n\
`target`. The process reads the copy the Dockerfile made: `WORKDIR /app` + `COPY . .` puts `./src` at\n\
`/app/src`. A watch rule syncing `./src` to `/code/src` writes a second copy nobody reads, and every edit\n\
seems to be ignored. devbox follows the built stage (and the stages it is built `FROM`), resolves each\n\
`COPY` destination against its WORKDIR, and reports a sync whose path the stage copies but never to its\n\
target. When only a parent directory was copied (`COPY . .`), the sync is judged only if its target is\n\
inside that copy's destination or is the same relative path under another root (`/usr/src/app/src`): a\n\
sync of `./nginx` to `/etc/nginx/conf.d` is configuration sent where nginx reads it. Paths the stage does\n\
not copy at all are not judged, nor are copies written with variables or globs.\n\n\
## Example\n\n```dockerfile\nFROM node:22-alpine AS development\nWORKDIR /app\nCOPY . .\n```\n\
```yaml\nservices:\n  web:\n    build: { context: ., target: development }\n    develop:\n      watch:\n\
        - action: sync\n          path: ./src\n          target: /app/src\n```\n",
    fixable: false,
    hadolint: &[],
};

/// One context path a stage copied, and where it landed.
struct Copied {
    /// Normalized context-relative parts (`[]` for the whole context).
    source: Vec<String>,
    /// Absolute destination, normalized, without a trailing slash (`/` is `""`).
    dest: String,
    /// The destination is a directory: written with a trailing slash, or several sources.
    dest_is_dir: bool,
    /// Offset of the COPY (for the message's line).
    at: usize,
}

/// `/app/./src/` → `/app/src`, `/` → `` (so `format!("{dest}/{x}")` joins cleanly).
fn clean_abs(path: &str) -> Option<String> {
    let parts = normalized(path)?;
    Some(parts.iter().map(|p| format!("/{p}")).collect())
}

/// The stages a stage builds on, root first, ending with the stage itself.
fn chain<'d>(b: &Built<'_, 'd>, stage: &'d Stage) -> Vec<&'d Stage> {
    let df = b.dockerfile.df;
    let mut out = vec![stage];
    let mut current = stage;
    while let Some(base) = df.resolved_base(current).1.and_then(|i| df.stages.get(i)) {
        if out.iter().any(|s| s.index == base.index) {
            break;
        }
        out.push(base);
        current = base;
    }
    out.reverse();
    out
}

/// Every plain `COPY` from the build context in the stage chain, with its destination resolved.
fn copies(b: &Built<'_, '_>, stage: &Stage) -> Vec<Copied> {
    let df = b.dockerfile.df;
    let mut out = Vec::new();
    // `None`: a WORKDIR written with a variable, so relative destinations are unknown.
    let mut workdir = Some(String::new());
    for st in chain(b, stage) {
        for ins in df.stage_instructions(st) {
            match &ins.body {
                Body::Workdir(dir) if dir.value.contains('$') => workdir = None,
                Body::Workdir(dir) if dir.value.starts_with('/') => {
                    workdir = clean_abs(&dir.value);
                }
                Body::Workdir(dir) => {
                    workdir = workdir.and_then(|w| clean_abs(&format!("{w}/{}", dir.value)));
                }
                Body::Copy { sources, dest }
                    if ins.flag("from").is_none() && ins.flag("parents").is_none() =>
                {
                    let written = dest.value.trim_matches('"');
                    if written.contains('$') {
                        continue;
                    }
                    let resolved = if written.starts_with('/') {
                        clean_abs(written)
                    } else {
                        workdir
                            .as_ref()
                            .and_then(|w| clean_abs(&format!("{w}/{written}")))
                    };
                    let Some(resolved) = resolved else { continue };
                    let dest_is_dir = written.ends_with('/')
                        || written == "."
                        || sources.len() > 1
                        || resolved.is_empty();
                    for src in sources {
                        let Source::Path(p) = src else { continue };
                        let raw = p.value.as_str();
                        if raw.contains(['$', '*', '?', '[']) || raw.contains("://") {
                            continue;
                        }
                        let Some(parts) = normalized(raw.trim_start_matches('/')) else {
                            continue;
                        };
                        out.push(Copied {
                            source: parts.iter().map(|s| (*s).to_owned()).collect(),
                            dest: resolved.clone(),
                            dest_is_dir,
                            at: ins.span.start,
                        });
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// Where a COPY put the context path `rel`, if it copied it (`rel` under its source), or where
/// `target` would have to be for the COPY's source to land right (its source under `rel`).
fn agrees(copy: &Copied, rel: &[&str], target: &str) -> Option<bool> {
    let src: Vec<&str> = copy.source.iter().map(String::as_str).collect();
    // Where the COPY put the source itself: a file into a directory keeps its name.
    let places = |d: &str| {
        let mut v = vec![d.to_owned()];
        if copy.dest_is_dir
            && let Some(name) = src.last()
        {
            v.push(format!("{d}/{name}"));
        }
        v
    };
    if rel.len() >= src.len() && rel[..src.len()] == src[..] {
        let below = &rel[src.len()..];
        if below.is_empty() {
            return Some(places(&copy.dest).iter().any(|p| p == target));
        }
        // `rel` is inside a copied directory.
        return Some(format!("{}/{}", copy.dest, below.join("/")) == target);
    }
    if src.len() > rel.len() && src[..rel.len()] == rel[..] {
        let below = src[rel.len()..].join("/");
        let wanted = format!("{target}/{below}");
        // The directory's copy sits under the target, or the file landed in the target's dir.
        let dir_of_wanted = format!("{target}/{}", src[rel.len()..src.len() - 1].join("/"));
        let dir_of_wanted = dir_of_wanted.trim_end_matches('/');
        return Some(
            copy.dest == wanted
                || (copy.dest_is_dir && copy.dest.trim_end_matches('/') == dir_of_wanted),
        );
    }
    None
}

impl Rule for Rule409 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check_project(&self, cx: &ProjectCtx<'_>, out: &mut Vec<(FileRef, Hit)>) {
        for b in cx.built() {
            let Some(stage) = b.stage else { continue };
            let Some(context) = normalized(&b.link.context) else {
                continue;
            };
            let syncs: Vec<_> = parts::watches(b.service)
                .into_iter()
                .filter(|w| w.action.starts_with("sync") && !w.path.starts_with('/'))
                .collect();
            if syncs.is_empty() {
                continue;
            }
            let copied = copies(&b, stage);
            for w in syncs {
                let Some(target) = w.target.as_deref().filter(|t| t.starts_with('/')) else {
                    continue;
                };
                if target.contains('$') {
                    continue;
                }
                let (Some(path), Some(target)) = (normalized(&w.path), clean_abs(target)) else {
                    continue;
                };
                if path.len() < context.len() || path[..context.len()] != context[..] {
                    continue;
                }
                let rel = &path[context.len()..];
                let verdicts: Vec<(&Copied, bool)> = copied
                    .iter()
                    .filter_map(|c| agrees(c, rel, &target).map(|ok| (c, ok)))
                    .collect();
                if verdicts.is_empty()
                    || verdicts.iter().any(|(_, ok)| *ok)
                    || !verdicts.iter().any(|(c, _)| meant_here(c, rel, &target))
                {
                    continue;
                }
                let (copy, _) = verdicts[verdicts.len() - 1];
                let line = b.dockerfile.text[..copy.at.min(b.dockerfile.text.len())]
                    .matches('\n')
                    .count()
                    + 1;
                let landed = match agrees_place(copy, rel) {
                    Some(place) => format!("the image has it at `{place}`"),
                    None => format!("the image copies it to `{}`", display(&copy.dest)),
                };
                out.push((
                    FileRef::Compose(b.link.compose),
                    Hit::new(
                        b.compose.span(w.node),
                        format!(
                            "service `{}` syncs `{}` to `{}`, but {landed} ({}:{line}): the process never sees the synced files",
                            b.link.service,
                            w.path,
                            display(&target),
                            b.dockerfile.path
                        ),
                    ),
                ));
            }
        }
    }
}

/// Whether a disagreeing COPY says the sync was meant to reach the copied files. A COPY that
/// names the path (or something in it) does. One that copies a whole parent directory (`COPY . .`)
/// also copies configuration a sync may rightly send elsewhere (`./nginx` → `/etc/nginx/conf.d`),
/// so it counts only when the target is inside that copy's destination (a wrong place in the app
/// tree) or is the same relative path under another root (`./src` → `/usr/src/app/src`), outside
/// `/etc`.
fn meant_here(copy: &Copied, rel: &[&str], target: &str) -> bool {
    let src_len = copy.source.len();
    if src_len >= rel.len() {
        return true;
    }
    let inside = !copy.dest.is_empty() && target.starts_with(&format!("{}/", copy.dest));
    let same_tail = target.ends_with(&format!("/{}", rel.join("/")));
    inside || (same_tail && !target.starts_with("/etc/"))
}

/// Where the COPY put `rel` itself, when `rel` is at or under its source.
fn agrees_place(copy: &Copied, rel: &[&str]) -> Option<String> {
    let src: Vec<&str> = copy.source.iter().map(String::as_str).collect();
    if rel.len() < src.len() || rel[..src.len()] != src[..] {
        return None;
    }
    let below = &rel[src.len()..];
    Some(display(&if below.is_empty() {
        copy.dest.clone()
    } else {
        format!("{}/{}", copy.dest, below.join("/"))
    }))
}

fn display(abs: &str) -> String {
    if abs.is_empty() {
        "/".to_owned()
    } else {
        abs.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn copy(source: &[&str], dest: &str, dest_is_dir: bool) -> Copied {
        Copied {
            source: source.iter().map(|s| (*s).to_owned()).collect(),
            dest: dest.to_owned(),
            dest_is_dir,
            at: 0,
        }
    }

    #[test]
    fn a_path_inside_a_copied_directory_must_sync_to_its_place() {
        let all = copy(&[], "/app", true);
        assert_eq!(agrees(&all, &["src"], "/app/src"), Some(true));
        assert_eq!(agrees(&all, &["src"], "/code/src"), Some(false));
        assert_eq!(agrees(&all, &[], "/app"), Some(true));
        let src = copy(&["src"], "/app/src", false);
        assert_eq!(agrees(&src, &["src"], "/app/src"), Some(true));
        assert_eq!(agrees(&src, &["src", "lib"], "/app/src/lib"), Some(true));
        assert_eq!(agrees(&src, &["web"], "/app/web"), None);
    }

    #[test]
    fn a_file_copied_into_a_directory_keeps_its_name() {
        let manifest = copy(&["package.json"], "/app", true);
        assert_eq!(
            agrees(&manifest, &["package.json"], "/app/package.json"),
            Some(true)
        );
        assert_eq!(agrees(&manifest, &[], "/app"), Some(true));
        assert_eq!(agrees(&manifest, &[], "/srv"), Some(false));
        let nested = copy(&["config", "app.toml"], "/etc/app", true);
        assert_eq!(agrees(&nested, &["config"], "/etc/app"), Some(true));
        assert_eq!(agrees(&nested, &[], "/etc"), Some(false));
    }

    #[test]
    fn a_whole_context_copy_judges_only_syncs_meant_for_the_app_tree() {
        let all = copy(&[], "/app", true);
        assert!(meant_here(&all, &["src"], "/usr/src/app/src"));
        assert!(meant_here(&all, &["src"], "/app/source"));
        assert!(!meant_here(&all, &["nginx"], "/etc/nginx/conf.d"));
        assert!(!meant_here(&all, &["nginx"], "/etc/nginx"));
        assert!(meant_here(
            &copy(&["src"], "/app/src", false),
            &["src"],
            "/srv"
        ));
    }
}
