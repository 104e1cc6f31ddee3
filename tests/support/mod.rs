pub mod cells;
pub mod xlsx_edit;
