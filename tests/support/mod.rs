pub mod cells;
pub mod copy_values;
pub mod sheet_cells;
pub mod xlsx_edit;
