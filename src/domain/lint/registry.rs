//! The `Rule` trait, rule metadata and the registry of every rule, in ID order.

use super::compose::ComposeCtx;
use super::cross::ProjectCtx;
use super::dockerfile::DockerfileCtx;
use super::dockerignore::IgnoreCtx;
use super::{Category, Hit, Severity};
use crate::domain::dockerfile::ParseError;

/// What `--explain` and the output formats know about a rule.
#[derive(Debug)]
pub struct RuleMeta {
    pub id: &'static str,
    /// Kebab-case name, used in SARIF and the explain page title.
    pub name: &'static str,
    pub category: Category,
    pub severity: Severity,
    /// One line: what is wrong.
    pub summary: &'static str,
    /// One line: what to do.
    pub help: &'static str,
    /// The page `devbox lint --explain ID` prints (Markdown).
    pub explain: &'static str,
    /// `--fix` can repair it.
    pub fixable: bool,
    /// hadolint rules that check the same thing (for the corpus comparison only).
    pub hadolint: &'static [&'static str],
}

/// Which file of a project a cross-file finding belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileRef {
    Dockerfile(usize),
    Compose(usize),
    Dockerignore(usize),
}

/// A rule. Each rule implements the one hook for the files it reads; the others stay no-ops.
pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;
    fn check_parse_error(&self, _err: &ParseError, _out: &mut Vec<Hit>) {}
    fn check_dockerfile(&self, _cx: &DockerfileCtx<'_>, _out: &mut Vec<Hit>) {}
    fn check_compose(&self, _cx: &ComposeCtx<'_>, _out: &mut Vec<Hit>) {}
    fn check_compose_error(&self, _offset: usize, _message: &str, _out: &mut Vec<Hit>) {}
    fn check_dockerignore(&self, _cx: &IgnoreCtx<'_>, _out: &mut Vec<Hit>) {}
    fn check_project(&self, _cx: &ProjectCtx<'_>, _out: &mut Vec<(FileRef, Hit)>) {}
}

macro_rules! registry {
    ($($path:path),* $(,)?) => {
        static RULES: &[&dyn Rule] = &[$(&$path),*];
    };
}

use super::compose as c;
use super::cross as x;
use super::dockerfile as d;
use super::dockerignore as i;

registry![
    d::dbx100::Rule100,
    d::dbx101::Rule101,
    d::dbx102::Rule102,
    d::dbx103::Rule103,
    d::dbx104::Rule104,
    d::dbx105::Rule105,
    d::dbx106::Rule106,
    d::dbx107::Rule107,
    d::dbx108::Rule108,
    d::dbx109::Rule109,
    d::dbx110::Rule110,
    d::dbx111::Rule111,
    d::dbx112::Rule112,
    d::dbx113::Rule113,
    d::dbx114::Rule114,
    d::dbx115::Rule115,
    d::dbx116::Rule116,
    d::dbx117::Rule117,
    d::dbx118::Rule118,
    d::dbx119::Rule119,
    d::dbx120::Rule120,
    d::dbx121::Rule121,
    d::dbx122::Rule122,
    d::dbx123::Rule123,
    d::dbx124::Rule124,
    d::dbx125::Rule125,
    d::dbx126::Rule126,
    d::dbx127::Rule127,
    d::dbx128::Rule128,
    d::dbx129::Rule129,
    d::dbx130::Rule130,
    d::dbx131::Rule131,
    d::dbx132::Rule132,
    d::dbx133::Rule133,
    d::dbx134::Rule134,
    d::dbx135::Rule135,
    d::dbx136::Rule136,
    d::dbx137::Rule137,
    d::dbx138::Rule138,
    d::dbx139::Rule139,
    d::dbx140::Rule140,
    d::dbx141::Rule141,
    d::dbx142::Rule142,
    d::dbx143::Rule143,
    d::dbx144::Rule144,
    d::dbx145::Rule145,
    d::dbx146::Rule146,
    d::dbx147::Rule147,
    d::dbx148::Rule148,
    d::dbx149::Rule149,
    d::dbx150::Rule150,
    d::dbx151::Rule151,
    d::dbx152::Rule152,
    c::dbx200::Rule200,
    c::dbx201::Rule201,
    c::dbx202::Rule202,
    c::dbx203::Rule203,
    c::dbx204::Rule204,
    c::dbx205::Rule205,
    c::dbx206::Rule206,
    c::dbx207::Rule207,
    c::dbx208::Rule208,
    c::dbx209::Rule209,
    c::dbx210::Rule210,
    c::dbx211::Rule211,
    c::dbx212::Rule212,
    c::dbx213::Rule213,
    i::dbx301::Rule301,
    i::dbx302::Rule302,
    i::dbx303::Rule303,
    i::dbx304::Rule304,
    i::dbx305::Rule305,
    i::dbx306::Rule306,
    x::dbx401::Rule401,
    x::dbx402::Rule402,
    x::dbx403::Rule403,
    x::dbx404::Rule404,
    x::dbx405::Rule405,
    x::dbx406::Rule406,
    x::dbx407::Rule407,
    x::dbx408::Rule408,
    x::dbx409::Rule409,
    x::dbx410::Rule410,
];

/// Rules that run only when `.devbox-lint.toml` lists them under `enable`: BuildKit keeps their
/// checks experimental too, and on most files they would be noise.
pub const OPT_IN: &[&str] = &["DBX150", "DBX152"];

/// Every rule, in ID order.
pub fn all_rules() -> &'static [&'static dyn Rule] {
    RULES
}

/// The metadata of a rule by ID (case-insensitive).
pub fn meta(id: &str) -> Option<&'static RuleMeta> {
    RULES
        .iter()
        .map(|r| r.meta())
        .find(|m| m.id.eq_ignore_ascii_case(id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_sorted_and_documented() {
        let ids: Vec<&str> = RULES.iter().map(|r| r.meta().id).collect();
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(ids, sorted);
        for r in RULES {
            let m = r.meta();
            assert!(m.explain.len() > 200, "{} explain page too short", m.id);
            assert!(
                !m.summary.contains('\n') && !m.help.contains('\n'),
                "{}",
                m.id
            );
            let prefix = match m.category {
                Category::Dockerfile => "DBX1",
                Category::Compose => "DBX2",
                Category::Dockerignore => "DBX3",
                Category::Cross => "DBX4",
            };
            assert!(m.id.starts_with(prefix), "{} in the wrong range", m.id);
        }
    }
}
