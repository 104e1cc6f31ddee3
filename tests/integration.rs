//! Every integration test of the core crate in one binary: some twenty binaries that each
//! linked the whole stack took minutes to link and filled a CI disk. Each file is a module.

mod common;
mod support;

mod bad_files;
mod cli;
#[cfg(unix)]
mod crash;
mod department_review;
mod export;
mod export_memory;
#[cfg(unix)]
mod faults;
mod fuzz_regressions;
mod import_bad;
mod import_layouts;
mod import_ux;
mod libreoffice;
mod lints;
mod merge;
mod merge_property;
mod network_share;
mod old_labels;
mod outline;
mod plan_outline;
mod planfile;
mod reorg;
#[cfg(feature = "report-pdf")]
mod report;
mod rollup;
mod rounds;
mod roundtrip;
mod sample;
mod sheet_fields;
mod store;
mod trust;
mod versions;
mod workspace;
