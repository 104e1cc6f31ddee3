//! dxplan's own workbook format, described once for the side that writes it (`export`) and the
//! sides that read it back (`import::native`, `import::layout::own`, `merge`): the project
//! sheet section by section, its project fields one row a line (`sheet`), its rows' hidden
//! keys, labels and renderings (`layout`), the hidden sheet 「_dxplan」 of every export
//! (`meta`) and its seal (`seal`), and the master workbook's summary sheets (`summary`).

pub mod layout;
pub mod meta;
pub mod seal;
pub mod sheet;
pub(crate) mod summary;
