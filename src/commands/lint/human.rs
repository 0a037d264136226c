//! Human output: each finding as a miette diagnostic with the source snippet and the span
//! underlined, then a summary; plus the `--explain` page and the `--list-rules` table.

use super::excerpt::Excerpt;
use crate::domain::lint::output::counts;
use crate::domain::lint::{Finding, Project, RuleMeta, Severity, all_rules};
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic};
use std::fmt::Write;
use std::io::IsTerminal;

/// Colours only for a terminal, and never when NO_COLOR is set.
pub fn colors_wanted() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

fn text_of<'p>(project: &'p Project, file: &str) -> &'p str {
    project
        .dockerfiles
        .iter()
        .map(|d| &d.file)
        .chain(&project.composes)
        .chain(project.ignores.iter().map(|i| &i.file))
        .find(|f| f.path == file)
        .map_or("", |f| f.text.as_str())
}

/// One finding as a diagnostic with its snippet.
pub fn render_finding(finding: &Finding, text: &str, colors: bool) -> String {
    let severity = match finding.severity {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Info => miette::Severity::Advice,
    };
    let mut help = finding.help.to_string();
    if let Some(fix) = &finding.fix {
        let _ = write!(help, " (fixable: {})", fix.description);
    }
    let len = finding.span.end.saturating_sub(finding.span.start);
    let label = LabeledSpan::new_with_span(
        Some(finding.severity.to_string()),
        (finding.span.start, len),
    );
    let diag = MietteDiagnostic::new(finding.message.clone())
        .with_code(finding.rule_id)
        .with_severity(severity)
        .with_help(help)
        .with_label(label);
    let excerpt = Excerpt::new(
        &finding.file,
        text,
        finding.span.start,
        finding.span.end,
        finding.line,
    );
    let report = miette::Report::new(diag).with_source_code(excerpt);
    let theme = if colors {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(110)
        .with_links(false)
        .with_context_lines(1);
    let mut out = String::new();
    if handler.render_report(&mut out, report.as_ref()).is_err() {
        out = format!(
            "{}:{}:{}: {} [{}] {}\n",
            finding.file,
            finding.line,
            finding.column,
            finding.severity,
            finding.rule_id,
            finding.message
        );
    }
    out
}

/// Every finding, then the summary line, written as each is rendered.
pub fn write(
    report: &crate::domain::lint::Report,
    project: &Project,
    colors: bool,
    out: &mut impl std::io::Write,
) -> std::io::Result<()> {
    for f in &report.findings {
        writeln!(
            out,
            "{}",
            render_finding(f, text_of(project, &f.file), colors)
        )?;
    }
    let (e, w, i) = counts(&report.findings);
    let fixable = report.findings.iter().filter(|f| f.fix.is_some()).count();
    let files = report.files.len();
    if report.findings.is_empty() {
        return writeln!(out, "no findings in {files} file(s)");
    }
    write!(
        out,
        "{e} error(s), {w} warning(s), {i} info in {files} file(s)"
    )?;
    if fixable > 0 {
        write!(out, "; {fixable} fixable with `devbox lint --fix`")?;
    }
    writeln!(out)
}

/// The page `devbox lint --explain ID` prints.
pub fn explain_page(m: &RuleMeta) -> String {
    let mut out = String::new();
    out.push_str(m.explain.trim_end());
    let _ = write!(
        out,
        "\n\nSeverity: {}. Autofix: {}.",
        m.severity,
        if m.fixable {
            "yes (`devbox lint --fix`)"
        } else {
            "no"
        }
    );
    let _ = write!(out, "\nFix: {}", m.help);
    let _ = write!(
        out,
        "\nSilence: `# devbox-lint ignore={} <reason>` on the line before, or `ignore = [\"{}\"]` in .devbox-lint.toml.",
        m.id, m.id
    );
    out
}

/// `--list-rules`: ID, severity, fixable, summary; opt-in rules say how to turn them on.
pub fn rule_table() -> String {
    let mut out = String::new();
    for r in all_rules() {
        let m = r.meta();
        let opt_in = if crate::domain::lint::registry::OPT_IN.contains(&m.id) {
            format!(" (opt-in: `enable = [\"{}\"]` in .devbox-lint.toml)", m.id)
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "{}  {:<7}  {}  {:<32} {}{opt_in}",
            m.id,
            m.severity.as_str(),
            if m.fixable { "fix" } else { "   " },
            m.name,
            m.summary
        );
    }
    out
}
