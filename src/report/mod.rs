//! Read-only views of a plan: the JSON dump, budget totals, lints, the summary.

pub mod achievement;
pub(crate) mod definitions;
pub mod dump;
pub(crate) mod finding;
pub mod history_text;
pub mod lints;
pub(crate) mod progress;
pub(crate) mod rollup_check;
pub mod totals;
