pub mod cells;
pub mod sheet_cells;
pub mod xlsx_edit;
