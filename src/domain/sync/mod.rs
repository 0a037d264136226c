//! Sync rules for `develop.watch` and Docker's `.dockerignore` pattern semantics (pure).

pub mod activity;
pub mod from_compose;
pub mod plan;
pub mod rules;
pub mod watchset;

pub use activity::Activity;
pub use plan::{CopyOp, FsChange, SyncPlan, plan, plan_initial};
pub use rules::{Action, BuildIgnore, ExecHook, RuleError, RuleSpec, ServiceWatchSpec};
pub use watchset::{WatchRule, WatchSet, compile};
