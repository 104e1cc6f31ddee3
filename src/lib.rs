//! dxplan core: the plan model, the SQLite plan file, Excel import, merge of department
//! submissions and Excel export. Never depends on the desktop shell.

#![warn(missing_docs)]

pub mod backups;
pub mod cli;
pub mod committee;
pub mod compare;
pub mod export;
pub mod format;
pub mod generate;
pub mod grid;
pub mod import;
pub mod merge;
pub mod model;
pub(crate) mod org;
pub(crate) mod parallel;
pub mod parse;
pub mod report;
pub(crate) mod rollover;
pub(crate) mod round;
pub mod sample;
pub mod store;
pub mod structure;
pub mod workbook;
pub mod workspace;
