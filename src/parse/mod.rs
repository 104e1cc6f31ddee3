//! Parsers every later step shares: fiscal years in every notation the seeds use, values as
//! written in KPI and budget cells, and label normalisation for matching sheet labels.

pub mod fiscal_year;
pub mod label;
pub mod value;
