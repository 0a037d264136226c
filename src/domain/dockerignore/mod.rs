//! `.dockerignore` as Docker reads it: lines cleaned like `ignorefile.ReadAll`, patterns
//! compiled like moby/patternmatcher, last match wins. The build context, watch's sync rules
//! and the linter all use this one matcher.

pub mod matcher;
pub mod pattern;

pub use matcher::{IgnoreLine, IgnoreMatcher, PatternError, PatternSyntax, clean, read_lines};
