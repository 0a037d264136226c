//! `devbox lint --fix`: applies fixes in memory until nothing more is fixable (at most a few
//! rounds), prints a unified diff per file, then writes the files unless `--dry-run`.

use super::LintError;
use super::discover::Discovered;
use crate::domain::lint::{FixOptions, LintConfig, Report, fix, lint};
use std::io::Write;

const ROUNDS: usize = 4;

pub fn fix(
    found: &mut Discovered,
    config: &LintConfig,
    options: &FixOptions,
    mut report: Report,
    dry_run: bool,
    out: &mut impl Write,
) -> Result<Report, LintError> {
    let originals: Vec<(String, String)> = all_files(found);
    let mut fixed_total = 0;
    for _ in 0..ROUNDS {
        let mut changed = false;
        for file in files_mut(found) {
            let (text, fixed) = fix::apply(&file.text, &file.path, &report.findings);
            if !fixed.is_empty() && text != file.text {
                file.text = text;
                fixed_total += fixed.len();
                changed = true;
            }
        }
        if !changed {
            break;
        }
        report = lint(&found.project, config, options);
    }
    let mut changed_files = 0;
    for ((path, before), file) in originals.iter().zip(all_files(found)) {
        if *before == file.1 {
            continue;
        }
        changed_files += 1;
        let diff = similar::TextDiff::from_lines(before.as_str(), file.1.as_str());
        write!(
            out,
            "{}",
            diff.unified_diff()
                .context_radius(2)
                .header(&format!("a/{path}"), &format!("b/{path}"))
        )?;
        if !dry_run {
            let real = found
                .paths
                .iter()
                .find(|(shown, _)| shown == path)
                .map(|(_, p)| p.clone());
            if let Some(real) = real {
                crate::fsio::write::write_atomic(&real, &file.1).map_err(|e| LintError::Write {
                    path: real.clone(),
                    message: e.to_string(),
                })?;
            }
        }
    }
    let verb = if dry_run { "would apply" } else { "applied" };
    writeln!(
        out,
        "{verb} {fixed_total} fix(es) in {changed_files} file(s)"
    )?;
    Ok(report)
}

fn all_files(found: &Discovered) -> Vec<(String, String)> {
    let p = &found.project;
    p.dockerfiles
        .iter()
        .map(|d| &d.file)
        .chain(&p.composes)
        .chain(p.ignores.iter().map(|i| &i.file))
        .map(|f| (f.path.clone(), f.text.clone()))
        .collect()
}

fn files_mut(found: &mut Discovered) -> Vec<&mut crate::domain::lint::SourceFile> {
    let p = &mut found.project;
    p.dockerfiles
        .iter_mut()
        .map(|d| &mut d.file)
        .chain(p.composes.iter_mut())
        .chain(p.ignores.iter_mut().map(|i| &mut i.file))
        .collect()
}
