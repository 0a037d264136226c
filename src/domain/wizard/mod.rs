//! The wizard: the decision tree as data (`tree`), the pure walk over it (`walk`), and the
//! answers it produces (`answers`, with project facts filled in by `resolve`). Used by
//! `devbox init` (inquire prompts) and by the TUI's Wizard tab.

pub mod answers;
pub mod java;
mod resolve;
pub mod summary;
pub mod tree;
pub mod walk;

pub use answers::{AddOn, Answers, Base, PartialAnswers, PartialProject, Project, SecurityOpt};
pub use resolve::{
    DENO_VERSION, DOTNET_VERSION, GO_VERSION, JAVA_VERSION, NODE_VERSION, PHP_VERSION,
    PYTHON_VERSION, RUBY_VERSION, RUST_VERSION, slug,
};
pub use tree::{Leaf, QuestionId};
pub use walk::{Question, Step, Value, Walk, WalkError, default_port};
