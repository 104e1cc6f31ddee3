//! dxplan core: the plan model, the SQLite plan file, Excel import, merge of department
//! submissions and Excel export. Never depends on the desktop shell.

pub mod backups;
pub mod cli;
pub mod compare;
pub mod export;
pub mod generate;
pub mod import;
pub mod merge;
pub mod model;
pub mod org;
pub mod parallel;
pub mod parse;
pub mod report;
pub mod rollover;
pub mod round;
pub mod sample;
pub mod store;
pub mod structure;
