//! Read-only views of a plan: the JSON dump, budget totals, lints, the summary.

pub mod achievement;
pub mod definitions;
pub mod dump;
pub mod history_text;
pub mod lints;
pub mod progress;
pub mod rollup_check;
pub mod totals;
