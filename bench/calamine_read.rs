//! The yardstick of the benchmarks (issue 18): a bare calamine pass over workbooks, with
//! nothing of dxplan. Opens each file in turn, reads every worksheet's cells and counts them,
//! holding one workbook at a time (one thread, as calamine reads). Folders stand for the
//! .xlsx files in them, as `dxplan merge DIR` takes them.
//!
//!     cargo run --release --example calamine_read -- FILE.xlsx|DIR …

use std::path::PathBuf;

use calamine::{open_workbook_auto, Reader};

fn files(args: impl Iterator<Item = String>) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for a in args {
        let p = PathBuf::from(a);
        if p.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(&p)
                .expect("read folder")
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.extension().is_some_and(|e| e == "xlsx"))
                .collect();
            found.sort();
            out.extend(found);
        } else {
            out.push(p);
        }
    }
    out
}

fn main() {
    let mut cells = 0usize;
    let mut sheets = 0usize;
    let files = files(std::env::args().skip(1));
    for f in &files {
        let mut wb = open_workbook_auto(f).expect("open workbook");
        for name in wb.sheet_names() {
            let range = wb.worksheet_range(&name).expect("read sheet");
            cells += range.used_cells().count();
            sheets += 1;
        }
    }
    println!("{} files, {sheets} sheets, {cells} cells", files.len());
}
