//! The plan model: typed Rust for everything a DX plan carries (see shared/DOMAIN.md).
//! Ids are stable strings (UUIDs); display codes are derived from position, never stored.

pub mod codes;
pub mod fields;
pub(crate) mod fiscal_year;
pub(crate) mod ids;
pub(crate) mod outline;
pub(crate) mod plan;
pub(crate) mod rollup;
pub(crate) mod scale;
pub(crate) mod value;

pub use fiscal_year::FiscalYear;
pub use outline::{PlanOutline, ProjectOutline};
pub use plan::*;
pub use rollup::{compute as compute_rollups, Rollup};
pub use value::Value;
