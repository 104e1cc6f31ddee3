//! Import of legacy Excel sheets (.xlsx, .xlsm, .xls, .ods) into a plan.

pub mod error;
pub mod grid;
pub mod workbook;

pub use error::ImportError;
