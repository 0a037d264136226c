//! What devbox's rules cover of BuildKit's build checks and hadolint's DL rules, and why the
//! rest does not apply; `docs/lint-coverage.md` is generated from it by a test.

use std::fmt::Write;

/// How one outside check is answered.
#[derive(Debug, Clone, Copy)]
pub enum Coverage {
    /// These devbox rules report it.
    Rules(&'static [&'static str]),
    /// devbox does not take it, and why.
    Declined(&'static str),
}

/// One outside check.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    pub id: &'static str,
    pub title: &'static str,
    pub coverage: Coverage,
}

const fn rules(id: &'static str, title: &'static str, r: &'static [&'static str]) -> Entry {
    Entry {
        id,
        title,
        coverage: Coverage::Rules(r),
    }
}

const fn declined(id: &'static str, title: &'static str, why: &'static str) -> Entry {
    Entry {
        id,
        title,
        coverage: Coverage::Declined(why),
    }
}

const PINNING: &str = "version pinning of single packages is a policy devbox does not take: distributions drop superseded versions from their mirrors, so pinned installs break builds; reproducibility comes from a pinned base image (DBX101/DBX208) and the lockfile the dependency step installs from (DBX116, DBX304)";
const LABELS: &str = "a label schema is an organisation's policy (hadolint takes it from its configuration file); devbox has no label schema to check against";

/// BuildKit's build checks (`docker build --check`), in the order of its documentation.
pub static BUILDKIT: &[Entry] = &[
    rules(
        "StageNameCasing",
        "Stage names should be lowercase",
        &["DBX133"],
    ),
    rules(
        "FromAsCasing",
        "The 'as' keyword should match the case of the 'from' keyword",
        &["DBX134"],
    ),
    rules(
        "NoEmptyContinuation",
        "Empty continuation lines will become errors in a future release",
        &["DBX138"],
    ),
    rules(
        "ConsistentInstructionCasing",
        "All commands within the Dockerfile should use the same casing",
        &["DBX135"],
    ),
    rules(
        "DuplicateStageName",
        "Stage names should be unique",
        &["DBX136"],
    ),
    rules(
        "ReservedStageName",
        "Reserved words should not be used as stage names",
        &["DBX137"],
    ),
    rules(
        "JSONArgsRecommended",
        "JSON arguments recommended for ENTRYPOINT/CMD",
        &["DBX114"],
    ),
    rules(
        "MaintainerDeprecated",
        "The MAINTAINER instruction is deprecated",
        &["DBX124"],
    ),
    rules(
        "UndefinedArgInFrom",
        "FROM command must use declared ARGs",
        &["DBX139"],
    ),
    rules(
        "WorkdirRelativePath",
        "Relative workdir without an absolute workdir declared within the build",
        &["DBX112"],
    ),
    rules(
        "UndefinedVar",
        "Variables should be defined before their use (devbox cannot see the base image's environment without pulling it: it reports global and platform ARGs not declared in the stage, near-miss names, and anything in a stage built on scratch)",
        &["DBX140"],
    ),
    rules(
        "MultipleInstructionsDisallowed",
        "Multiple CMD/ENTRYPOINT/HEALTHCHECK instructions in one stage",
        &["DBX111", "DBX127"],
    ),
    rules(
        "LegacyKeyValueFormat",
        "Legacy key/value format with whitespace separator should not be used",
        &["DBX141"],
    ),
    rules(
        "InvalidBaseImagePlatform",
        "Base image platform does not match the expected target platform",
        &["DBX410"],
    ),
    rules(
        "RedundantTargetPlatform",
        "Setting platform to predefined $TARGETPLATFORM in FROM is redundant",
        &["DBX142"],
    ),
    rules(
        "SecretsUsedInArgOrEnv",
        "Sensitive data should not be used in the ARG or ENV commands",
        &["DBX113"],
    ),
    rules(
        "InvalidDefaultArgInFrom",
        "Default value for global ARG results in an empty or invalid base image name",
        &["DBX139"],
    ),
    rules(
        "FromPlatformFlagConstDisallowed",
        "FROM --platform flag should not use a constant value",
        &["DBX142"],
    ),
    rules(
        "CopyIgnoredFile",
        "Attempting to Copy file that is excluded by .dockerignore",
        &["DBX401"],
    ),
    rules(
        "InvalidDefinitionDescription",
        "Comment for build stage or argument should follow the format `# <name> <description>` (experimental in BuildKit; opt-in here: `enable = [\"DBX150\"]`)",
        &["DBX150"],
    ),
    rules(
        "ExposeProtoCasing",
        "Protocol in EXPOSE instruction should be lowercase",
        &["DBX143"],
    ),
    rules(
        "ExposeInvalidFormat",
        "IP address and host-port mapping should not be used in EXPOSE instruction",
        &["DBX129"],
    ),
];

/// hadolint's DL rules (2.x), in ID order.
pub static HADOLINT: &[Entry] = &[
    rules("DL1000", "Dockerfile parse error", &["DBX100"]),
    declined(
        "DL1001",
        "Refrain from inline ignore pragmas",
        "hadolint's own pragma; devbox's is `# devbox-lint ignore=ID <reason>`, which asks for the reason instead of forbidding it",
    ),
    rules("DL3000", "Use absolute WORKDIR", &["DBX112"]),
    declined(
        "DL3001",
        "Commands like ssh, vim, shutdown, service, ps, free, top, kill, mount, ifconfig make no sense in a container",
        "these fail the build or do nothing lasting; the ones that mislead (sudo, cd) have their own rules (DBX110, DBX123)",
    ),
    rules("DL3002", "Last user should not be root", &["DBX115"]),
    rules(
        "DL3003",
        "Use WORKDIR to switch to a directory",
        &["DBX123"],
    ),
    rules("DL3004", "Do not use sudo", &["DBX110"]),
    rules(
        "DL3006",
        "Always tag the version of an image explicitly (devbox resolves `FROM ${ARG}` through the ARG's default, hadolint#339)",
        &["DBX101"],
    ),
    rules("DL3007", "Using latest is prone to errors", &["DBX101"]),
    declined("DL3008", "Pin versions in apt-get install", PINNING),
    rules(
        "DL3009",
        "Delete the apt-get lists after installing something",
        &["DBX104"],
    ),
    declined(
        "DL3010",
        "Use ADD for extracting archives into an image",
        "ADD's implicit extraction is the surprising behaviour DBX109 steers away from; an explicit `tar -x` in the RUN that downloads the archive keeps one layer",
    ),
    rules(
        "DL3011",
        "Valid UNIX ports range from 0 to 65535",
        &["DBX129"],
    ),
    rules("DL3012", "Multiple HEALTHCHECK instructions", &["DBX127"]),
    declined("DL3013", "Pin versions in pip", PINNING),
    rules("DL3014", "Use the -y switch", &["DBX108"]),
    rules(
        "DL3015",
        "Avoid additional packages by specifying --no-install-recommends",
        &["DBX103"],
    ),
    declined("DL3016", "Pin versions in npm", PINNING),
    declined("DL3018", "Pin versions in apk add", PINNING),
    rules(
        "DL3019",
        "Use the --no-cache switch with apk add",
        &["DBX105"],
    ),
    rules(
        "DL3020",
        "Use COPY instead of ADD for files and folders",
        &["DBX109"],
    ),
    rules(
        "DL3021",
        "COPY with more than 2 arguments requires the last argument to end with /",
        &["DBX131"],
    ),
    rules(
        "DL3022",
        "COPY --from should reference a previously defined FROM alias",
        &["DBX130"],
    ),
    rules(
        "DL3023",
        "COPY --from cannot reference its own FROM alias",
        &["DBX128"],
    ),
    rules(
        "DL3024",
        "FROM aliases (stage names) must be unique",
        &["DBX136"],
    ),
    rules(
        "DL3025",
        "Use arguments JSON notation for CMD and ENTRYPOINT arguments",
        &["DBX114"],
    ),
    declined(
        "DL3026",
        "Use only an allowed registry in the FROM image",
        "a registry allow-list is an organisation's policy, configured per company; devbox has none to apply",
    ),
    rules(
        "DL3027",
        "Do not use apt as it is meant to be an end-user tool",
        &["DBX147"],
    ),
    declined("DL3028", "Pin versions in gem install", PINNING),
    rules(
        "DL3029",
        "Do not use --platform flag with FROM",
        &["DBX142"],
    ),
    rules("DL3030", "Use the -y switch with yum install", &["DBX108"]),
    rules(
        "DL3032",
        "yum clean all missing after yum command",
        &["DBX146"],
    ),
    declined("DL3033", "Specify version with yum install", PINNING),
    rules(
        "DL3034",
        "Non-interactive switch missing from zypper command",
        &["DBX108"],
    ),
    declined(
        "DL3035",
        "Do not use zypper dist-upgrade",
        "upgrading packages during a build is a choice between fresher security fixes and reproducibility; hadolint itself dropped the same rule for apt (DL3005)",
    ),
    rules(
        "DL3036",
        "zypper clean missing after zypper use",
        &["DBX146"],
    ),
    declined("DL3037", "Specify version with zypper install", PINNING),
    rules("DL3038", "Use the -y switch with dnf install", &["DBX108"]),
    rules(
        "DL3040",
        "dnf clean all missing after dnf command",
        &["DBX146"],
    ),
    declined("DL3041", "Specify version with dnf install", PINNING),
    rules(
        "DL3042",
        "Avoid cache directory with pip install --no-cache-dir",
        &["DBX106"],
    ),
    rules(
        "DL3043",
        "ONBUILD, FROM or MAINTAINER triggered from within ONBUILD instruction",
        &["DBX151", "DBX100"],
    ),
    rules(
        "DL3044",
        "Do not refer to an environment variable within the same ENV statement where it is defined",
        &["DBX132"],
    ),
    rules(
        "DL3045",
        "COPY to a relative destination without WORKDIR set",
        &["DBX144"],
    ),
    rules(
        "DL3046",
        "useradd without flag -l and high UID will result in excessively large image",
        &["DBX148"],
    ),
    declined(
        "DL3047",
        "wget without --progress bloats build logs",
        "BuildKit's progress display folds each step's output; the bloat is in plain-text logs only and costs nothing in the image",
    ),
    declined("DL3048", "Invalid label key", LABELS),
    declined("DL3049", "Label is missing", LABELS),
    declined("DL3050", "Superfluous label(s) present", LABELS),
    declined("DL3051", "Label is empty", LABELS),
    declined("DL3052", "Label is not a valid URL", LABELS),
    declined("DL3053", "Label is not a valid RFC 3339 time", LABELS),
    declined(
        "DL3054",
        "Label is not a valid SPDX license identifier",
        LABELS,
    ),
    declined("DL3055", "Label is not a valid git hash", LABELS),
    declined(
        "DL3056",
        "Label does not conform to semantic versioning",
        LABELS,
    ),
    rules(
        "DL3057",
        "HEALTHCHECK instruction missing (devbox: when the image serves a port)",
        &["DBX117"],
    ),
    declined("DL3058", "Label is not a valid RFC 5322 email", LABELS),
    declined(
        "DL3059",
        "Multiple consecutive RUN instructions",
        "separate RUN steps are how slow, rarely-changing work (dependencies) gets its own cached layer (DBX116); merging them is not an improvement in general",
    ),
    rules(
        "DL3060",
        "yarn cache clean missing after yarn install",
        &["DBX145"],
    ),
    rules(
        "DL3061",
        "Dockerfile must begin with FROM, ARG or comment",
        &["DBX100"],
    ),
    declined(
        "DL3062",
        "Pin versions in go install",
        "Go refuses `go install pkg` without `@version` outside a module since 1.17, so the build fails by itself; inside a module go.sum pins it",
    ),
    rules(
        "DL3063",
        "Stage name should not be a reserved word",
        &["DBX137"],
    ),
    rules("DL4000", "MAINTAINER is deprecated", &["DBX124"]),
    declined(
        "DL4001",
        "Either use wget or curl but not both",
        "both tools together cost a few hundred kilobytes; `devbox size` shows what each layer really adds",
    ),
    rules("DL4003", "Multiple CMD instructions found", &["DBX111"]),
    rules(
        "DL4004",
        "Multiple ENTRYPOINT instructions found",
        &["DBX111"],
    ),
    rules(
        "DL4005",
        "Use SHELL to change the default shell",
        &["DBX149"],
    ),
    rules(
        "DL4006",
        "Set the SHELL option -o pipefail before RUN with a pipe in it",
        &["DBX126"],
    ),
];

/// Covered count and total of a table.
pub fn covered(table: &[Entry]) -> (usize, usize) {
    let n = table
        .iter()
        .filter(|e| matches!(e.coverage, Coverage::Rules(_)))
        .count();
    (n, table.len())
}

/// The coverage page, as committed in `docs/lint-coverage.md`.
pub fn markdown() -> String {
    let mut out = String::from(
        "# devbox lint: coverage of BuildKit's build checks and hadolint's rules\n\n\
<!-- Generated from src/domain/lint/coverage.rs by tests/lint_coverage.rs; do not edit by hand.\n\
     Regenerate with: DEVBOX_BLESS=1 cargo test --test lint_coverage -->\n\n\
Each outside check is either reported by the devbox rules named (`devbox lint --explain ID`), or declined with the\n\
reason. ShellCheck's SC rules, which hadolint runs on RUN scripts, are not reimplemented.\n",
    );
    for (name, table) in [
        ("BuildKit build checks (`docker build --check`)", BUILDKIT),
        ("hadolint DL rules", HADOLINT),
    ] {
        let (n, total) = covered(table);
        let _ = write!(
            out,
            "\n## {name}: {n} of {total} covered\n\n| Check | What it says | devbox |\n|---|---|---|\n"
        );
        for e in table {
            let answer = match e.coverage {
                Coverage::Rules(ids) => ids.join(", "),
                Coverage::Declined(why) => format!("declined: {why}"),
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                e.id,
                e.title.replace('|', "\\|"),
                answer
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::lint::{all_rules, meta};

    #[test]
    fn every_named_rule_exists() {
        for e in BUILDKIT.iter().chain(HADOLINT) {
            if let Coverage::Rules(ids) = e.coverage {
                for id in ids {
                    assert!(
                        meta(id).is_some(),
                        "{} names {id}, which is not a rule",
                        e.id
                    );
                }
            }
        }
    }

    /// The rules' own hadolint lists (used by the corpus comparison) and this table agree.
    #[test]
    fn hadolint_mappings_agree_with_the_rules() {
        for rule in all_rules() {
            let m = rule.meta();
            for dl in m.hadolint {
                let entry = HADOLINT.iter().find(|e| e.id == *dl);
                let ok = entry.is_some_and(
                    |e| matches!(e.coverage, Coverage::Rules(ids) if ids.contains(&m.id)),
                );
                assert!(ok, "{} says it covers {dl}; the table does not", m.id);
            }
        }
        for e in HADOLINT {
            if let Coverage::Rules(ids) = e.coverage {
                assert!(
                    ids.iter()
                        .any(|id| meta(id).is_some_and(|m| m.hadolint.contains(&e.id))),
                    "{} is mapped to {ids:?}, none of which lists it",
                    e.id
                );
            }
        }
    }

    #[test]
    fn ids_are_unique() {
        for table in [BUILDKIT, HADOLINT] {
            let mut ids: Vec<&str> = table.iter().map(|e| e.id).collect();
            ids.sort_unstable();
            let before = ids.len();
            ids.dedup();
            assert_eq!(before, ids.len());
        }
        assert_eq!(BUILDKIT.len(), 22, "BuildKit ships 22 build checks");
    }
}
