//! dxplan's own workbook format, described once for the side that writes it (`export`) and the
//! sides that read it back (`import::native`, `import::layout::own`, `merge`): the rows of a
//! project sheet and their hidden keys (`layout`), the hidden sheet 「_dxplan」 of every export
//! (`meta`) and its seal (`seal`), and the master workbook's summary sheets (`summary`).

pub mod layout;
pub mod meta;
pub mod seal;
pub(crate) mod summary;
